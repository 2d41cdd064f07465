/**
 * Loot and gear in the cells, on the combat fixture's zone with items and a
 * loot table added: a weakling killed by a fighter drops its table's item and
 * gold as ground items reserved for the killer; what a player wears (told by
 * the gate) adds its stats, and keeps adding them after a handoff.
 */
import { describe, expect, it } from 'vitest';
import { encodeContentPack } from '../../../src/content/pack/content-pack.ts';
import { encodeZonePack } from '../../../src/content/pack/zone-pack.ts';
import { FILE_SCHEMAS } from '../../../src/content/schema/index.ts';
import { CombatEvent } from '../../../src/protocol/combat-codes.ts';
import { MoveKind } from '../../../src/protocol/opcodes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { EntityFlags, EntityKind } from '../../../src/shared/layout.ts';
import { GATE_ITEM_OP, GOLD_TEMPLATE, ItemMessage, ItemToCell, writeItem } from '../../../src/shared/messages/items.ts';
import { writeInput } from '../../../src/shared/messages/gate-to-cell.ts';
import { Derived } from '../../../src/workers/combat/stats.ts';
import { groundItemsOf } from '../../../src/workers/systems/ground-items.ts';
import { Class, combatAt, content, Fighter, H, Npc, npcAt, run, W, WEAKLING_AT, zoneMap } from '../combat/fixture.ts';
import { InThreadZone } from '../fixtures/in-thread-zone.ts';

function lootZone(): InThreadZone {
  const c = content();
  c.items = FILE_SCHEMAS.items.parse({
    items: [
      { id: 'item.fang', name: 'Fang', kind: 'material', stackSize: 10 },
      { id: 'item.vest', name: 'Vest', kind: 'armor', slot: 'chest', stats: { armor: 12, stamina: 1 } },
    ],
  }).items;
  c.loot = FILE_SCHEMAS.loot.parse({ loot: [{ id: 'loot.weakling', gold: { min: 5, max: 5 }, groups: [{ entries: [{ item: 'item.fang', chance: 10_000, quantity: { min: 2, max: 2 } }] }] }] }).loot;
  c.npcs = c.npcs.map((n) => (n.id === 'npc.weakling' ? { ...n, loot: 'loot.weakling' } : n));
  const bytes = encodeContentPack(c);
  const sab = new SharedArrayBuffer(bytes.length);
  new Uint8Array(sab).set(bytes);
  return new InThreadZone({ spec: { width: W, height: H, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: 256 }, pack: encodeZonePack(zoneMap(), 'combat'), cell: { content: sab } });
}

function tellWorn(z: InThreadZone, f: Fighter, slot: number, item: number): void {
  const m = new ItemMessage().clear(ItemToCell.EQUIPMENT);
  m.conn = f.conn;
  m.skill = slot;
  m.template = item;
  const ring = z.gateIn[z.ownerOf(f.handle)];
  writeItem(ring, GATE_ITEM_OP, m);
  ring.flush();
}

describe('loot and gear in the cells', () => {
  it('a killed NPC drops its loot table as ground items, its killer\'s for the ownership window', () => {
    const z = lootZone();
    z.tick();
    const weakling = npcAt(z, Npc.WEAKLING, WEAKLING_AT);
    const a = Fighter.join(z, 1, Class.FIGHTER, WEAKLING_AT.x + 1, WEAKLING_AT.y);
    a.attack(weakling);
    const f = z.views.store.f;
    for (let t = 0; t < 400 && (f.flags[indexOf(weakling)] & EntityFlags.DEAD) === 0; t++) run(z, 1, a);
    run(z, 2, a);
    const ground = groundItemsOf(z.cells[0])!;
    const items: { template: number; count: number; killer: number; near: number }[] = [];
    for (let s = 0; s < z.views.store.capacity; s++) {
      if (f.kind[s] !== EntityKind.ITEM || !z.views.store.isValid(z.views.store.handleAt(s))) continue;
      items.push({ template: f.template[s], count: ground.count[s], killer: ground.killer[s], near: Math.hypot(f.x[s] - WEAKLING_AT.x, f.y[s] - WEAKLING_AT.y) });
    }
    expect(items.map(({ template, count, killer }) => ({ template, count, killer })).sort((x, y) => x.template - y.template)).toEqual([
      { template: 1, count: 2, killer: a.handle },
      { template: GOLD_TEMPLATE, count: 5, killer: a.handle },
    ]);
    for (const it of items) expect(it.near).toBeLessThan(1.5);
    // The killer's client saw what was rolled: a LOOT event per item, from the dead weakling.
    const loot = a.events.filter((e) => e.type === CombatEvent.LOOT).map(({ source, target, skill, amount }) => ({ source, target, skill, amount }));
    expect(loot.sort((x, y) => x.skill - y.skill)).toEqual([
      { source: weakling, target: a.handle, skill: 1, amount: 2 },
      { source: weakling, target: a.handle, skill: GOLD_TEMPLATE, amount: 5 },
    ]);
  });

  it('what a player wears adds its stats, and still does after a handoff to the next cell', () => {
    const z = lootZone();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, 30, 4);
    run(z, 2, p);
    const armor = () => combatAt(z, p.handle).state.stats.get(p.slot, Derived.ARMOR);
    const base = armor();
    tellWorn(z, p, 3, 2);
    run(z, 2, p);
    expect(armor()).toBe(base + 12);
    expect(p.view.self!.stat('armor')).toBe(base + 12);
    // Walk over the border at x = 32: the gear travels with the handoff.
    const ring = z.gateIn[z.ownerOf(p.handle)];
    writeInput(ring, p.conn, 1, 0, MoveKind.DESTINATION, 36, 4);
    ring.flush();
    for (let t = 0; t < 100 && z.ownerOf(p.handle) !== 1; t++) run(z, 1, p);
    expect(z.ownerOf(p.handle)).toBe(1);
    run(z, 2, p);
    expect(armor()).toBe(base + 12);
    tellWorn(z, p, 3, 0);
    run(z, 2, p);
    expect(armor()).toBe(base);
  });
});
