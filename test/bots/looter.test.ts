import { describe, expect, it } from 'vitest';
import { newIntent } from '../../src/bots/behavior.ts';
import { Looter } from '../../src/bots/looter.ts';
import type { BookItem } from '../../src/bots/world-book.ts';
import { CombatEvent } from '../../src/protocol/combat-codes.ts';
import { Container, ItemOp, ItemReason } from '../../src/protocol/item-codes.ts';
import type { InventoryMessage, ItemRecord } from '../../src/protocol/item-messages.ts';
import { MoveKind } from '../../src/protocol/opcodes.ts';
import { EntityFlags, EntityKind } from '../../src/shared/layout.ts';
import { ME, viewOf, type Row } from './bot-views.ts';

// Items: 1 a potion that heals, 2 a jerkin (chest, score 13), 3 a robe for class 2 only (chest, 26), 4 a ring from level 5 (8).
const BOOK: (BookItem | null)[] = [
  null,
  { slot: -1, levelRequired: 1, classes: [], score: 0, heals: true, cooldownMs: 30_000 },
  { slot: 3, levelRequired: 1, classes: [], score: 13, heals: false, cooldownMs: 0 },
  { slot: 3, levelRequired: 1, classes: [2], score: 26, heals: false, cooldownMs: 0 },
  { slot: 8, levelRequired: 5, classes: [], score: 8, heals: false, cooldownMs: 0 },
];

function looter(classId = 1) {
  const counts: Record<string, number> = {};
  const l = new Looter(BOOK, classId, (name, by = 1) => {
    counts[name] = (counts[name] ?? 0) + by;
  });
  return { l, counts, it: newIntent() };
}

const me = (extra: Partial<Row> = {}): Row => ({ id: ME, kind: EntityKind.PLAYER, x: 20, y: 20, ...extra });
const item = (id: number, template: number, container: number = Container.BAG, slot = 0): ItemRecord => ({ id, version: 1, template, count: 1, container, slot });
const inv = (items: ItemRecord[], extra: Partial<InventoryMessage> = {}): InventoryMessage => ({ op: 'inventory', full: true, gold: 0, items, removed: [], results: [], ...extra });
const P = { x: 20, y: 20 };

describe('Looter', () => {
  it('wears a better item for its slot, and not one of another class, a higher level, or worse than worn', () => {
    const { l, counts, it } = looter(1);
    l.onInventory(inv([item(101, 3), item(102, 4), item(103, 2)]));
    expect(l.decide(0, viewOf(1, [me()]), P, it)).toBe(true);
    expect(l.request).toMatchObject({ itemOp: ItemOp.EQUIP, item: 103, version: 1 });
    // The answer, with the jerkin now worn: nothing more to wear (the robe is for class 2, the ring for level 5).
    l.onInventory(inv([item(103, 2, Container.EQUIPMENT, 3)], { full: false, results: [{ seq: l.request.seq, reason: 0 }] }));
    expect(counts.equipped).toBe(1);
    expect(l.decide(10, viewOf(2, [me()]), P, it)).toBe(false);
    // At level 5 the ring goes on.
    l.onInventory(inv([], { full: false }));
    expect(l.decide(20, viewOf(3, [me({ level: 5 })]), P, it)).toBe(true);
    expect(l.request).toMatchObject({ itemOp: ItemOp.EQUIP, item: 102 });
  });

  it('drinks a healing potion below a third of its health, then waits out its cooldown', () => {
    const { l, counts, it } = looter();
    l.onInventory(inv([item(201, 1)]));
    expect(l.decide(0, viewOf(1, [me({ hp: 50 })]), P, it)).toBe(false);
    expect(l.decide(0, viewOf(2, [me({ hp: 30 })]), P, it)).toBe(true);
    expect(l.request).toMatchObject({ itemOp: ItemOp.USE, item: 201 });
    l.onInventory(inv([], { full: false, results: [{ seq: l.request.seq, reason: 0 }] }));
    expect(counts.potions_used).toBe(1);
    expect(l.decide(1000, viewOf(3, [me({ hp: 20 })]), P, it)).toBe(false);
    // The server says its skill is still cooling down (a relog, another item of the skill): not blocked, tried after the cooldown.
    expect(l.decide(31_000, viewOf(4, [me({ hp: 20 })]), P, it)).toBe(true);
    l.onInventory(inv([], { full: false, results: [{ seq: l.request.seq, reason: ItemReason.ON_COOLDOWN }] }));
    expect(counts.refused_on_cooldown).toBe(1);
    expect(l.decide(35_000, viewOf(5, [me({ hp: 20 })]), P, it)).toBe(false);
    expect(l.decide(61_500, viewOf(6, [me({ hp: 20 })]), P, it)).toBe(true);
    expect(l.request).toMatchObject({ itemOp: ItemOp.USE, item: 201 });
    // Dead: nothing.
    expect(l.decide(40_000, viewOf(4, [me({ hp: 0, flags: EntityFlags.DEAD })]), P, it)).toBe(false);
  });

  it('picks up the loot of its own kills (walking to it first), and not what lies elsewhere', () => {
    const { l, counts, it } = looter();
    const wolf: Row = { id: 60, kind: EntityKind.NPC, template: 7, x: 26, y: 20, flags: EntityFlags.DEAD };
    const loot: Row = { id: 61, kind: EntityKind.ITEM, template: 2, x: 26.5, y: 20 };
    const stranger: Row = { id: 62, kind: EntityKind.ITEM, template: 2, x: 21, y: 22 };
    // Before any kill, nothing is owed (not even the item at its feet).
    expect(l.decide(0, viewOf(1, [me(), loot, stranger]), P, it)).toBe(false);
    // Another's kill (its loot is the other's) is not looked at; the bot's own is.
    const other = viewOf(2, [me(), wolf]);
    other.events.push(CombatEvent.LOOT, 0, 60, 99, 2, 1);
    other.events.push(CombatEvent.DEATH, 0, ME, 60, 0, 0);
    l.observe(other, 0);
    expect(l.decide(50, viewOf(3, [me(), wolf, loot, stranger]), P, it)).toBe(false);
    expect(l.steering).toBe(false);
    const v = viewOf(2, [me(), wolf]);
    v.events.push(CombatEvent.LOOT, 0, 60, ME, 2, 1);
    l.observe(v, 0);
    // The loot lies 6.5 tiles off: walked to.
    expect(l.decide(100, viewOf(3, [me(), wolf, loot, stranger]), P, it)).toBe(false);
    expect(l.steering).toBe(true);
    expect(it).toMatchObject({ move: MoveKind.DESTINATION, x: 26.5, y: 20 });
    expect(l.decide(200, viewOf(4, [me({ x: 25 }), wolf, loot, stranger]), { x: 25, y: 20 }, it)).toBe(true);
    expect(l.request).toMatchObject({ itemOp: ItemOp.PICKUP, item: 61 });
    l.onInventory(inv([item(301, 2)], { full: false, results: [{ seq: l.request.seq, reason: 0 }] }));
    expect(counts.picked_up).toBe(1);
    // Half a minute on the loot is anyone's: not looked for.
    expect(l.decide(40_000, viewOf(5, [me({ x: 25 }), wolf, loot]), { x: 25, y: 20 }, it)).toBe(true);
    expect(l.request.itemOp).toBe(ItemOp.EQUIP);
  });

  it('counts refusals by reason, asks no more for what was refused, and stops for good when it keeps no items', () => {
    const { l, counts, it } = looter();
    l.onInventory(inv([item(401, 2)]));
    expect(l.decide(0, viewOf(1, [me()]), P, it)).toBe(true);
    l.onInventory(inv([], { full: false, results: [{ seq: l.request.seq, reason: ItemReason.WRONG_CLASS }] }));
    expect(counts.refused_wrong_class).toBe(1);
    expect(l.decide(10, viewOf(2, [me()]), P, it)).toBe(false);
    // An answer that never comes: given up after a while and counted.
    const g = looter();
    g.l.onInventory(inv([item(402, 2)]));
    expect(g.l.decide(0, viewOf(1, [me()]), P, g.it)).toBe(true);
    expect(g.l.decide(1000, viewOf(2, [me()]), P, g.it)).toBe(false);
    g.l.decide(6000, viewOf(3, [me()]), P, g.it);
    expect(g.counts.result_timeouts).toBe(1);
    // A guest: told once, then quiet.
    const guest = looter();
    guest.l.onInventory(inv([item(501, 2)]));
    expect(guest.l.decide(0, viewOf(1, [me()]), P, guest.it)).toBe(true);
    guest.l.onInventory(inv([], { full: false, results: [{ seq: guest.l.request.seq, reason: ItemReason.NO_CHARACTER }] }));
    guest.l.onInventory(inv([item(502, 2)], { full: false }));
    expect(guest.l.decide(10, viewOf(2, [me({ hp: 5 })]), P, guest.it)).toBe(false);
    expect(guest.counts).toEqual({ refused_no_character: 1 });
  });
});
