import { z } from 'zod';
import { CONTENT_KINDS, FILE_SCHEMAS, type ContentKind } from './kinds.ts';

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

/** The exact text of a schema file as written under data/schemas/. */
export function renderSchemaFile(kind: ContentKind): string {
  return `${JSON.stringify(contentJsonSchema(kind), null, 2)}\n`;
}

/** Every schema file: name → text. */
export function renderSchemaFiles(): Map<string, string> {
  return new Map(CONTENT_KINDS.map((k) => [schemaFileName(k), renderSchemaFile(k)]));
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
