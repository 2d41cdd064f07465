import { describe, expect, it } from 'vitest';
import { characterNameFor } from '../../src/bots/accounts.ts';
import { newIntent, wander } from '../../src/bots/behavior.ts';
import { mulberry32 } from '../../src/shared/random.ts';
import { MoveKind } from '../../src/protocol/opcodes.ts';

describe('wander', () => {
  it('walks in valid directions, pauses sometimes, and heads inwards at the edge', () => {
    const rnd = mulberry32(1);
    const it0 = newIntent();
    let stops = 0;
    for (let t = 0; t < 1000; t++) {
      it0.until = 0;
      wander(it0, t, rnd, { x: 100, y: 100 }, 256, 256);
      if (it0.move === MoveKind.STOP) stops++;
      else {
        expect(Math.abs(it0.dx)).toBeLessThanOrEqual(127);
        expect(Math.abs(it0.dy)).toBeLessThanOrEqual(127);
      }
    }
    expect(stops).toBeGreaterThan(50);
    expect(stops).toBeLessThan(250);
    for (let k = 0; k < 100; k++) {
      const e = newIntent();
      wander(e, 0, rnd, { x: 1, y: 128 }, 256, 256);
      expect(e.move).toBe(MoveKind.DIRECTION);
      expect(e.dx).toBeGreaterThan(0);
    }
  });
});

describe('characterNameFor', () => {
  it('gives valid, distinct letter-only names', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const n = characterNameFor('bot3k9x1', i);
      expect(n).toMatch(/^[a-z]{3,16}$/);
      seen.add(n);
    }
    expect(seen.size).toBe(5000);
    expect(characterNameFor('1', 0)).toMatch(/^[a-z]{3,16}$/);
  });
});
