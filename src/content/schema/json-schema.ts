import { z } from 'zod';
import { CONTENT_KINDS, FILE_SCHEMAS, type ContentKind } from './kinds.ts';
import { WorldFile } from './world.ts';

/** Where the emitted schema files live, relative to the repository root. */
export const SCHEMA_DIR = 'data/schemas';

export function schemaFileName(kind: ContentKind): string {
  return `${kind}.schema.json`;
}

const TITLES: Record<ContentKind, string> = {
  npcs: 'Tessera NPC templates',
  items: 'Tessera items',
  loot: 'Tessera loot tables',
  skills: 'Tessera skills',
  classes: 'Tessera character classes',
  quests: 'Tessera quests',
  events: 'Tessera world events',
};

/**
 * JSON Schema (draft 2020-12) of a content file, from its zod schema, for
 * editors' completion and checking. It describes the input (fields with
 * defaults are optional). Cross-field rules (leash ≥ aggro, a loot group's
 * chances ≤ 10,000, ...) and cross-file references are only checked by the
 * loader.
 */
export function contentJsonSchema(kind: ContentKind): Record<string, unknown> {
  const generated = z.toJSONSchema(FILE_SCHEMAS[kind], { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: schemaFileName(kind), title: TITLES[kind], ...rest };
}

/** The world definition's schema file (data/world.json points at it). */
export const WORLD_SCHEMA_FILE = 'world.schema.json';

/** JSON Schema of data/world.json. Cross-field rules (unique zone names, a start zone that exists) only the compiler checks. */
export function worldJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(WorldFile, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: WORLD_SCHEMA_FILE, title: 'Tessera world', ...rest };
}

/** The exact text of a schema file as written under data/schemas/. */
export function renderSchemaFile(kind: ContentKind): string {
  return `${JSON.stringify(contentJsonSchema(kind), null, 2)}\n`;
}

/** Every schema file: name → text (one per content kind, and the world's). */
export function renderSchemaFiles(): Map<string, string> {
  const files = new Map(CONTENT_KINDS.map((k) => [schemaFileName(k), renderSchemaFile(k)]));
  files.set(WORLD_SCHEMA_FILE, `${JSON.stringify(worldJsonSchema(), null, 2)}\n`);
  return files;
}

/**
 * Compares the emitted files with the schemas; `read(name)` reads a file of
 * data/schemas/. Returns the names of missing or stale files.
 */
export function staleSchemaFiles(read: (name: string) => string | undefined): string[] {
  const stale: string[] = [];
  for (const [name, text] of renderSchemaFiles()) if (read(name) !== text) stale.push(name);
  return stale;
}
