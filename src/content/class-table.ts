import { LEVEL_MAX, RESOURCES } from './schema/limits.ts';
import type { CharacterClass } from './schema/skills.ts';
import { STAT_COUNT, Stat, statBlock } from './stat-block.ts';
import { newColumns, type ColumnSpec } from './pack/table-pack.ts';

/**
 * Character classes as the cells read them (classes.json): one typed array
 * per column, indexed by class number, as npc-table.ts does for NPCs. A
 * player entity's `template` is its class number. Class 0 is no class: the
 * player of a zone without content (tests, benchmarks), with CLASSLESS's
 * stats and no levels past the first.
 */
export interface ClassTable {
  /** Classes including the reserved 0. */
  readonly count: number;
  /** Class number → content id ("" for 0). */
  readonly ids: readonly string[];
  /** Index into RESOURCES (ResourceKind). */
  readonly resource: Uint8Array;
  readonly maxLevel: Uint8Array;
  /** Stats at level 1 (stat-block.ts order), STAT_COUNT a class. */
  readonly base: Float32Array;
  /** Stats gained per level past the first, STAT_COUNT a class. */
  readonly growth: Float32Array;
  /** Total experience to reach level 2, 3, ...: LEVEL_MAX a class, entry L - 2 for level L; 0 past maxLevel. */
  readonly experience: Uint32Array;
  /** Skills learned: numbers (skill-table.ts) and the level each is learned at, MAX_CLASS_SKILLS a class. */
  readonly skillCount: Uint8Array;
  readonly skills: Uint16Array;
  readonly skillLevel: Uint8Array;
  /** The global cooldown after any skill, ms (classes.json `globalCooldownMs`). */
  readonly globalCooldownMs: Uint32Array;
}

export const ResourceKind = { MANA: 0, ENERGY: 1, RAGE: 2 } as const;

/** Skills one class may list (the schema's limit). */
export const MAX_CLASS_SKILLS = 64;

/** The stats of class 0 (no class): a plain adventurer, as players were before classes. */
export const CLASSLESS = { health: 100, mana: 100, attackPower: 10 } as const;

export const CLASS_COLUMNS = [
  ['resource', Uint8Array],
  ['maxLevel', Uint8Array],
  ['base', Float32Array, STAT_COUNT],
  ['growth', Float32Array, STAT_COUNT],
  ['experience', Uint32Array, LEVEL_MAX],
  ['skillCount', Uint8Array],
  ['skills', Uint16Array, MAX_CLASS_SKILLS],
  ['skillLevel', Uint8Array, MAX_CLASS_SKILLS],
  ['globalCooldownMs', Uint32Array],
] as const satisfies readonly ColumnSpec[];

/**
 * Builds the table from validated classes; `skillIds` are the skill table's
 * ids (skill-table.ts), so a class's skills become skill numbers.
 */
export function classTableOf(classes: readonly CharacterClass[], skillIds: readonly string[]): ClassTable {
  const count = classes.length + 1;
  if (count > 0xffff) throw new RangeError(`${classes.length} classes; at most ${0xffff - 1}`);
  const c = newColumns(CLASS_COLUMNS, count) as unknown as Omit<ClassTable, 'count' | 'ids'>;
  c.maxLevel[0] = 1;
  c.base.set(statBlock(CLASSLESS), 0);
  classes.forEach((k, n) => {
    const i = n + 1;
    c.resource[i] = RESOURCES.indexOf(k.resource);
    c.maxLevel[i] = k.maxLevel;
    c.globalCooldownMs[i] = k.globalCooldownMs;
    c.base.set(statBlock(k.baseStats), i * STAT_COUNT);
    c.growth.set(statBlock(k.growth), i * STAT_COUNT);
    k.experience.forEach((xp, j) => (c.experience[i * LEVEL_MAX + j] = xp));
    if (k.skills.length > MAX_CLASS_SKILLS) throw new RangeError(`class ${k.id}: ${k.skills.length} skills; at most ${MAX_CLASS_SKILLS}`);
    c.skillCount[i] = k.skills.length;
    k.skills.forEach((s, j) => {
      const number = skillIds.indexOf(s.skill);
      if (number < 1) throw new RangeError(`class ${k.id}: no skill ${s.skill}`);
      c.skills[i * MAX_CLASS_SKILLS + j] = number;
      c.skillLevel[i * MAX_CLASS_SKILLS + j] = s.level;
    });
  });
  return { count, ids: ['', ...classes.map((k) => k.id)], ...c };
}

/** Total experience needed to reach `level` + 1 from nothing, or 0 when `level` is the class's last. */
export function experienceFor(t: ClassTable, cls: number, level: number): number {
  return level >= 1 && level < t.maxLevel[cls] ? t.experience[cls * LEVEL_MAX + level - 1] : 0;
}

/** A class stat at `level`: base plus growth per level past the first. */
export function classStat(t: ClassTable, cls: number, stat: number, level: number): number {
  return t.base[cls * STAT_COUNT + stat] + t.growth[cls * STAT_COUNT + stat] * (level - 1);
}

export { Stat };
