/**
 * The inventory a player enters with (item-entry.ts), through the gate's
 * item service with a stand-in store and gate: it is read again when a
 * commit the player was told of overtook the read (a move sent before the
 * inventory came was restated undone: found by the soak); what the player
 * wears goes to its cell at entry and again as commits change it.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ItemCatalogue, SLOT_MAIN_HAND, SLOT_OFF_HAND } from '../../../src/main/items/catalogue.ts';
import { ItemService, type ItemHost, type ItemPlayer } from '../../../src/main/items/item-service.ts';
import type { ItemResult, ItemStore } from '../../../src/main/items/item-store.ts';
import { ItemOp } from '../../../src/protocol/item-codes.ts';
import { decodeInventory, type ItemRequest } from '../../../src/protocol/item-messages.ts';
import { Reader } from '../../../src/protocol/reader.ts';
import { ItemToCell, type ItemFields } from '../../../src/shared/messages/items.ts';
import { TEST_ITEMS } from '../../helpers/items.ts';

const PLAYER: ItemPlayer = { id: 7, characterId: 70, handle: 1234, level: () => 1, classId: () => '' };

const flushed = () => new Promise((r) => setImmediate(r));

describe('item service: the inventory a player enters with', () => {
  const pelt = { id: 5, template: 'item.pelt', count: 3, ownerId: 70, container: 'bag' as const, slot: 0, version: 1 };
  const moved: ItemResult = { ok: true, changed: [{ ...pelt, slot: 20, version: 2 }], removed: [], gold: 9, useSkill: '' };

  /** A store whose inventory reads wait for the test, each answering the rows as they were when it began. */
  function racing() {
    const sent: Uint8Array[] = [];
    let rows = [pelt];
    const reads: { rows: typeof rows; answer: () => void }[] = [];
    const host: ItemHost = { player: () => PLAYER, send: (_c, b) => sent.push(b), toCell: () => {}, zoneOf: () => 0, tickOf: () => 0 };
    const store = {
      catalogue: new ItemCatalogue(TEST_ITEMS),
      inventory: () =>
        new Promise((resolve) => {
          const seen = rows;
          reads.push({ rows: seen, answer: () => resolve({ items: seen, gold: 9 }) });
        }),
      move: async () => {
        rows = [{ ...pelt, slot: 20, version: 2 }];
        return moved;
      },
    } as unknown as ItemStore;
    const service = new ItemService(store, host, pino({ level: 'silent' }), 1_000_000);
    /** The player's items as the INVENTORY frames add up to, as a client applies them. */
    const items = () => {
      const out = new Map<number, { slot: number; version: number }>();
      for (const b of sent) {
        const r = new Reader().reset(b);
        r.u8();
        const inv = decodeInventory(r);
        if (inv.full) out.clear();
        for (const it of inv.items) out.set(it.id, { slot: it.slot, version: it.version });
        for (const id of inv.removed) out.delete(id);
      }
      return out;
    };
    return { service, reads, items };
  }

  const move = (seq: number): ItemRequest => ({ op: 'item', seq, itemOp: ItemOp.MOVE, item: pelt.id, version: 1, other: 0, otherVersion: 0, slot: 20, count: 0 });

  it('a move told while the inventory was being read is not undone by that read (read again)', async () => {
    for (const flushBetween of [false, true]) {
      const t = racing();
      const entering = t.service.joined(PLAYER);
      // The player moves an item before its inventory arrived (a client acting on what it knew); the move commits and is told first.
      t.service.request(0, PLAYER, move(1));
      await flushed();
      if (flushBetween) t.service.flush();
      t.reads[0].answer(); // the read began before the move: slot 0
      await flushed();
      // Read again: it began after the move.
      expect(t.reads).toHaveLength(2);
      expect(t.reads[1].rows[0].slot).toBe(20);
      t.reads[1].answer();
      await entering;
      t.service.flush();
      expect(t.items()).toEqual(new Map([[5, { slot: 20, version: 2 }]]));
    }
  });

  it('reads once when nothing was told meanwhile', async () => {
    const t = racing();
    const entering = t.service.joined(PLAYER);
    t.reads[0].answer();
    await entering;
    t.service.flush();
    expect(t.reads).toHaveLength(1);
    expect(t.items()).toEqual(new Map([[5, { slot: 0, version: 1 }]]));
  });
});

describe('item service: what a player wears, told to its cell', () => {
  const catalogue = new ItemCatalogue(TEST_ITEMS);
  const sword = { id: 11, template: 'item.sword', count: 1, ownerId: 70, container: 'equipment' as const, slot: SLOT_MAIN_HAND, version: 1 };
  const shield = { id: 12, template: 'item.shield', count: 1, ownerId: 70, container: 'equipment' as const, slot: SLOT_OFF_HAND, version: 1 };

  function wearing(commit: ItemResult) {
    const toCell: { zone: number; handle: number; m: ItemFields }[] = [];
    let zone = 2;
    const host: ItemHost = { player: () => PLAYER, send: () => {}, toCell: (z, h, m) => toCell.push({ zone: z, handle: h, m: { ...m } }), zoneOf: () => zone, tickOf: () => 0 };
    const store = { catalogue, inventory: async () => ({ items: [sword, shield], gold: 0 }), unequip: async () => commit } as unknown as ItemStore;
    const service = new ItemService(store, host, pino({ level: 'silent' }), 1_000_000);
    /** The EQUIPMENT messages so far, as [zone, slot, item number]. */
    const told = () => toCell.filter((t) => t.m.kind === ItemToCell.EQUIPMENT && t.handle === PLAYER.handle && t.m.conn === PLAYER.id).map((t) => [t.zone, t.m.skill, t.m.template]);
    return { service, told, outOfZone: () => (zone = -1) };
  }
  const unequipSword: ItemRequest = { op: 'item', seq: 1, itemOp: ItemOp.UNEQUIP, item: sword.id, version: 1, other: 0, otherVersion: 0, slot: 0, count: 0 };
  const swordToBag: ItemResult = { ok: true, changed: [{ ...sword, container: 'bag', slot: 0, version: 2 }], removed: [], gold: 0, useSkill: '' };
  const n = (id: string) => catalogue.get(id)!.number;

  it('tells the cell each worn item at entry and in another zone, and only the slot a commit changed', async () => {
    const t = wearing(swordToBag);
    await t.service.joined(PLAYER);
    expect(t.told()).toEqual([
      [2, SLOT_MAIN_HAND, n('item.sword')],
      [2, SLOT_OFF_HAND, n('item.shield')],
    ]);
    t.service.entered(5, PLAYER);
    expect(t.told().slice(2)).toEqual([
      [5, SLOT_MAIN_HAND, n('item.sword')],
      [5, SLOT_OFF_HAND, n('item.shield')],
    ]);
    t.service.request(2, PLAYER, unequipSword);
    await flushed();
    expect(t.told().slice(4)).toEqual([[2, SLOT_MAIN_HAND, 0]]);
  });

  it('tells nothing of a player not in a zone, nor of one that left', async () => {
    const t = wearing(swordToBag);
    t.outOfZone();
    await t.service.joined(PLAYER);
    expect(t.told()).toEqual([]);
    t.service.left(PLAYER.id);
    t.service.entered(2, PLAYER);
    expect(t.told()).toEqual([]);
  });
});
