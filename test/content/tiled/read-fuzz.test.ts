import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TiledError, readTiledMap } from '../../../src/content/tiled/index.ts';
import { fixturePath, fixtureText, overlayLoader } from './fixtures.ts';

/**
 * Reads `name` with `files` laid over the fixtures: a map or a TiledError are
 * the only outcomes allowed. Returns whether it read.
 */
function readOrRefuse(name: string, files: Record<string, string | Uint8Array>): boolean {
  try {
    readTiledMap(fixturePath(name), { loader: overlayLoader(files), limits: { maxMapTiles: 256 * 256, maxTotalTiles: 4 * 256 * 256 } });
    return true;
  } catch (err) {
    if (!(err instanceof TiledError)) throw err;
    expect(err.message.startsWith(`${err.file}: `)).toBe(true);
    return false;
  }
}

type Edit = { kind: 'delete' | 'insert' | 'replace' | 'duplicate'; at: number; length: number; text: string };

const editArb: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace', 'duplicate'),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 12 }),
  // Characters that matter to XML, JSON, CSV and base64 readers, plus digits and letters.
  text: fc.string({ unit: fc.constantFrom(...'<>/="\'{}[],:0123456789-.e\n xAZaz+&;'.split('')), maxLength: 8 }),
});

function applyEdits(text: string, edits: readonly Edit[]): string {
  let s = text;
  for (const e of edits) {
    const at = e.at % (s.length + 1);
    switch (e.kind) {
      case 'delete':
        s = s.slice(0, at) + s.slice(at + e.length);
        break;
      case 'insert':
        s = s.slice(0, at) + e.text + s.slice(at);
        break;
      case 'replace':
        s = s.slice(0, at) + e.text + s.slice(at + e.text.length);
        break;
      case 'duplicate':
        s = s.slice(0, at + e.length) + s.slice(at, at + e.length) + s.slice(at + e.length);
        break;
    }
  }
  return s;
}

/** Replaces the value at one randomly chosen place of a JSON document (chosen by `pick`). */
function replaceAt(doc: unknown, pick: number, value: unknown): unknown {
  let n = pick;
  const visit = (v: unknown): unknown => {
    if (n-- === 0) return value;
    if (Array.isArray(v)) return v.map(visit);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    return v;
  };
  return visit(doc);
}

// Fixed seed and bounded runs in the suite; TILED_FUZZ_RUNS=n runs n cases with a fresh seed.
const extraRuns = Number(process.env['TILED_FUZZ_RUNS'] ?? 0);
const RUNS: fc.Parameters<unknown> = extraRuns > 0 ? { numRuns: extraRuns } : { numRuns: 300, seed: 9 };
const mutableMaps = ['town.tmx', 'field-zlib.tmx', 'infinite.tmx', 'legacy-xml.tmx', 'town.tmj', 'dungeon-gzip.tmj', 'infinite.tmj'];
const mutableSidecars = ['tilesets/terrain.tsx', 'tilesets/terrain.tsj', 'guard.tx', 'spawn-area.tj'];

describe('fuzz: only a model or a TiledError, never another exception', () => {
  it('random bytes as a map', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        readOrRefuse('x.tmx', { 'x.tmx': bytes });
      }),
      RUNS,
    );
  });

  it('random XML-ish and JSON-ish text as a map', () => {
    const unit = fc.constantFrom(...'<map>layer data tile gid="1" {"type":"map","layers":[]} ,0123456789 </'.split(''));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 300 }), fc.boolean(), (text, xmlish) => {
        readOrRefuse('x.tmx', { 'x.tmx': xmlish ? `<?xml version="1.0"?>\n<map ${text}` : `{${text}` });
      }),
      RUNS,
    );
  });

  it('text edits of valid maps', () => {
    fc.assert(
      fc.property(fc.constantFrom(...mutableMaps), fc.array(editArb, { minLength: 1, maxLength: 4 }), (name, edits) => {
        readOrRefuse(name, { [name]: applyEdits(fixtureText(name), edits) });
      }),
      RUNS,
    );
  });

  it('text edits of external tilesets and templates', () => {
    fc.assert(
      fc.property(fc.constantFrom(...mutableSidecars), fc.array(editArb, { minLength: 1, maxLength: 4 }), (name, edits) => {
        const map = name.endsWith('.tsj') || name.endsWith('.tj') ? 'infinite.tmj' : 'town.tmx';
        readOrRefuse(map, { [name]: applyEdits(fixtureText(name), edits) });
      }),
      RUNS,
    );
  });

  it('structural edits of valid TMJ maps: any value replaced by any JSON value', () => {
    const docs = ['town.tmj', 'dungeon-gzip.tmj', 'infinite.tmj'].map((name) => ({ name, doc: JSON.parse(fixtureText(name)) as unknown }));
    fc.assert(
      fc.property(fc.constantFrom(...docs), fc.nat({ max: 4000 }), fc.jsonValue({ maxDepth: 3 }), ({ name, doc }, pick, value) => {
        readOrRefuse(name, { [name]: JSON.stringify(replaceAt(doc, pick, value)) });
      }),
      RUNS,
    );
  });

  it('the unmutated fixtures read', () => {
    for (const name of mutableMaps) expect(readOrRefuse(name, {})).toBe(true);
  });
});
