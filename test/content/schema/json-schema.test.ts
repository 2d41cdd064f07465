import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTENT_KINDS, SCHEMA_DIR, contentJsonSchema, schemaFileName, staleSchemaFiles } from '../../../src/content/schema/index.ts';
import { FIXTURE_DIR, fixtureTexts } from './fixture.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const readEmitted = (name: string): string | undefined => {
  try {
    return readFileSync(`${ROOT}${SCHEMA_DIR}/${name}`, 'utf8');
  } catch {
    return undefined;
  }
};

describe('content JSON Schemas', () => {
  it('the files under data/schemas match the zod schemas (else run: node scripts/emit-content-schemas.ts)', () => {
    expect(staleSchemaFiles(readEmitted), 'stale files; regenerate with node scripts/emit-content-schemas.ts').toEqual([]);
  });

  it('detects a stale file', () => {
    expect(staleSchemaFiles((name) => (name === 'loot.schema.json' ? '{}\n' : readEmitted(name)))).toEqual(['loot.schema.json']);
    expect(staleSchemaFiles(() => undefined)).toHaveLength(CONTENT_KINDS.length + 1);
  });

  it('describes strict entries with the id pattern and bounds', () => {
    for (const kind of CONTENT_KINDS) {
      const schema = contentJsonSchema(kind) as any;
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.additionalProperties).toBe(false);
      expect(Object.keys(schema.properties)).toEqual(['$schema', kind]);
      const list = schema.properties[kind];
      expect(list.type).toBe('array');
      expect(list.maxItems).toBeGreaterThan(0);
      expect(list.items.additionalProperties).toBe(false);
      expect(list.items.properties.id.pattern).toBe('^[a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)+$');
      expect(list.items.required).toContain('id');
    }
    // Defaults are optional for editors (input schema).
    const npcs = contentJsonSchema('npcs') as any;
    expect(npcs.properties.npcs.items.required).not.toContain('respawnJitterSeconds');
    expect(npcs.properties.npcs.items.properties.respawnJitterSeconds.default).toBe(0);
  });

  it("the fixtures' $schema keys point at the emitted files", () => {
    for (const [name, text] of fixtureTexts()) {
      const ref = (JSON.parse(text) as { $schema: string }).$schema;
      expect(ref.endsWith(schemaFileName(name.replace('.json', '') as (typeof CONTENT_KINDS)[number]))).toBe(true);
      expect(existsSync(fileURLToPath(new URL(ref, `file://${FIXTURE_DIR}`)))).toBe(true);
    }
  });
});
