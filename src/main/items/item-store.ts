/**
 * The item store: every item operation of a character (loot into the bag,
 * move, equip, unequip, split, merge, drop, pick up, destroy, use, gold) is
 * ONE database transaction. It locks the character's row first (a
 * character's operations go one at a time), reads the items it touches with
 * FOR UPDATE, checks the versions the caller saw, writes the rows with their
 * versions bumped and appends the ledger in the same transaction. A refusal
 * rolls everything back and says why (ItemReason); so does a database
 * failure (UNAVAILABLE). The caller tells the player only after the promise
 * resolves, which is after the commit.
 *
 * ```ts
 * const items = new ItemStore(db, new ItemCatalogue(content.items));
 * const r = await items.loot(characterId, 'item.wolf_pelt', 2, 'loot:npc.wolf', tick);
 * if (r.ok) tellPlayer(r.changed, r.removed, r.gold); else tellRefusal(r.reason);
 * ```
 */
import type { Db, Queryable } from '../persistence/db.ts';
import { ItemReason, type ItemReasonValue } from '../../protocol/item-codes.ts';
import { SLOT_MAIN_HAND, SLOT_OFF_HAND, SLOT_TWO_HAND, type ItemCatalogue } from './catalogue.ts';
import { ItemOp, ItemRefused, refuse } from './item-op.ts';
import { changeGold, lockCharacter, lockItem, type ItemRow } from './item-sql.ts';

export type { ItemRow } from './item-sql.ts';

/** What an operation did, once committed. */
export interface ItemDone {
  ok: true;
  /** Rows as they are now (an item dropped is here with container 'ground'). */
  changed: ItemRow[];
  /** Items that no longer exist. */
  removed: number[];
  /** The character's gold now. */
  gold: number;
  /** use(): the skill the item applies ('' for other operations). */
  useSkill: string;
}

export interface ItemRefusal {
  ok: false;
  reason: ItemReasonValue;
  message: string;
}

export type ItemResult = ItemDone | ItemRefusal;

/** What equipping checks of the character as it is now (live, from its cell). */
export interface Wearer {
  level: number;
  /** The content class id ('class.warrior'); '' skips the class check. */
  classId: string;
}

/** A character's items and gold as stored. */
export interface Inventory {
  items: ItemRow[];
  gold: number;
}

export class ItemStore {
  readonly catalogue: ItemCatalogue;
  private readonly db: Db;

  constructor(db: Db, catalogue: ItemCatalogue) {
    this.db = db;
    this.catalogue = catalogue;
  }

  /** New items into the bag: stacks of the template with room first, then free slots; all of it or nothing (BAG_FULL). */
  loot(characterId: number, template: string, count: number, reason: string, tick: number): Promise<ItemResult> {
    return this.run(characterId, reason, tick, (op) => addToBag(op, template, count));
  }

  /**
   * A reward: items into the bag (as loot) and gold, and `alsoInTx`'s writes
   * (a quest turned in), in one transaction: all of it or nothing (BAG_FULL).
   */
  grant(characterId: number, items: readonly { template: string; count: number }[], gold: number, reason: string, tick: number, alsoInTx: (q: Queryable) => Promise<void>): Promise<ItemResult> {
    return this.run(characterId, reason, tick, async (op) => {
      for (const it of items) await addToBag(op, it.template, it.count);
      if (gold > 0) op.gold = await changeGold(op.q, characterId, gold, reason, tick);
      await alsoInTx(op.q);
    });
  }

  /**
   * Takes `count` of `template` off the character (an operator's removal):
   * from bag stacks first, the last slots first, then what it wears; all of
   * it or nothing (BAD_COUNT when it carries fewer), with `alsoInTx`'s writes
   * in the same transaction. The ledger records each as destroyed with `reason`.
   */
  take(characterId: number, template: string, count: number, reason: string, tick: number, alsoInTx: (q: Queryable) => Promise<void>): Promise<ItemResult> {
    return this.run(characterId, reason, tick, async (op) => {
      op.template(template);
      if (!Number.isSafeInteger(count) || count < 1) refuse(ItemReason.BAD_COUNT, `cannot take ${count} items`);
      const rows = (await op.carriedRows()).filter((r) => r.template === template);
      // Bag before equipment (what is worn goes last), later slots before earlier ones.
      rows.sort((a, b) => (a.container === b.container ? b.slot - a.slot : a.container === 'bag' ? -1 : 1));
      const held = rows.reduce((n, r) => n + r.count, 0);
      if (held < count) refuse(ItemReason.BAD_COUNT, `the character carries ${held} of ${template}, not ${count}`);
      let left = count;
      for (const r of rows) {
        if (left === 0) break;
        const n = Math.min(left, r.count);
        await op.shrink(r, n);
        left -= n;
      }
      await alsoInTx(op.q);
    });
  }

  /** Bag to bag: into an empty slot, onto a stack of the same template (as much as fits), or swapped with what is there. */
  move(characterId: number, itemId: number, version: number, toSlot: number, tick: number): Promise<ItemResult> {
    return this.run(characterId, 'move', tick, async (op) => {
      const to = op.bag(toSlot);
      const it = await op.own(itemId, version);
      if (it.container !== 'bag') refuse(ItemReason.WRONG_SLOT, 'only bag items move between bag slots (unequip instead)');
      if (it.slot === toSlot) return;
      const there = await op.at('bag', toSlot);
      if (!there) return void (await op.move(it, to));
      const t = op.template(it.template);
      if (there.template === it.template && t.stackSize > 1 && there.count < t.stackSize) {
        return op.merge(it, there, Math.min(it.count, t.stackSize - there.count));
      }
      await op.swap(it, there);
    });
  }

  /** Bag to equipment, swapping with what the slot held. */
  equip(characterId: number, itemId: number, version: number, wearer: Wearer, tick: number): Promise<ItemResult> {
    return this.run(characterId, 'equip', tick, async (op) => {
      const it = await op.own(itemId, version);
      if (it.container !== 'bag') refuse(ItemReason.WRONG_SLOT, 'only a bag item can be equipped');
      const t = op.template(it.template);
      if (t.equipSlot < 0) refuse(ItemReason.NOT_USABLE, `${t.id} is not equipment`);
      if (wearer.level < t.levelRequired) refuse(ItemReason.LEVEL_TOO_LOW, `${t.id} needs level ${t.levelRequired}`);
      if (wearer.classId !== '' && t.classes.length > 0 && !t.classes.includes(wearer.classId)) refuse(ItemReason.WRONG_CLASS, `${t.id} is not for ${wearer.classId}`);
      const blockers = t.equipSlot === SLOT_TWO_HAND ? [SLOT_MAIN_HAND, SLOT_OFF_HAND] : t.equipSlot === SLOT_MAIN_HAND || t.equipSlot === SLOT_OFF_HAND ? [SLOT_TWO_HAND] : [];
      for (const s of blockers) if (await op.at('equipment', s)) refuse(ItemReason.SLOT_BLOCKED, 'a two-handed weapon and a one-handed item cannot be worn together');
      const worn = await op.at('equipment', t.equipSlot);
      if (worn) await op.swap(it, worn);
      else await op.move(it, { owner: characterId, container: 'equipment', slot: t.equipSlot });
    });
  }

  /** Equipment to the bag: into `toSlot`, or the lowest free slot when toSlot is -1. */
  unequip(characterId: number, itemId: number, version: number, toSlot: number, tick: number): Promise<ItemResult> {
    return this.run(characterId, 'unequip', tick, async (op) => {
      const it = await op.own(itemId, version);
      if (it.container !== 'equipment') refuse(ItemReason.WRONG_SLOT, 'the item is not equipped');
      const slot = toSlot === -1 ? await op.freeBagSlot() : toSlot;
      if (slot < 0) refuse(ItemReason.BAG_FULL, 'no room in the bag');
      const to = op.bag(slot);
      if (await op.at('bag', slot)) refuse(ItemReason.BAG_FULL, `bag slot ${slot} is taken`);
      await op.move(it, to);
    });
  }

  /** Takes `count` off a bag stack into the empty bag slot `toSlot`. */
  split(characterId: number, itemId: number, version: number, count: number, toSlot: number, tick: number): Promise<ItemResult> {
    return this.run(characterId, 'split', tick, async (op) => {
      const to = op.bag(toSlot);
      const it = await op.own(itemId, version);
      if (it.container !== 'bag') refuse(ItemReason.WRONG_SLOT, 'only bag stacks split');
      if (!Number.isSafeInteger(count) || count < 1 || count >= it.count) refuse(ItemReason.BAD_COUNT, `cannot take ${count} off a stack of ${it.count}`);
      if (await op.at('bag', toSlot)) refuse(ItemReason.BAG_FULL, `bag slot ${toSlot} is taken`);
      await op.take(it, count);
      await op.create(it.template, count, to, 'split', it.id, { owner: characterId, container: 'bag', slot: it.slot });
    });
  }

  /** Moves as much of bag stack `fromId` as fits onto bag stack `intoId` of the same template. */
  merge(characterId: number, fromId: number, fromVersion: number, intoId: number, intoVersion: number, tick: number): Promise<ItemResult> {
    return this.run(characterId, 'merge', tick, async (op) => {
      if (fromId === intoId) refuse(ItemReason.NOT_STACKABLE, 'an item cannot merge into itself');
      const from = await op.own(fromId, fromVersion);
      const into = await op.own(intoId, intoVersion);
      if (from.container !== 'bag' || into.container !== 'bag') refuse(ItemReason.WRONG_SLOT, 'only bag stacks merge');
      const t = op.template(into.template);
      if (from.template !== into.template || into.count >= t.stackSize) refuse(ItemReason.NOT_STACKABLE, 'the stacks do not merge');
      await op.merge(from, into, Math.min(from.count, t.stackSize - into.count));
    });
  }

  /** A bag or equipment item to the ground (its owner stays the dropper until someone picks it up). */
  drop(characterId: number, itemId: number, version: number, tick: number): Promise<ItemResult> {
    return this.run(characterId, 'drop', tick, async (op) => {
      const it = await op.own(itemId, version);
      await op.move(it, { owner: characterId, container: 'ground', slot: 0 });
    });
  }

  /** A ground item into the picker's lowest free bag slot (the cell that shows it decided who gets it). */
  pickUp(characterId: number, itemId: number, version: number, tick: number): Promise<ItemResult> {
    return this.run(characterId, 'pickup', tick, async (op) => {
      const it = await lockItem(op.q, itemId);
      if (!it || it.container !== 'ground') return refuse(ItemReason.ALREADY_TAKEN, `item ${itemId} is not on the ground`);
      if (it.version !== version) refuse(ItemReason.VERSION_CONFLICT, `item ${itemId} is at version ${it.version}, not ${version}`);
      const slot = await op.freeBagSlot();
      if (slot < 0) refuse(ItemReason.BAG_FULL, 'no room in the bag');
      await op.move(it, op.bag(slot));
    });
  }

  /** Destroys `count` of the item (all of it when count covers the stack). */
  destroy(characterId: number, itemId: number, version: number, count: number, tick: number, reason = 'destroy'): Promise<ItemResult> {
    return this.run(characterId, reason, tick, async (op) => {
      const it = await op.own(itemId, version);
      if (!Number.isSafeInteger(count) || count < 1 || count > it.count) refuse(ItemReason.BAD_COUNT, `cannot destroy ${count} of ${it.count}`);
      await op.shrink(it, count);
    });
  }

  /** A ground item that despawned (nobody picked it up): destroyed, whoever dropped it. */
  despawn(itemId: number, version: number, tick: number): Promise<ItemResult> {
    return this.db
      .tx(async (q) => {
        const it = await lockItem(q, itemId);
        if (!it || it.container !== 'ground') return refuse(ItemReason.ALREADY_TAKEN, `item ${itemId} is not on the ground`);
        if (it.version !== version) refuse(ItemReason.VERSION_CONFLICT, `item ${itemId} changed`);
        const op = new ItemOp(q, this.catalogue, it.ownerId, 0, 'despawn', tick);
        await op.shrink(it, it.count);
        await op.finish();
        return done(op, '');
      })
      .catch(refusalOf);
  }

  /** Uses a bag item: a consumable loses one; the result names the skill to apply (after the commit). */
  use(characterId: number, itemId: number, version: number, tick: number): Promise<ItemResult> {
    let skill = '';
    return this.run(characterId, 'use', tick, async (op) => {
      const it = await op.own(itemId, version);
      const t = op.template(it.template);
      if (t.useSkill === '' || it.container !== 'bag') refuse(ItemReason.NOT_USABLE, `${t.id} cannot be used`);
      skill = t.useSkill;
      if (t.consume) await op.shrink(it, 1);
    }).then((r) => (r.ok ? { ...r, useSkill: skill } : r));
  }

  /** Adds (or with a negative delta takes) gold; never below 0 (NOT_ENOUGH_GOLD). */
  gold(characterId: number, delta: number, reason: string, tick: number): Promise<ItemResult> {
    return this.run(characterId, reason, tick, async (op) => {
      if (!Number.isSafeInteger(delta) || delta === 0) refuse(ItemReason.BAD_COUNT, `a gold change of ${delta}`);
      if (op.gold + delta < 0) refuse(ItemReason.NOT_ENOUGH_GOLD, `${op.gold} gold, ${-delta} needed`);
      op.gold = await changeGold(op.q, characterId, delta, reason, tick);
    });
  }

  /** The character's bag, equipment and gold as stored now. */
  async inventory(characterId: number): Promise<Inventory> {
    const rows = await this.db.query<ItemRow>(
      `SELECT id::float8 AS id, template, count, owner_id AS "ownerId", container, slot, version FROM item_instances
        WHERE owner_id = $1 AND container <> 'ground' ORDER BY container, slot`,
      [characterId],
    );
    const g = await this.db.query<{ gold: number }>('SELECT gold::float8 AS gold FROM characters WHERE id = $1', [characterId]);
    return { items: rows, gold: g[0]?.gold ?? 0 };
  }

  private run(characterId: number, reason: string, tick: number, body: (op: ItemOp) => Promise<void>): Promise<ItemResult> {
    return this.db
      .tx(async (q) => {
        const gold = await lockCharacter(q, characterId);
        if (gold === undefined) return refuse(ItemReason.NO_CHARACTER, `no character ${characterId}`);
        const op = new ItemOp(q, this.catalogue, characterId, gold, reason, tick);
        await body(op);
        await op.finish();
        return done(op, '');
      })
      .catch(refusalOf);
  }
}

/** `count` items of `template` into the bag: onto stacks with room first, then into free slots (BAG_FULL when they do not fit). */
async function addToBag(op: ItemOp, template: string, count: number): Promise<void> {
  const t = op.template(template);
  if (!Number.isSafeInteger(count) || count < 1) refuse(ItemReason.BAD_COUNT, `cannot loot ${count} items`);
  let left = count;
  for (const r of await op.carriedRows()) {
    if (left === 0) break;
    if (r.container !== 'bag' || r.template !== template || r.count >= t.stackSize) continue;
    const n = Math.min(left, t.stackSize - r.count);
    await op.grow(r, n);
    left -= n;
  }
  while (left > 0) {
    const slot = await op.freeBagSlot();
    if (slot < 0) refuse(ItemReason.BAG_FULL, 'no room in the bag');
    const n = Math.min(left, t.stackSize);
    await op.create(template, n, op.bag(slot), 'created');
    left -= n;
  }
}

function done(op: ItemOp, useSkill: string): ItemDone {
  return { ok: true, changed: [...op.changed.values()], removed: [...op.removed], gold: op.gold, useSkill };
}

function refusalOf(err: unknown): ItemRefusal {
  if (err instanceof ItemRefused) return { ok: false, reason: err.reason, message: err.message };
  // A unique violation is two writers on one place (the row locks make it rare): nothing changed.
  const code = (err as { code?: string }).code;
  if (code === '23505' || code === '40001' || code === '40P01') return { ok: false, reason: ItemReason.VERSION_CONFLICT, message: 'a concurrent change; look again' };
  return { ok: false, reason: ItemReason.UNAVAILABLE, message: `could not save the item change: ${err instanceof Error ? err.message : String(err)}` };
}

