import { STAT_KEYS, type StatKey } from './schema/limits.ts';

/**
 * Stats as the cells hold them: a block of STAT_COUNT numbers in STAT_KEYS
 * order (content/schema/limits.ts), one block per NPC template, per class
 * (base and growth), per buff or debuff, and per fighting entity. `Stat`
 * names each position so no code indexes a block with a bare number.
 */
export const STAT_COUNT = STAT_KEYS.length;

export const Stat = Object.fromEntries(STAT_KEYS.map((k, i) => [k, i])) as { readonly [K in StatKey]: number };

/** A stat object (content JSON) as a block; absent stats are 0. */
export function statBlock(stats: Partial<Record<StatKey, number>>): Float32Array {
  const out = new Float32Array(STAT_COUNT);
  STAT_KEYS.forEach((k, i) => (out[i] = stats[k] ?? 0));
  return out;
}
