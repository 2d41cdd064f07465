/**
 * Content schemas: zod schemas of the JSON content sources (NPC templates,
 * items, loot tables, skills, classes, quests, world events), the loader that
 * validates a content folder with file + JSON path errors, the cross-file
 * reference pass, the world definition (world.json), and JSON Schema
 * emission for editors.
 */
export * from './common.ts';
export * from './kinds.ts';
export * from './errors.ts';
export * from './load.ts';
export * from './references.ts';
export * from './json-schema.ts';
export * from './world.ts';
