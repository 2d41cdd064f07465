import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/main/accounts/api-errors.ts';
import * as v from '../../../src/main/accounts/validate.ts';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err.field;
    throw err;
  }
  return undefined;
}

describe('validate', () => {
  it('folds usernames to lower case and rejects anything outside a-z 0-9 _ . -', () => {
    expect(v.username('Alice_1')).toBe('alice_1');
    for (const bad of ['', 'ab', 'a b', 'zoë', 'x'.repeat(33), "a'--", null, 3]) expect(fieldOf(() => v.username(bad))).toBe('username');
  });

  it('normalises passwords to NFC so composed and decomposed spellings match', () => {
    expect(v.password('caf\u0065\u0301 au lait')).toBe(v.password('caf\u00e9 au lait'));
    expect(fieldOf(() => v.password('short'))).toBe('password');
    expect(v.password('short', true)).toBe('short');
  });

  it('character names: NFC output, case-folded key, invisible and control characters refused', () => {
    expect(v.characterName('Zoe\u0308')).toEqual({ name: 'Zoë', key: 'zoë' });
    expect(v.characterName('ÅSA').key).toBe(v.characterName('A\u030asa').key);
    for (const bad of ['\u202eAbc', 'Ab\u200dc', 'Abc\u0000', 'Ab c', 'Ab1', '\u0301Abc', 'Ab']) expect(fieldOf(() => v.characterName(bad))).toBe('name');
  });

  it('property: any accepted name is NFC, 3-16 code points, letters and marks only, and stable under re-validation', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (s) => {
        let out: { name: string; key: string };
        try {
          out = v.characterName(s);
        } catch (err) {
          expect(err).toBeInstanceOf(ApiError);
          return;
        }
        expect(out.name.normalize('NFC')).toBe(out.name);
        expect([...out.name].length).toBeGreaterThanOrEqual(3);
        expect([...out.name].length).toBeLessThanOrEqual(16);
        expect(/^[\p{L}\p{M}]+$/u.test(out.name)).toBe(true);
        expect(v.characterName(out.name)).toEqual(out);
      }),
      { numRuns: 2000 },
    );
  });

  it('classId, appearance and path ids', () => {
    const classes = [1, 2, 3].map((id) => ({ id, key: `k${id}`, name: `K${id}` }));
    expect(v.classId(2, classes)).toBe(2);
    for (const bad of [0, 4, '1', 1.5, undefined, null]) expect(fieldOf(() => v.classId(bad, classes))).toBe('classId');
    expect(v.appearance(undefined)).toEqual({ body: 0, hair: 0, color: 0 });
    expect(v.appearance({ color: 7 })).toEqual({ body: 0, hair: 0, color: 7 });
    expect(fieldOf(() => v.appearance({ color: 8 }))).toBe('appearance.color');
    expect(fieldOf(() => v.appearance([]))).toBe('appearance');
    expect(v.pathId('12')).toBe(12);
    for (const bad of ['0', '-1', '01', '1e3', '2147483648', 'abc', '']) expect(v.pathId(bad)).toBeUndefined();
  });
});
