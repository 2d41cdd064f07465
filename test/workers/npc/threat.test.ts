import { describe, expect, it } from 'vitest';
import { Reader } from '../../../src/protocol/reader.ts';
import { Writer } from '../../../src/protocol/writer.ts';
import { NO_TARGET, THREAT_ENTRIES, ThreatTables } from '../../../src/workers/npc/threat.ts';

const melee = () => true;
const ranged = () => false;

/** The target select() leaves for `slot`, starting from `current`. */
function pick(t: ThreatTables, slot: number, current: number, tick: number, inMelee: (at: number) => boolean): number {
  const targets = new Float64Array(16).fill(NO_TARGET);
  targets[slot] = current;
  const changed = t.select(slot, targets, tick, inMelee);
  expect(changed).toBe(targets[slot] !== current);
  return targets[slot];
}

describe('ThreatTables', () => {
  it('sums threat per attacker and keeps tables of different NPCs apart', () => {
    const t = new ThreatTables(4);
    t.add(1, 100, 5);
    t.add(1, 100, 7);
    t.add(2, 100, 1);
    expect(t.of(1, 100)).toBe(12);
    expect(t.of(2, 100)).toBe(1);
    expect(t.of(3, 100)).toBe(-1);
    expect(t.empty(3)).toBe(true);
  });

  it('takes the most threatening attacker when there is no current target', () => {
    const t = new ThreatTables(2);
    t.add(0, 7, 10);
    t.add(0, 8, 30);
    t.add(0, 9, 20);
    expect(pick(t, 0, NO_TARGET, 0, melee)).toBe(8);
  });

  it('switches only past 110 % of the current target in melee range and 130 % out of it', () => {
    const t = new ThreatTables(2);
    t.add(0, 1, 100);
    t.add(0, 2, 110);
    expect(pick(t, 0, 1, 0, melee)).toBe(1); // exactly 110 %: not more
    t.add(0, 2, 1);
    expect(pick(t, 0, 1, 0, melee)).toBe(2);
    expect(pick(t, 0, 1, 0, ranged)).toBe(1); // 111 % at range: stays
    t.add(0, 2, 20);
    expect(pick(t, 0, 1, 0, ranged)).toBe(2); // 131 %
  });

  it('gives a taunt the target until it runs out, then threat decides again', () => {
    const t = new ThreatTables(2);
    t.add(0, 1, 1000);
    t.taunt(0, 2, 50);
    expect(t.of(0, 2)).toBe(0);
    expect(pick(t, 0, 1, 49, melee)).toBe(2);
    expect(pick(t, 0, 2, 50, melee)).toBe(1);
  });

  it('drops a removed attacker and its taunt', () => {
    const t = new ThreatTables(1);
    t.add(0, 1, 5);
    t.taunt(0, 2, 100);
    t.remove(0, 2);
    expect(pick(t, 0, NO_TARGET, 0, melee)).toBe(1);
    t.remove(0, 1);
    expect(pick(t, 0, 1, 0, melee)).toBe(NO_TARGET);
  });

  it('replaces the least threatening entry when full, and only for more threat', () => {
    const t = new ThreatTables(1);
    for (let i = 0; i < THREAT_ENTRIES; i++) t.add(0, 10 + i, 10 + i);
    t.add(0, 99, 5); // less than the least (10): not kept
    expect(t.of(0, 99)).toBe(-1);
    t.add(0, 98, 50);
    expect(t.of(0, 98)).toBe(50);
    expect(t.of(0, 10)).toBe(-1);
  });

  it('keeps u32 handles above 2^31 distinct from "no target"', () => {
    const t = new ThreatTables(1);
    t.add(0, 0xffffffff, 3);
    expect(pick(t, 0, NO_TARGET, 0, melee)).toBe(0xffffffff);
  });

  it('travels whole in a handoff record of BYTES bytes', () => {
    const a = new ThreatTables(4);
    a.add(3, 7, 12.5);
    a.add(3, 0x80000001, 40);
    a.taunt(3, 7, 77);
    const bytes = new Uint8Array(ThreatTables.BYTES);
    const w = new Writer().reset(bytes);
    a.write(w, 3);
    expect(w.length).toBe(ThreatTables.BYTES);
    const b = new ThreatTables(8);
    b.read(new Reader().reset(bytes), 5);
    expect(b.of(5, 7)).toBe(12.5);
    expect(b.of(5, 0x80000001)).toBe(40);
    expect(pick(b, 5, NO_TARGET, 76, melee)).toBe(7);
    expect(pick(b, 5, 7, 77, melee)).toBe(0x80000001);
  });
});
