import { z } from 'zod';
import { CHANCE_SCALE, EXPERIENCE_MAX, GOLD_MAX, ID_MAX, LEVEL_MAX, LINE_MAX, NAME_MAX, QUANTITY_MAX, TEXT_MAX } from './limits.ts';

/**
 * Building blocks shared by every content kind. All numbers are finite (zod 4
 * refuses NaN and ±Infinity; JSON's `1e999` parses to Infinity and is refused
 * too), integers are safe integers, strings and arrays are bounded.
 */

// The limits live apart from zod (limits.ts), for the packed tables cells read.
export { CHANCE_SCALE, EXPERIENCE_MAX, GOLD_MAX, ID_MAX, LEVEL_MAX, LINE_MAX, NAME_MAX, QUANTITY_MAX, STAT_KEYS, TEXT_MAX, type StatKey } from './limits.ts';

/**
 * Stable content id: lowercase dotted segments, conventionally the kind first
 * (`npc.wolf`, `item.wolf_pelt`, `loot.wolf`). Ids are unique across all
 * content files, so an id always names exactly one thing.
 */
export const ID_PATTERN = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$/;
export const ID_HINT = 'must be a dotted lowercase id like "npc.wolf" (a-z, 0-9, "_", at least one ".")';

export const Id = z
  .string()
  .min(3)
  .max(ID_MAX)
  .regex(ID_PATTERN, ID_HINT)
  .describe('Stable content id: lowercase dotted segments, e.g. "npc.wolf".');

/** Map ids and names of map objects (areas, points) come from the map files. */
export const MAP_ID_PATTERN = /^[a-z][a-z0-9_-]*$/;
export const MapId = z
  .string()
  .min(1)
  .max(ID_MAX)
  .regex(MAP_ID_PATTERN, 'must be a lowercase map id like "town" (a-z, 0-9, "_", "-")')
  .describe('Map (zone) id: the map file name without extension.');
export const MapObjectName = z
  .string()
  .min(1)
  .max(NAME_MAX)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_ .-]*$/, 'must be a map object name (letters, digits, "_", "-", ".", spaces)')
  .describe('Name of an object (area or point) on the map.');

/**
 * Control characters, bidi overrides/isolates and invisible format characters
 * are refused in player-facing text (as in character names). BMP-only class so
 * the pattern works without the `u` flag in editors' JSON Schema engines.
 */
const NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*$/;
const NO_CONTROL_MULTILINE = /^[^\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*$/;
const CONTROL_HINT = 'must not contain control, bidi-override or invisible characters';

export const Name = z
  .string()
  .min(1)
  .max(NAME_MAX)
  .regex(NO_CONTROL, CONTROL_HINT)
  .refine((s) => s.trim() === s && s.length > 0, 'must not start or end with spaces')
  .describe('Display name shown to players.');
/** Multi-line text: newlines allowed, other control characters not. */
export const Text = z.string().max(TEXT_MAX).regex(NO_CONTROL_MULTILINE, CONTROL_HINT);
export const Line = z.string().min(1).max(LINE_MAX).regex(NO_CONTROL, CONTROL_HINT);

export function int(min: number, max: number): z.ZodInt {
  return z.int().min(min).max(max);
}
export function num(min: number, max: number): z.ZodNumber {
  return z.number().min(min).max(max);
}

export const Level = int(1, LEVEL_MAX);
export const Chance = int(1, CHANCE_SCALE).describe('Chance in parts per 10,000 (10000 = 100 %).');
export const Gold = int(0, GOLD_MAX);
export const Experience = int(0, EXPERIENCE_MAX);
export const Quantity = int(1, QUANTITY_MAX);
/** Durations in milliseconds, up to one hour. */
export const Millis = int(0, 3_600_000);
/** Distances in tiles. */
export const Distance = num(0, 256);

/** An inclusive integer range; `max` defaults to `min`-compatible values via refine. */
export function range(min: number, max: number, what: string) {
  return z
    .strictObject({ min: int(min, max), max: int(min, max) })
    .refine((r) => r.max >= r.min, { message: `${what} max must be ≥ min`, path: ['max'] });
}

/**
 * Character and NPC stats. Absolute values (base stats, NPC stats, item
 * bonuses) are non-negative; modifiers (per-level growth, auras) use
 * `StatModifiers`, which allows negatives. Chances are in parts per 10,000.
 */
const STAT_MAX = 10_000_000;

function statsShape(min: number, chanceMin: number, asInt: boolean) {
  const v = asInt ? int(min, STAT_MAX) : num(min, STAT_MAX);
  const c = asInt ? int(chanceMin, CHANCE_SCALE) : num(chanceMin, CHANCE_SCALE);
  return {
    health: v.optional().describe('Maximum health.'),
    mana: v.optional().describe('Maximum mana (or the class resource).'),
    healthRegen: v.optional().describe('Health regenerated per second.'),
    manaRegen: v.optional().describe('Mana regenerated per second.'),
    strength: v.optional(),
    agility: v.optional(),
    intellect: v.optional(),
    stamina: v.optional(),
    attackPower: v.optional(),
    spellPower: v.optional(),
    armor: v.optional(),
    resistance: v.optional(),
    critChance: c.optional().describe('Critical hit chance in parts per 10,000.'),
    dodgeChance: c.optional().describe('Dodge chance in parts per 10,000.'),
  };
}

/** Absolute stats: non-negative integers. */
export const Stats = z.strictObject(statsShape(0, 0, true));
/** Per-level growth: non-negative, fractional allowed (1.5 strength per level). */
export const StatGrowth = z.strictObject(statsShape(0, 0, false));
/** Signed modifiers (buffs, debuffs). */
export const StatModifiers = z.strictObject(statsShape(-STAT_MAX, -CHANCE_SCALE, true));

export const ItemStack = z.strictObject({ item: Id, count: Quantity.default(1) });

/** "a wolf", "an item": the indefinite article for messages. */
export function aOrAn(word: string): string {
  return /^(?:[aeiou]|NPC)/i.test(word) ? `an ${word}` : `a ${word}`;
}
