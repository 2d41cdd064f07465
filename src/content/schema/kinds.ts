/** The content files: one per kind, their entry and file schemas, and what a loaded content set holds. */
import { z } from 'zod';
import { NpcTemplate } from './npcs.ts';
import { Item, LootTable } from './items.ts';
import { CharacterClass, Skill } from './skills.ts';
import { Quest, WorldEvent } from './quests.ts';

export * from './npcs.ts';
export * from './items.ts';
export * from './skills.ts';
export * from './quests.ts';



/** The content kinds, each one JSON file `<kind>.json` with a list under the same key. */
export const CONTENT_KINDS = ['npcs', 'items', 'loot', 'skills', 'classes', 'quests', 'events'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** Singular names used in messages and in reference checks. */
export const ENTRY_KIND = {
  npcs: 'NPC',
  items: 'item',
  loot: 'loot table',
  skills: 'skill',
  classes: 'class',
  quests: 'quest',
  events: 'world event',
} as const satisfies Record<ContentKind, string>;

export const MAX_ENTRIES = {
  npcs: 4096,
  items: 16_384,
  loot: 4096,
  skills: 4096,
  classes: 64,
  quests: 4096,
  events: 256,
} as const satisfies Record<ContentKind, number>;

export const ENTRY_SCHEMAS = {
  npcs: NpcTemplate,
  items: Item,
  loot: LootTable,
  skills: Skill,
  classes: CharacterClass,
  quests: Quest,
  events: WorldEvent,
} as const;

const SchemaRef = z.string().max(512).describe('Path or URL of this file\'s JSON Schema, for editors.');

function fileSchema<K extends ContentKind>(kind: K) {
  return z.strictObject({
    $schema: SchemaRef.optional(),
    [kind]: z.array(ENTRY_SCHEMAS[kind]).max(MAX_ENTRIES[kind]),
  } as { $schema: z.ZodOptional<z.ZodString> } & { [P in K]: z.ZodArray<(typeof ENTRY_SCHEMAS)[K]> });
}

export const FILE_SCHEMAS = {
  npcs: fileSchema('npcs'),
  items: fileSchema('items'),
  loot: fileSchema('loot'),
  skills: fileSchema('skills'),
  classes: fileSchema('classes'),
  quests: fileSchema('quests'),
  events: fileSchema('events'),
};

/** Validated content: one list per kind, defaults applied. */
export interface Content {
  npcs: NpcTemplate[];
  items: Item[];
  loot: LootTable[];
  skills: Skill[];
  classes: CharacterClass[];
  quests: Quest[];
  events: WorldEvent[];
}

export function contentFileName(kind: ContentKind): string {
  return `${kind}.json`;
}
