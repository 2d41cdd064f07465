/**
 * The gate's handle → value table (what each viewer was told): against a
 * Map under random sets, overwrites and clears, over the whole 32-bit range
 * of handles and a narrow one (where probes collide often); its size
 * follows its entries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HandleTable } from '../../../src/main/gate/handle-table.ts';

describe('HandleTable', () => {
  it('answers as a Map does under any sequence of sets and clears', () => {
    const handle = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 0xffffffff, 0x80000000));
    const op = fc.oneof(
      { weight: 20, arbitrary: fc.tuple(fc.constant('set' as const), handle, fc.integer({ min: 1, max: 0xffffffff })) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('clear' as const), fc.constant(0), fc.constant(0)) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), fc.array(handle, { maxLength: 50 }), (ops, probes) => {
        const t = new HandleTable();
        const m = new Map<number, number>();
        for (const [kind, h, v] of ops) {
          if (kind === 'clear') {
            t.clear();
            m.clear();
          } else {
            t.set(h, v);
            m.set(h, v);
          }
          expect(t.size).toBe(m.size);
        }
        for (const [h, v] of m) expect(t.get(h)).toBe(v);
        for (const h of probes) expect(t.get(h)).toBe(m.get(h) ?? 0);
      }),
      { numRuns: 200 },
    );
  });

  it('grows at three quarters full, and gives back what it grew when cleared', () => {
    const t = new HandleTable();
    expect(t.bytes).toBe(16 * 8);
    for (let h = 1; h <= 12; h++) t.set(h, h);
    expect(t.bytes).toBe(16 * 8);
    t.set(13, 13);
    expect(t.bytes).toBe(32 * 8);
    for (let h = 14; h <= 256; h++) t.set(h, h);
    // 256 entries at most three quarters full: 512 slots, 4 KB (a JS Map of them: about 7 KB).
    expect(t.bytes).toBe(512 * 8);
    expect(t.size).toBe(256);
    t.clear();
    expect(t.bytes).toBe(16 * 8);
    expect(t.size).toBe(0);
    expect(t.get(5)).toBe(0);
  });

  it('refuses a value it could not tell from an empty slot, or one beyond 32 bits', () => {
    const t = new HandleTable();
    expect(() => t.set(1, 0)).toThrow(RangeError);
    expect(() => t.set(1, 2 ** 32)).toThrow(RangeError);
    expect(() => t.set(1, 1.5)).toThrow(RangeError);
    expect(t.size).toBe(0);
  });
});
