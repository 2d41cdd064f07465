import { SCHOOLS, SKILL_TARGETS } from './schema/limits.ts';
import type { Skill } from './schema/skills.ts';
import { STAT_COUNT, statBlock } from './stat-block.ts';
import { newColumns, type ColumnSpec } from './pack/table-pack.ts';

/**
 * Skills as the cells read them (skills.json): one typed array per column,
 * indexed by skill number (1-based in file order; 0 is the auto-attack,
 * which is no skill). Each skill's effects (at most MAX_EFFECTS) are
 * columns MAX_EFFECTS wide; a buff's or debuff's stat changes are a stat
 * block (stat-block.ts) per effect.
 */
export interface SkillTable {
  readonly count: number;
  readonly ids: readonly string[];
  /** Index into SKILL_TARGETS (SkillTarget). */
  readonly target: Uint8Array;
  readonly castMs: Uint32Array;
  readonly cooldownMs: Uint32Array;
  readonly cost: Uint32Array;
  readonly range: Float32Array;
  readonly lineOfSight: Uint8Array;
  /** Radius of the area hit (0: the target alone) and the most it hits. */
  readonly areaRadius: Float32Array;
  readonly areaMaxTargets: Uint8Array;
  readonly effectCount: Uint8Array;
  /** Per effect (MAX_EFFECTS a skill): EffectType, school (index into SCHOOLS), amount range, coefficient, period, duration, stacks. */
  readonly effType: Uint8Array;
  readonly effSchool: Uint8Array;
  readonly effMin: Uint32Array;
  readonly effMax: Uint32Array;
  readonly effCoefficient: Float32Array;
  readonly effTickMs: Uint32Array;
  readonly effDurationMs: Uint32Array;
  readonly effMaxStacks: Uint8Array;
  /** Stat changes of a buff or debuff: STAT_COUNT per effect, MAX_EFFECTS × STAT_COUNT a skill. */
  readonly effStats: Float32Array;
}

export const SkillTarget = { SELF: 0, ENEMY: 1, ALLY: 2, POINT: 3 } as const;
export const EffectType = { DAMAGE: 0, HEAL: 1, DAMAGE_OVER_TIME: 2, HEAL_OVER_TIME: 3, BUFF: 4, DEBUFF: 5 } as const;
export const EFFECT_TYPES = ['damage', 'heal', 'damageOverTime', 'healOverTime', 'buff', 'debuff'] as const;
/** Effects a skill may have (the schema's limit). */
export const MAX_EFFECTS = 8;
/** School 0: physical (armor mitigates it; the others meet resistance). */
export const School = { PHYSICAL: 0 } as const;

export const SKILL_COLUMNS = [
  ['target', Uint8Array],
  ['castMs', Uint32Array],
  ['cooldownMs', Uint32Array],
  ['cost', Uint32Array],
  ['range', Float32Array],
  ['lineOfSight', Uint8Array],
  ['areaRadius', Float32Array],
  ['areaMaxTargets', Uint8Array],
  ['effectCount', Uint8Array],
  ['effType', Uint8Array, MAX_EFFECTS],
  ['effSchool', Uint8Array, MAX_EFFECTS],
  ['effMin', Uint32Array, MAX_EFFECTS],
  ['effMax', Uint32Array, MAX_EFFECTS],
  ['effCoefficient', Float32Array, MAX_EFFECTS],
  ['effTickMs', Uint32Array, MAX_EFFECTS],
  ['effDurationMs', Uint32Array, MAX_EFFECTS],
  ['effMaxStacks', Uint8Array, MAX_EFFECTS],
  ['effStats', Float32Array, MAX_EFFECTS * STAT_COUNT],
] as const satisfies readonly ColumnSpec[];

/** Builds the table from validated skills. */
export function skillTableOf(skills: readonly Skill[]): SkillTable {
  const count = skills.length + 1;
  if (count > 0xffff) throw new RangeError(`${skills.length} skills; at most ${0xffff - 1}`);
  const c = newColumns(SKILL_COLUMNS, count) as unknown as Omit<SkillTable, 'count' | 'ids'>;
  skills.forEach((s, n) => {
    const i = n + 1;
    c.target[i] = SKILL_TARGETS.indexOf(s.target);
    c.castMs[i] = s.castMs;
    c.cooldownMs[i] = s.cooldownMs;
    c.cost[i] = s.cost;
    c.range[i] = s.range;
    c.lineOfSight[i] = s.lineOfSight ? 1 : 0;
    c.areaRadius[i] = s.area?.radius ?? 0;
    c.areaMaxTargets[i] = s.area?.maxTargets ?? 0;
    if (s.effects.length > MAX_EFFECTS) throw new RangeError(`skill ${s.id}: ${s.effects.length} effects; at most ${MAX_EFFECTS}`);
    c.effectCount[i] = s.effects.length;
    s.effects.forEach((e, j) => {
      const k = i * MAX_EFFECTS + j;
      c.effType[k] = EFFECT_TYPES.indexOf(e.type);
      if (e.type === 'damage' || e.type === 'damageOverTime') c.effSchool[k] = SCHOOLS.indexOf(e.school);
      if ('amount' in e) {
        c.effMin[k] = e.amount.min;
        c.effMax[k] = e.amount.max;
        c.effCoefficient[k] = e.coefficient;
      }
      if ('tickMs' in e) c.effTickMs[k] = e.tickMs;
      if ('durationMs' in e) c.effDurationMs[k] = e.durationMs;
      if ('maxStacks' in e) c.effMaxStacks[k] = e.maxStacks;
      if ('stats' in e) c.effStats.set(statBlock(e.stats), k * STAT_COUNT);
    });
  });
  return { count, ids: ['', ...skills.map((s) => s.id)], ...c };
}
