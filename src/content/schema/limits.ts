/**
 * The limits and enumerations of the content schemas, apart from the schemas
 * themselves: the packed tables that cells read at run time need these
 * values but not zod, and a cell thread that never loads zod is about 4 MB
 * of heap lighter (docs/benchmarks.md, "Idle memory"). The schema modules
 * re-export them; nothing here may import zod (test/workers/cell-imports.test.ts).
 */

/** Largest id, in characters. */
export const ID_MAX = 64;
/** Display names (NPCs, items, skills, quests...). */
export const NAME_MAX = 64;
/** Longer player-facing text (descriptions, quest text). */
export const TEXT_MAX = 2000;
/** Announcements and other one-line messages. */
export const LINE_MAX = 256;
/** Highest character or NPC level. */
export const LEVEL_MAX = 100;
/** Chances are integers in parts per 10,000 (100 % = 10,000). */
export const CHANCE_SCALE = 10_000;
/** Largest quantity in one stack, loot roll or reward line. */
export const QUANTITY_MAX = 9_999;
/** Gold and item values. */
export const GOLD_MAX = 1_000_000_000;
/** Experience amounts (rewards, curve steps). */
export const EXPERIENCE_MAX = 1_000_000_000;

/** Character and NPC stats, in the order packed tables store them. */
export const STAT_KEYS = [
  'health',
  'mana',
  'healthRegen',
  'manaRegen',
  'strength',
  'agility',
  'intellect',
  'stamina',
  'attackPower',
  'spellPower',
  'armor',
  'resistance',
  'critChance',
  'dodgeChance',
] as const;
export type StatKey = (typeof STAT_KEYS)[number];

export const SCHOOLS = ['physical', 'fire', 'frost', 'nature', 'arcane', 'shadow', 'holy'] as const;
export const SKILL_TARGETS = ['self', 'enemy', 'ally', 'point'] as const;
/** A class's resource. */
export const RESOURCES = ['mana', 'energy', 'rage'] as const;

export const AI_KINDS = ['idle', 'wander', 'patrol'] as const;
export const HOSTILITIES = ['aggressive', 'defensive', 'passive', 'friendly'] as const;
