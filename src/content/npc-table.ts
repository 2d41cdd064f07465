import { STAT_COUNT, statBlock } from './stat-block.ts';
import type { ColumnSpec } from './pack/table-pack.ts';
import { AI_KINDS, HOSTILITIES } from './schema/limits.ts';
import type { NpcTemplate } from './schema/npcs.ts';

/**
 * NPC templates as the cells read them: one typed array per field, indexed
 * by template number. Number 0 is "no template" (the generic wanderers of
 * benchmark zones); content templates are numbered from 1 in file order, so
 * the entity store's `template` field (u16) names one. The content pack
 * stores these columns as they are, and the cells view them in place.
 */
export interface NpcTable {
  /** Templates including the reserved 0. */
  readonly count: number;
  /** Template number → content id ("" for 0). */
  readonly ids: readonly string[];
  readonly level: Uint8Array;
  readonly health: Uint32Array;
  /** Tiles per second. */
  readonly speed: Float32Array;
  readonly aggroRadius: Float32Array;
  readonly leashRadius: Float32Array;
  /** Roaming radius around the spawn point for ai "wander" outside a spawn area (0: the area, or 4 tiles). */
  readonly wanderRadius: Float32Array;
  /** Index into AI_KINDS. */
  readonly ai: Uint8Array;
  /** Index into HOSTILITIES. */
  readonly hostility: Uint8Array;
  readonly attackMin: Uint32Array;
  readonly attackMax: Uint32Array;
  readonly attackIntervalMs: Uint32Array;
  readonly attackRange: Float32Array;
  readonly experience: Uint32Array;
  readonly respawnSeconds: Uint32Array;
  readonly respawnJitterSeconds: Uint32Array;
  /** The template's stats (stat-block.ts order), STAT_COUNT a template: what combat starts from. */
  readonly stats: Float32Array;
  /** How many skills it uses, and their skill numbers (skill-table.ts), NPC_MAX_SKILLS a template. */
  readonly skillCount: Uint8Array;
  readonly skills: Uint16Array;
}

/** Skills an NPC template may list (the schema's limit). */
export const NPC_MAX_SKILLS = 16;

export const AiKind = { IDLE: 0, WANDER: 1, PATROL: 2 } as const;
export const Hostility = { AGGRESSIVE: 0, DEFENSIVE: 1, PASSIVE: 2, FRIENDLY: 3 } as const;

/** Column names and their array types, in the order the content pack stores them. */
export const NPC_COLUMNS = [
  ['level', Uint8Array],
  ['health', Uint32Array],
  ['speed', Float32Array],
  ['aggroRadius', Float32Array],
  ['leashRadius', Float32Array],
  ['wanderRadius', Float32Array],
  ['ai', Uint8Array],
  ['hostility', Uint8Array],
  ['attackMin', Uint32Array],
  ['attackMax', Uint32Array],
  ['attackIntervalMs', Uint32Array],
  ['attackRange', Float32Array],
  ['experience', Uint32Array],
  ['respawnSeconds', Uint32Array],
  ['respawnJitterSeconds', Uint32Array],
  ['stats', Float32Array, STAT_COUNT],
  ['skillCount', Uint8Array],
  ['skills', Uint16Array, NPC_MAX_SKILLS],
] as const satisfies readonly ColumnSpec[];

export type NpcColumn = (typeof NPC_COLUMNS)[number][0];

/** The most templates a table holds (the store's template field is u16). */
export const MAX_NPC_TEMPLATES = 65_535;

/**
 * Builds the table from validated templates (the compiler's input, and
 * tests'). `skillIds` are the content's skill ids in file order (skill n is
 * `skillIds[n - 1]`), which number each template's skills; a skill it does
 * not list is an error (the compiler's reference check catches it first).
 */
export function npcTableOf(templates: readonly NpcTemplate[], skillIds: readonly string[] = []): NpcTable {
  if (templates.length >= MAX_NPC_TEMPLATES) throw new RangeError(`${templates.length} NPC templates; at most ${MAX_NPC_TEMPLATES - 1}`);
  const count = templates.length + 1;
  const cols = Object.fromEntries(NPC_COLUMNS.map((c) => [c[0], new c[1](count * (c[2] ?? 1))])) as unknown as Record<NpcColumn, Uint8Array | Uint16Array | Uint32Array | Float32Array>;
  templates.forEach((t, k) => {
    const i = k + 1;
    cols.level[i] = t.level;
    cols.health[i] = t.stats.health ?? 1;
    cols.speed[i] = t.speed;
    cols.aggroRadius[i] = t.aggroRadius;
    cols.leashRadius[i] = t.leashRadius;
    cols.wanderRadius[i] = t.wanderRadius ?? 0;
    cols.ai[i] = AI_KINDS.indexOf(t.ai);
    cols.hostility[i] = HOSTILITIES.indexOf(t.hostility);
    cols.attackMin[i] = t.attack?.damage.min ?? 0;
    cols.attackMax[i] = t.attack?.damage.max ?? 0;
    cols.attackIntervalMs[i] = t.attack?.intervalMs ?? 0;
    cols.attackRange[i] = t.attack?.range ?? 0;
    cols.experience[i] = t.experience ?? 0;
    cols.respawnSeconds[i] = t.respawnSeconds;
    cols.respawnJitterSeconds[i] = t.respawnJitterSeconds;
    cols.stats.set(statBlock(t.stats), i * STAT_COUNT);
    const skills = t.skills ?? [];
    if (skills.length > NPC_MAX_SKILLS) throw new RangeError(`NPC ${t.id}: ${skills.length} skills; at most ${NPC_MAX_SKILLS}`);
    cols.skillCount[i] = skills.length;
    skills.forEach((id, j) => {
      const n = skillIds.indexOf(id);
      if (n < 0) throw new RangeError(`NPC ${t.id}: skill ${id} is not in the content's skills`);
      cols.skills[i * NPC_MAX_SKILLS + j] = n + 1;
    });
  });
  return { count, ids: ['', ...templates.map((t) => t.id)], ...cols } as NpcTable;
}

/** Template number of a content id; 0 when there is none. */
export function npcNumber(table: NpcTable, id: string): number {
  const i = table.ids.indexOf(id);
  return i > 0 ? i : 0;
}
