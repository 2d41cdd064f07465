/**
 * The gate's connections as the item service sees them: the class check on
 * equip needs the character's content class id, mapped from its 1-based
 * class number (classes.json order).
 */
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/main/gate/connection.ts';
import { itemPlayer } from '../../../src/main/items/gate-items.ts';

const CLASSES = ['class.warrior', 'class.mage', 'class.rogue'];
const conn = (classId: number, level?: number) => ({ id: 3, characterId: 30, handle: 99, classId, lastState: level === undefined ? undefined : { zone: 'field', x: 1, y: 1, hp: 1, level, xp: 0 } }) as unknown as Connection;

describe('itemPlayer', () => {
  it("gives the character's content class id, for the class check on equip", () => {
    expect(itemPlayer(conn(1), CLASSES).classId()).toBe('class.warrior');
    expect(itemPlayer(conn(2), CLASSES).classId()).toBe('class.mage');
    expect(itemPlayer(conn(3), CLASSES).classId()).toBe('class.rogue');
  });

  it("gives '' (no check) for a class number the content does not have, or without content", () => {
    for (const n of [0, -1, 4, 1.5, Number.NaN]) expect(itemPlayer(conn(n), CLASSES).classId()).toBe('');
    expect(itemPlayer(conn(1)).classId()).toBe('');
  });

  it('reads the live level from the last state the cell reported', () => {
    const c = conn(1, 4);
    const p = itemPlayer(c, CLASSES);
    expect(p.level()).toBe(4);
    (c as { lastState: { level: number } }).lastState.level = 5;
    expect(p.level()).toBe(5);
  });
});
