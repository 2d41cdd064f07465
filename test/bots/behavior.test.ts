import { describe, expect, it } from 'vitest';
import { characterNameFor } from '../../src/bots/accounts.ts';
import { fight, newIntent, wander } from '../../src/bots/behavior.ts';
import { mulberry32 } from '../../src/shared/random.ts';
import { Limits, MoveKind } from '../../src/protocol/opcodes.ts';
import { ViewTable } from '../../src/protocol/view-table.ts';
import { EntityKind } from '../../src/shared/layout.ts';

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

describe('fight', () => {
  it('goes for the nearest NPC in view, else wanders', () => {
    const v = new ViewTable();
    const add = (id: number, kind: number, x: number, y: number): void => {
      const i = v.count++;
      v.ids[i] = id;
      v.kind[i] = kind;
      v.x[i] = x * Limits.positionScale;
      v.y[i] = y * Limits.positionScale;
    };
    add(1, EntityKind.PLAYER, 50, 50); // me
    add(2, EntityKind.NPC, 80, 80);
    add(3, EntityKind.NPC, 55, 52);
    add(4, EntityKind.PLAYER, 51, 51);
    const it0 = newIntent();
    fight(it0, 0, mulberry32(2), { x: 50, y: 50 }, v, 1, 256, 256);
    expect(it0).toMatchObject({ move: MoveKind.DESTINATION, x: 55, y: 52 });
    const empty = new ViewTable();
    const it1 = newIntent();
    fight(it1, 0, mulberry32(2), { x: 50, y: 50 }, empty, 1, 256, 256);
    expect(it1.move).not.toBe(MoveKind.DESTINATION);
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
