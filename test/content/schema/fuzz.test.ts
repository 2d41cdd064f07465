import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTENT_KINDS, loadContent, type ContentError, type ContentReader, type LoadResult } from '../../../src/content/schema/index.ts';
import { fixtureTexts, readerOf } from './fixture.ts';

const FILES = CONTENT_KINDS.map((k) => `${k}.json`);

/** Loads and checks the result is the loader's own: ok, or well-formed errors; never an exception. */
function loadChecked(read: ContentReader): LoadResult {
  let r: LoadResult;
  try {
    r = loadContent(read);
  } catch (e) {
    throw new Error(`loadContent threw ${String(e)}`, { cause: e });
  }
  if (!r.ok) {
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) checkError(e);
  }
  return r;
}

function checkError(e: ContentError): void {
  expect(FILES).toContain(e.file);
  expect(e.path).toMatch(/^\$/);
  expect(typeof e.message).toBe('string');
  expect(e.message.length).toBeGreaterThan(0);
  if (e.line !== undefined) {
    expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
    expect(Number.isInteger(e.column) && e.column! >= 1).toBe(true);
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const special = fc.constantFrom<Json>(-1, 0, 1.5, -0.5, 1e308, -1e308, 2 ** 53, '', 'x'.repeat(3000), 'npc.wolf', 'Npc.Wolf', '\u202e', [], {}, null, true, Array(300).fill(1));
const value: fc.Arbitrary<Json> = fc.oneof(fc.jsonValue() as fc.Arbitrary<Json>, special);
const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', '$schema', 'hasOwnProperty', 'toString'));

const mutation = fc.record({
  file: fc.constantFrom(...FILES),
  steps: fc.array(fc.nat(), { maxLength: 8 }),
  op: fc.constantFrom('replace', 'delete', 'addKey', 'duplicate', 'copyFromSibling'),
  value,
  key,
});
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function children(v: Json): (string | number)[] {
  if (Array.isArray(v)) return v.map((_, i) => i);
  if (v !== null && typeof v === 'object') return Object.keys(v);
  return [];
}

function apply(root: Json, m: Mutation): Json {
  // A copy: constantFrom hands out the same array and object every time, and a tree that held
  // the instance itself would change it for later runs (and could come to hold itself: a cycle).
  const value = structuredClone(m.value);
  let parent: Json | undefined;
  let at: string | number | undefined;
  let cur = root;
  for (const s of m.steps) {
    const ks = children(cur);
    if (ks.length === 0) break;
    parent = cur;
    at = ks[s % ks.length]!;
    cur = (cur as Record<string | number, Json>)[at]!;
  }
  const container = parent as Record<string | number, Json> | Json[] | undefined;
  switch (m.op) {
    case 'replace':
      if (container === undefined || at === undefined) return value;
      (container as Record<string | number, Json>)[at] = value;
      return root;
    case 'delete':
      if (Array.isArray(container)) container.splice(at as number, 1);
      else if (container !== undefined && at !== undefined) delete (container as Record<string, Json>)[at];
      return root;
    case 'addKey':
      if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) Object.defineProperty(cur, m.key, { value, enumerable: true, writable: true, configurable: true });
      return root;
    case 'duplicate':
      if (Array.isArray(container)) container.push(structuredClone(cur));
      return root;
    case 'copyFromSibling':
      if (Array.isArray(container) && container.length > 1) container[0] = structuredClone(cur);
      return root;
  }
  return root;
}

describe('content loader fuzz', () => {
  it('mutated valid files give ok or the loader’s own errors, never an exception', () => {
    const base = fixtureTexts();
    const parsed = new Map([...base].map(([n, t]) => [n, JSON.parse(t) as Json]));
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        const files = new Map(base);
        const trees = new Map([...parsed].map(([n, j]) => [n, structuredClone(j)]));
        for (const m of ms) trees.set(m.file, apply(trees.get(m.file)!, m));
        for (const m of ms) files.set(m.file, JSON.stringify(trees.get(m.file)));
        loadChecked(readerOf(files));
      }),
      { numRuns: 400 },
    );
  });

  it('byte-level edits of valid files give ok or errors, never an exception', () => {
    const base = fixtureTexts();
    const edit = fc.record({
      file: fc.constantFrom(...FILES),
      at: fc.nat(),
      remove: fc.nat({ max: 40 }),
      insert: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('1e999', '-', '"', '{', ']', ',', 'NaN', '\u0000', '\ufeff', '\\u0000', '}{')),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
        const files = new Map(base);
        for (const e of edits) {
          const t = files.get(e.file)!;
          const i = e.at % (t.length + 1);
          files.set(e.file, t.slice(0, i) + e.insert + t.slice(i + e.remove));
        }
        loadChecked(readerOf(files));
      }),
      { numRuns: 400 },
    );
  });

  it('arbitrary text, odd readers and huge or deep inputs give errors, never an exception', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.oneof(fc.string({ maxLength: 200 }), fc.json()), (file, text) => {
        const files = fixtureTexts();
        files.set(file, text);
        loadChecked(readerOf(files));
      }),
      { numRuns: 300 },
    );
    const odd: unknown[] = [null, 42, {}, ['x'], Symbol('s')];
    for (const v of odd) expect(loadChecked(() => v as string).ok).toBe(false);
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(loadChecked((n) => (n === 'npcs.json' ? deep : fixtureTexts().get(n))).ok).toBe(false);
    const deepObj = `{"npcs": [${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}]}`;
    expect(loadChecked((n) => (n === 'npcs.json' ? deepObj : fixtureTexts().get(n))).ok).toBe(false);
    const huge = `{"npcs": [], "pad": "${'x'.repeat(5 * 1024 * 1024)}"}`;
    const r = loadChecked((n) => (n === 'npcs.json' ? huge : fixtureTexts().get(n)));
    expect(!r.ok && r.errors[0]!.message).toMatch(/file too large/);
  });
});
