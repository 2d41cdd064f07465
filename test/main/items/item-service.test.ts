/**
 * The gate's item service with a stand-in store and gate: a pick-up's claim
 * is committed and then settled with the cell (TAKEN), or put back (RETURNED)
 * when the commit fails, the player answered under its request's seq; a
 * refusal from the cell finds its seq; whatever one player's answers add up
 * to within a tick is one INVENTORY. The inventory a player enters with is
 * test/main/items/item-entry.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ItemCatalogue } from '../../../src/main/items/catalogue.ts';
import { ItemService, type ItemHost, type ItemPlayer } from '../../../src/main/items/item-service.ts';
import type { ItemResult, ItemStore } from '../../../src/main/items/item-store.ts';
import { ItemOp, ItemReason } from '../../../src/protocol/item-codes.ts';
import { decodeInventory, type ItemRequest } from '../../../src/protocol/item-messages.ts';
import { Reader } from '../../../src/protocol/reader.ts';
import { ItemMessage, ItemToCell, ItemToGate, type ItemFields } from '../../../src/shared/messages/items.ts';
import { TEST_ITEMS } from '../../helpers/items.ts';

const PLAYER: ItemPlayer = { id: 7, characterId: 70, handle: 1234, level: () => 1, classId: () => '' };

function setup(lootResult: ItemResult) {
  const sent: Uint8Array[] = [];
  const toCell: ItemFields[] = [];
  const host: ItemHost = { player: (conn) => (conn === PLAYER.id ? PLAYER : undefined), send: (_c, b) => sent.push(b), toCell: (_z, _h, m) => toCell.push({ ...m }), zoneOf: () => 0, tickOf: () => 0 };
  const store = { catalogue: new ItemCatalogue(TEST_ITEMS), loot: async () => lootResult, use: async () => lootResult, destroy: async () => lootResult, take: async () => lootResult } as unknown as ItemStore;
  const service = new ItemService(store, host, pino({ level: 'silent' }), 1_000_000);
  const inventories = () =>
    sent.map((b) => {
      const r = new Reader().reset(b);
      r.u8();
      return decodeInventory(r);
    });
  return { service, toCell, inventories };
}

const pickup = (seq: number, item: number): ItemRequest => ({ op: 'item', seq, itemOp: ItemOp.PICKUP, item, version: 0, other: 0, otherVersion: 0, slot: 0, count: 0 });

function claimed(handle: number): ItemMessage {
  const m = new ItemMessage().clear(ItemToGate.CLAIMED);
  Object.assign(m, { conn: PLAYER.id, characterId: PLAYER.characterId, handle, template: 2, count: 3, itemId: 0 });
  return m;
}

const flushed = () => new Promise((r) => setImmediate(r));

describe('item service', () => {
  it('commits a claim, then tells the cell TAKEN and the player its new items under the pick-up seq', async () => {
    const row = { id: 5, template: 'item.pelt', count: 3, ownerId: 70, container: 'bag' as const, slot: 0, version: 1 };
    const { service, toCell, inventories } = setup({ ok: true, changed: [row], removed: [], gold: 9, useSkill: '' });
    service.request(0, PLAYER, pickup(41, 555));
    expect(toCell).toEqual([expect.objectContaining({ kind: ItemToCell.PICKUP, conn: PLAYER.id, handle: 555 })]);
    service.cellItem(0, claimed(555));
    await flushed();
    expect(toCell[1]).toMatchObject({ kind: ItemToCell.TAKEN, handle: 555 });
    service.flush();
    expect(inventories()).toEqual([{ op: 'inventory', full: false, gold: 9, items: [{ id: 5, version: 1, template: 2, count: 3, container: 1, slot: 0 }], removed: [], results: [{ seq: 41, reason: 0 }] }]);
  });

  it('tells the anti-cheat of an operation on another character\'s item (NOT_YOURS), not of an item that changed or is gone', async () => {
    for (const [reason, told] of [
      [ItemReason.NOT_YOURS, [[PLAYER.id, 99]]],
      [ItemReason.VERSION_CONFLICT, []],
      [ItemReason.NO_SUCH_ITEM, []],
    ] as const) {
      const { service, inventories } = setup({ ok: false, reason, message: '' });
      const seen: [number, number][] = [];
      service.onNotOwned = (conn, item) => seen.push([conn, item]);
      service.request(0, PLAYER, { ...pickup(5, 99), itemOp: ItemOp.USE, version: 1 });
      await flushed();
      expect(seen).toEqual(told);
      service.flush();
      expect(inventories()[0]!.results).toEqual([{ seq: 5, reason }]);
    }
  });

  it('puts the item back (RETURNED) when the commit fails, and the player hears why', async () => {
    const { service, toCell, inventories } = setup({ ok: false, reason: ItemReason.UNAVAILABLE, message: 'down' });
    service.request(0, PLAYER, pickup(3, 556));
    service.cellItem(0, claimed(556));
    await flushed();
    expect(toCell[1]).toMatchObject({ kind: ItemToCell.RETURNED, handle: 556 });
    service.flush();
    expect(inventories()[0]!.results).toEqual([{ seq: 3, reason: ItemReason.UNAVAILABLE }]);
  });

  it('matches a cell refusal to its pick-up, and coalesces one player\'s answers into one INVENTORY', () => {
    const { service, inventories } = setup({ ok: false, reason: ItemReason.UNAVAILABLE, message: '' });
    service.request(0, PLAYER, pickup(10, 600));
    service.request(0, PLAYER, pickup(11, 601));
    const refused = (handle: number, reason: number) => {
      const m = new ItemMessage().clear(ItemToGate.REFUSED);
      Object.assign(m, { conn: PLAYER.id, handle, reason });
      return m;
    };
    service.cellItem(0, refused(601, ItemReason.ALREADY_TAKEN));
    service.cellItem(0, refused(600, ItemReason.OUT_OF_RANGE));
    service.request(0, { ...PLAYER, characterId: 0 }, pickup(12, 602));
    service.flush();
    const inv = inventories();
    expect(inv).toHaveLength(1);
    expect(inv[0]).toMatchObject({ gold: -1, results: [{ seq: 11, reason: ItemReason.ALREADY_TAKEN }, { seq: 10, reason: ItemReason.OUT_OF_RANGE }, { seq: 12, reason: ItemReason.NO_CHARACTER }] });
  });

  it("tells a playing player an operator's removal once committed (gone items, no answer of its own), and nothing when it is refused", async () => {
    const { service, inventories } = setup({ ok: true, changed: [{ id: 6, template: 'item.pelt', count: 1, ownerId: 70, container: 'bag', slot: 1, version: 4 }], removed: [5], gold: 9, useSkill: '' });
    const r = await service.take(PLAYER.id, PLAYER.characterId, 'item.pelt', 5, 'admin:boss: duplicated', async () => {});
    expect(r.ok).toBe(true);
    service.flush();
    expect(inventories()).toEqual([{ op: 'inventory', full: false, gold: 9, items: [{ id: 6, version: 4, template: 2, count: 1, container: 1, slot: 1 }], removed: [5], results: [] }]);
    const refused = setup({ ok: false, reason: ItemReason.BAD_COUNT, message: 'carries 1' });
    expect((await refused.service.take(PLAYER.id, PLAYER.characterId, 'item.pelt', 5, 'admin:boss: x', async () => {})).ok).toBe(false);
    refused.service.flush();
    expect(refused.inventories()).toEqual([]);
  });
});

describe('item service: uses', () => {
  const potion = { id: 9, template: 'item.health_potion', count: 3, ownerId: 70, container: 'bag' as const, slot: 0, version: 1 };
  const ITEMS = [{ quality: 'common', value: 0, id: 'item.health_potion', name: 'Draught', kind: 'consumable', stackSize: 5, use: { skill: 'skill.potion_heal', consume: true, cooldownMs: 30_000 } }] as never;

  async function usesSetup(commits: ItemResult[]) {
    const sent: Uint8Array[] = [];
    let dead = false;
    const player: ItemPlayer = { ...PLAYER, dead: () => dead };
    const host: ItemHost = { player: () => player, send: (_c, b) => sent.push(b), toCell: () => {}, zoneOf: () => 0, tickOf: () => 0 };
    let uses = 0;
    const store = {
      catalogue: new ItemCatalogue(ITEMS, ['skill.potion_heal']),
      inventory: async () => ({ items: [potion], gold: 0 }),
      use: async () => (uses++, commits.shift()!),
    } as unknown as ItemStore;
    const counted: string[] = [];
    const metrics = { operation: (op: string, result: string, s: number) => void counted.push(`${op} ${result} ${s >= 0 ? 'timed' : 'untimed'}`), lost() {} };
    const service = new ItemService(store, host, pino({ level: 'silent' }), 1_000_000, metrics);
    await service.joined(player);
    const use = (seq: number): ItemRequest => ({ op: 'item', seq, itemOp: ItemOp.USE, item: potion.id, version: potion.version, other: 0, otherVersion: 0, slot: 0, count: 0 });
    const results = () =>
      sent.flatMap((b) => {
        const r = new Reader().reset(b);
        r.u8();
        return decodeInventory(r).results;
      });
    return { service, player, use, results, counted, uses: () => uses, die: () => (dead = true) };
  }

  const used: ItemResult = { ok: true, changed: [{ ...potion, count: 2, version: 2 }], removed: [], gold: 0, useSkill: 'skill.potion_heal' };

  it('refuses a second use within the cooldown before anything is consumed (ON_COOLDOWN)', async () => {
    const t = await usesSetup([used, used]);
    t.service.request(0, t.player, t.use(1));
    t.service.request(0, t.player, t.use(2)); // in flight together: the first one marked the cooldown
    await flushed();
    t.service.flush();
    expect(t.uses()).toBe(1);
    // The refusal is answered at once, the use after its commit: both in the one INVENTORY.
    expect(t.results().sort((a, b) => a.seq - b.seq)).toEqual([{ seq: 1, reason: 0 }, { seq: 2, reason: ItemReason.ON_COOLDOWN }]);
    expect(t.counted.sort()).toEqual(['use ok timed', 'use on_cooldown untimed']);
  });

  it('starts no cooldown when the use did not commit, and refuses a dead player (DEAD)', async () => {
    const t = await usesSetup([{ ok: false, reason: ItemReason.UNAVAILABLE, message: 'down' }, used]);
    t.service.request(0, t.player, t.use(1));
    await flushed();
    t.service.request(0, t.player, t.use(2));
    await flushed();
    t.die();
    t.service.request(0, t.player, t.use(3));
    await flushed();
    t.service.flush();
    expect(t.uses()).toBe(2);
    expect(t.results()).toEqual([{ seq: 1, reason: ItemReason.UNAVAILABLE }, { seq: 2, reason: 0 }, { seq: 3, reason: ItemReason.DEAD }]);
  });
});
