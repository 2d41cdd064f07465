/**
 * The pure parts of the client's items, in Node: the inventory applied
 * from INVENTORY messages (full and delta, drops, removals, gold, answers
 * matched to requests), what "use" does per item, refusal words for every
 * ItemReason, and tooltips from the content's item details; and the
 * content build's item details (entities.json format 4) on the default
 * world.
 */
import { describe, expect, it } from 'vitest';
import { EQUIP_SLOTS } from '../../../../src/content/schema/items.ts';
import { readFileSync } from 'node:fs';
import { loadContent } from '../../../../src/content/schema/load.ts';
import { clientEntitiesOf } from '../../../../src/content/build/client-entities.ts';
import { BAG_SLOTS, Container, GOLD_TEMPLATE, ItemOp, ITEM_REASON_COUNT } from '../../../../src/protocol/item-codes.ts';
import type { InventoryMessage, ItemRecord } from '../../../../src/protocol/item-messages.ts';
import type { ClientEntitiesJson } from '../../../../web/client/src/content/types.ts';
import { EQUIPMENT_SLOTS, Inventory, primaryOp } from '../../../../web/client/src/items/inventory.ts';
import { ITEM_REFUSAL_WORDS, itemDoneText, itemLabel, itemRefusalText, statValue, tooltipLines } from '../../../../web/client/src/items/item-text.ts';

const rec = (id: number, template: number, slot: number, o: Partial<ItemRecord> = {}): ItemRecord => ({ id, version: 1, template, count: 1, container: Container.BAG, slot, ...o });
const msg = (o: Partial<Omit<InventoryMessage, 'op'>>): InventoryMessage => ({ op: 'inventory', full: false, gold: -1, items: [], removed: [], results: [], ...o });

describe('the inventory', () => {
  it('knows nothing before the first full INVENTORY, then holds what it lists', () => {
    const inv = new Inventory();
    expect(inv.known).toBe(false);
    inv.apply(msg({ full: true, gold: 12, items: [rec(1, 3, 0), rec(2, 4, 5, { count: 7 }), rec(3, 8, 3, { container: Container.EQUIPMENT })] }));
    expect(inv.known).toBe(true);
    expect(inv.gold).toBe(12);
    const bag = inv.bag();
    expect(bag).toHaveLength(BAG_SLOTS);
    expect(bag[0]?.id).toBe(1);
    expect(bag[5]?.count).toBe(7);
    expect(bag.filter((x) => x !== null)).toHaveLength(2);
    expect(inv.equipment()[3]?.template).toBe(8);
    expect(inv.firstFreeSlot()).toBe(1);
    expect(inv.countOf(4)).toBe(7);
  });

  it('applies deltas: a changed item moves, a dropped one (container GROUND) and a removed one leave, gold -1 keeps the gold', () => {
    const inv = new Inventory();
    inv.apply(msg({ full: true, gold: 5, items: [rec(1, 3, 0), rec(2, 4, 1), rec(3, 5, 2)] }));
    const v = inv.version;
    inv.apply(msg({ items: [rec(1, 3, 3, { container: Container.EQUIPMENT, version: 2 }), rec(2, 4, 1, { container: Container.GROUND, version: 2 })], removed: [3] }));
    expect(inv.version).toBeGreaterThan(v);
    expect(inv.gold).toBe(5);
    expect(inv.bag().every((x) => x === null)).toBe(true);
    expect(inv.equipment()[3]?.id).toBe(1);
    expect(inv.items.size).toBe(1);
    // A full one replaces everything.
    inv.apply(msg({ full: true, gold: 0, items: [rec(9, 2, 23)] }));
    expect([...inv.items.keys()]).toEqual([9]);
    expect(inv.gold).toBe(0);
    expect(inv.firstFreeSlot()).toBe(0);
  });

  it('matches each answer to the request it answers, and forgets answered requests', () => {
    const inv = new Inventory();
    inv.apply(msg({ full: true, gold: 0, items: [rec(1, 3, 0)] }));
    inv.sent(7, ItemOp.EQUIP, 1, 3);
    inv.sent(8, ItemOp.PICKUP, 4242, 5);
    inv.sent(-1, ItemOp.USE, 1, 3); // not sent: not remembered
    expect(inv.waiting).toBe(2);
    expect(inv.busy(1)).toBe(true);
    const answers = inv.apply(msg({ results: [{ seq: 8, reason: 14 }, { seq: 7, reason: 0 }, { seq: 99, reason: 5 }] }));
    expect(answers).toEqual([
      { op: ItemOp.PICKUP, item: 4242, template: 5, reason: 14 },
      { op: ItemOp.EQUIP, item: 1, template: 3, reason: 0 },
      { op: 0, item: 0, template: 0, reason: 5 },
    ]);
    expect(inv.waiting).toBe(0);
    expect(inv.busy(1)).toBe(false);
  });

  it('remembers a bounded number of unanswered requests', () => {
    const inv = new Inventory();
    for (let seq = 1; seq <= 500; seq++) inv.sent(seq, ItemOp.MOVE, seq, 1);
    expect(inv.waiting).toBeLessThanOrEqual(64);
    expect(inv.apply(msg({ results: [{ seq: 500, reason: 0 }] }))[0].op).toBe(ItemOp.MOVE);
    expect(inv.apply(msg({ results: [{ seq: 1, reason: 0 }] }))[0].op).toBe(0);
  });

  it('ignores records of a slot past the bag or the equipment', () => {
    const inv = new Inventory();
    inv.apply(msg({ full: true, gold: 0, items: [rec(1, 3, 400), rec(2, 3, 99, { container: Container.EQUIPMENT })] }));
    expect(inv.bag().every((x) => x === null)).toBe(true);
    expect(inv.equipment().every((x) => x === null)).toBe(true);
  });

  it('uses a consumable, equips equipment, takes off what is worn, and does nothing with the rest', () => {
    expect(primaryOp(Container.BAG, '', 'consumable')).toBe(ItemOp.USE);
    expect(primaryOp(Container.BAG, 'chest', 'armor')).toBe(ItemOp.EQUIP);
    expect(primaryOp(Container.EQUIPMENT, 'chest', 'armor')).toBe(ItemOp.UNEQUIP);
    expect(primaryOp(Container.BAG, '', 'material')).toBe(0);
    expect(primaryOp(Container.BAG, undefined, undefined)).toBe(0);
  });

  it('has the content schema\'s equipment slots in the wire\'s order', () => {
    expect([...EQUIPMENT_SLOTS]).toEqual([...EQUIP_SLOTS]);
  });
});

describe('item words', () => {
  it('has words for every ItemReason, and says something for an unknown one', () => {
    for (let r = 1; r < ITEM_REASON_COUNT; r++) expect((ITEM_REFUSAL_WORDS as Record<number, string>)[r], `reason ${r}`).toMatch(/\w/);
    expect(Object.keys(ITEM_REFUSAL_WORDS)).toHaveLength(ITEM_REASON_COUNT - 1);
    expect(itemRefusalText(13)).toBe('Too far away to pick up');
    expect(itemRefusalText(200)).toBe('Refused (200)');
    expect(itemDoneText(ItemOp.PICKUP, 'Wolf Pelt')).toBe('Picked up Wolf Pelt');
    expect(itemDoneText(ItemOp.MOVE, 'Wolf Pelt')).toBe('');
    expect([statValue('critChance', 100), statValue('dodgeChance', 250), statValue('armor', 12)]).toEqual(['1%', '2.5%', '12']);
  });

  it('builds tooltips from the default world\'s item details (entities.json format 4)', () => {
    const loaded = loadContent((file) => readFileSync(new URL(`../../../../data/${file}`, import.meta.url), 'utf8'));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const cat = clientEntitiesOf(loaded.content, null, () => ({ path: '', width: 0, height: 0, transparentColor: '' }), () => {}) as ClientEntitiesJson;
    expect(cat.format).toBe(4);
    const n = (id: string) => cat.items.findIndex((i) => i.id === id) + 1;
    const text = (id: string, count = 1, level = 1, cls = 1) => tooltipLines(cat, n(id), count, level, cls).map((l) => `${l.style}:${l.text}`);
    expect(text('item.leather_jerkin')).toEqual(['name:Leather Jerkin', 'muted:Chest · Armor', 'stat:+12 Armor', 'stat:+1 Stamina', 'muted:Sells for 12 gold']);
    const sword = text('item.militia_longsword', 1, 1, 2);
    expect(sword).toContain('plain:9–15 damage, every 2.4 s');
    expect(sword).toContain('warn:Requires level 4');
    expect(sword).toContain('warn:Classes: Warrior');
    expect(text('item.militia_longsword', 1, 5, 1)).toContain('muted:Classes: Warrior');
    const draught = text('item.health_potion', 3);
    expect(draught.find((l) => l.startsWith('use:'))).toMatch(/^use:Use: .+ \(30 s cooldown\)$/);
    expect(draught).toContain('muted:Stack: 3 / 20');
    expect(text('item.signet_ring')).toContain('flavour:“Someone\'s family crest, worn smooth.”');
    expect(tooltipLines(cat, GOLD_TEMPLATE, 7, 1, 1)).toEqual([{ text: '7 gold', style: 'name' }]);
    expect(tooltipLines(cat, 9999, 1, 1, 1)[0].text).toBe('Unknown item 9999');
    expect(itemLabel(cat, n('item.wolf_pelt'), 3)).toBe('Wolf Pelt ×3');
  });
});
