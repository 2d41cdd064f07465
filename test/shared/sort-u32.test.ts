import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortStack, sortU32 } from '../../src/shared/sort-u32.ts';

describe('sortU32', () => {
  it('sorts the first n entries ascending, as a reference sort does, and leaves the rest alone', () => {
    const stack = sortStack();
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 600 }), fc.nat({ max: 600 }), (values, cut) => {
        const n = Math.min(cut, values.length);
        const a = Uint32Array.from(values);
        sortU32(a, n, stack);
        const expected = Uint32Array.from(values.slice(0, n)).sort();
        expect(Array.from(a.subarray(0, n))).toEqual(Array.from(expected));
        expect(Array.from(a.subarray(n))).toEqual(values.slice(n));
      }),
      { numRuns: 300 },
    );
  });

  it('handles the inputs that break naive quicksorts: sorted, reversed, all equal, organ pipe, few distinct', () => {
    const stack = sortStack();
    const n = 5000;
    const shapes: Record<string, (i: number) => number> = {
      sorted: (i) => i,
      reversed: (i) => n - i,
      equal: () => 7,
      organPipe: (i) => (i < n / 2 ? i : n - i),
      fewDistinct: (i) => (i * 7919) % 3,
      highBits: (i) => (0xffffffff - i) >>> 0,
    };
    for (const [name, value] of Object.entries(shapes)) {
      const a = new Uint32Array(n);
      for (let i = 0; i < n; i++) a[i] = value(i);
      const expected = a.slice().sort();
      sortU32(a, n, stack);
      expect(a, name).toEqual(expected);
    }
  });

  it('does nothing for n of 0 or 1', () => {
    const a = Uint32Array.of(3, 1, 2);
    sortU32(a, 0, sortStack());
    sortU32(a, 1, sortStack());
    expect(Array.from(a)).toEqual([3, 1, 2]);
  });
});
