/**
 * The quest-credit system on the combat fixture's two-cell zone (the border
 * is x = 32; the safe camp lies in cell 1): the facts the gate is told for
 * quests, a kill's credit from the cell where the NPC died (across the
 * border through the event channel) and a step into a named area.
 */
import { describe, expect, it } from 'vitest';
import { areaMask, namedAreasOf } from '../../../src/content/zone-areas.ts';
import { MoveKind } from '../../../src/protocol/opcodes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { EntityFlags } from '../../../src/shared/layout.ts';
import { CellMsg, QuestFact } from '../../../src/shared/messages/cell-to-gate.ts';
import { writeInput } from '../../../src/shared/messages/gate-to-cell.ts';
import { Class, combatZone, DUMMY_OVER, Fighter, Npc, npcAt, run, SAFE, WEAKLING_AT, zoneMap } from '../combat/fixture.ts';
import type { InThreadZone } from '../fixtures/in-thread-zone.ts';

const facts = (z: InThreadZone, conn: number) => z.control.filter((m) => m.op === CellMsg.QUEST_FACT && m.conn === conn).map((m) => ({ fact: m.fact, value: m.value }));

function walk(z: InThreadZone, f: Fighter, seq: number, x: number, y: number): void {
  const ring = z.gateIn[z.ownerOf(f.handle)];
  if (!writeInput(ring, f.conn, seq, f.view.lastTick, MoveKind.DESTINATION, x, y)) throw new Error('gate ring full');
  ring.flush();
}

describe('quest credit', () => {
  it('credits everyone who fought an NPC with its kill, the one across the cell border too, once each', () => {
    const z = combatZone();
    z.tick();
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_OVER);
    expect(z.ownerOf(dummy)).toBe(1);
    const near = Fighter.join(z, 1, Class.FIGHTER, DUMMY_OVER.x + 1.2, DUMMY_OVER.y);
    const over = Fighter.join(z, 2, Class.FIGHTER, DUMMY_OVER.x - 1.4, DUMMY_OVER.y);
    expect(z.ownerOf(over.handle)).toBe(0);
    const f = z.views.store.f;
    f.hp[indexOf(dummy)] = 40; // a few swings from two fighters
    near.attack(dummy);
    over.attack(dummy);
    for (let t = 0; t < 400 && (f.flags[indexOf(dummy)] & EntityFlags.DEAD) === 0; t++) run(z, 1, near, over);
    run(z, 3, near, over);
    expect(f.flags[indexOf(dummy)] & EntityFlags.DEAD).toBe(EntityFlags.DEAD);
    for (const conn of [1, 2]) expect(facts(z, conn)).toEqual([{ fact: QuestFact.KILL, value: Npc.DUMMY }]);
  });

  it('credits a lone fighter with a kill in its own cell, once', () => {
    const z = combatZone();
    z.tick();
    const weakling = npcAt(z, Npc.WEAKLING, WEAKLING_AT);
    const p = Fighter.join(z, 3, Class.FIGHTER, WEAKLING_AT.x + 1, WEAKLING_AT.y);
    p.attack(weakling);
    const f = z.views.store.f;
    for (let t = 0; t < 600 && (f.flags[indexOf(weakling)] & EntityFlags.DEAD) === 0; t++) run(z, 1, p);
    run(z, 3, p);
    expect(facts(z, 3)).toEqual([{ fact: QuestFact.KILL, value: Npc.WEAKLING }]);
  });

  it('tells of a step into a named area once per arrival, not for moving about inside it nor for joining inside it', () => {
    const z = combatZone();
    z.tick();
    const p = Fighter.join(z, 4, Class.FIGHTER, SAFE.x - 6, 4);
    run(z, 2, p);
    walk(z, p, 1, SAFE.x + 3, 4);
    run(z, 80, p);
    expect(facts(z, 4)).toEqual([{ fact: QuestFact.REACH, value: 0 }]);
    walk(z, p, 2, SAFE.x + 5, 5); // still inside: nothing new
    run(z, 40, p);
    walk(z, p, 3, SAFE.x - 6, 4); // out and back in
    run(z, 80, p);
    walk(z, p, 4, SAFE.x + 2, 3);
    run(z, 80, p);
    expect(facts(z, 4)).toEqual([
      { fact: QuestFact.REACH, value: 0 },
      { fact: QuestFact.REACH, value: 0 },
    ]);
    const inside = Fighter.join(z, 5, Class.FIGHTER, SAFE.x + 4, 4);
    run(z, 20, inside);
    expect(facts(z, 5)).toEqual([]);
  });

  it('maps each tile to the smallest named area holding its centre', () => {
    const map = zoneMap();
    map.spawnAreas.push({ name: 'meadow', x: 50, y: 0, width: 14, height: 12, npc: 'npc.dummy', count: 1, respawnSeconds: 1, jitterSeconds: 0 });
    const areas = namedAreasOf(map);
    expect(areas.map((a) => a.name)).toEqual(['camp', 'meadow']);
    const mask = areaMask(areas, map.width, map.height);
    const at = (x: number, y: number) => mask[y * map.width + x];
    expect(at(57, 2)).toBe(1); // the camp, inside the meadow
    expect(at(52, 2)).toBe(2); // the meadow alone
    expect(at(52, 10)).toBe(2);
    expect(at(40, 2)).toBe(0);
    expect(at(63, 11)).toBe(2);
  });
});
