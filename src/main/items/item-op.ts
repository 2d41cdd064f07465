/**
 * One item operation inside its transaction: the rows it reads (locked),
 * the changes it makes, and the ledger rows that record them, appended in
 * the same transaction. A refusal throws ItemRefused, which rolls the
 * transaction back.
 */
import type { Queryable } from '../persistence/db.ts';
import { BAG_SLOTS, ItemReason, type ItemReasonValue } from '../../protocol/item-codes.ts';
import type { ItemCatalogue, ItemTemplate } from './catalogue.ts';
import { appendLedger, deleteItem, insertItem, lockCarried, lockItem, placeOf, updateItem, type ItemRow, type LedgerEntry, type Place } from './item-sql.ts';

/** An operation refused: nothing changed. */
export class ItemRefused extends Error {
  readonly reason: ItemReasonValue;
  constructor(reason: ItemReasonValue, message: string) {
    super(message);
    this.name = 'ItemRefused';
    this.reason = reason;
  }
}

export const refuse = (reason: ItemReasonValue, message: string): never => {
  throw new ItemRefused(reason, message);
};

/** A slot no bag or equipment has: where a swap parks an item inside its transaction. */
const PARKING_SLOT = 32_767;

export class ItemOp {
  readonly q: Queryable;
  readonly characterId: number;
  readonly tick: number;
  readonly reason: string;
  gold: number;
  /** Rows as they are after the operation, by id. */
  readonly changed = new Map<number, ItemRow>();
  readonly removed = new Set<number>();
  private readonly ledger: LedgerEntry[] = [];
  private readonly catalogue: ItemCatalogue;
  private carried: ItemRow[] | undefined;

  constructor(q: Queryable, catalogue: ItemCatalogue, characterId: number, gold: number, reason: string, tick: number) {
    this.q = q;
    this.catalogue = catalogue;
    this.characterId = characterId;
    this.gold = gold;
    this.reason = reason;
    this.tick = tick;
  }

  template(id: string): ItemTemplate {
    return this.catalogue.get(id) ?? refuse(ItemReason.NOT_USABLE, `item template ${id} is not in the content`);
  }

  /** The character's own bag or equipment item at `version`, locked. */
  async own(itemId: number, version: number): Promise<ItemRow> {
    const r = await lockItem(this.q, itemId);
    if (!r) return refuse(ItemReason.NO_SUCH_ITEM, `no item ${itemId}`);
    if (r.ownerId !== this.characterId || r.container === 'ground') return refuse(ItemReason.NOT_YOURS, `item ${itemId} is not in your bag or equipment`);
    if (r.version !== version) return refuse(ItemReason.VERSION_CONFLICT, `item ${itemId} is at version ${r.version}, not ${version}`);
    return r;
  }

  /** Everything the character carries, locked once per operation, kept current as the operation changes it. */
  async carriedRows(): Promise<ItemRow[]> {
    this.carried ??= await lockCarried(this.q, this.characterId);
    return this.carried;
  }

  async at(container: 'bag' | 'equipment', slot: number): Promise<ItemRow | undefined> {
    return (await this.carriedRows()).find((r) => r.container === container && r.slot === slot);
  }

  /** The lowest free bag slot, or -1. */
  async freeBagSlot(): Promise<number> {
    const used = new Set((await this.carriedRows()).filter((r) => r.container === 'bag').map((r) => r.slot));
    for (let s = 0; s < BAG_SLOTS; s++) if (!used.has(s)) return s;
    return -1;
  }

  bag(slot: number): Place {
    if (!Number.isInteger(slot) || slot < 0 || slot >= BAG_SLOTS) refuse(ItemReason.WRONG_SLOT, `bag slot ${slot} is not 0-${BAG_SLOTS - 1}`);
    return { owner: this.characterId, container: 'bag', slot };
  }

  async create(template: string, count: number, to: Place, kind: 'created' | 'split', otherId?: number, from?: Place): Promise<ItemRow> {
    const r = await insertItem(this.q, template, count, to);
    this.track(r);
    this.ledger.push({ itemId: r.id, otherId, kind, from, to, count, reason: this.reason, tick: this.tick });
    return r;
  }

  /** Moves the whole item to `to`. */
  async move(r: ItemRow, to: Place): Promise<ItemRow> {
    const out = await updateItem(this.q, r, r.count, to);
    this.track(out);
    this.ledger.push({ itemId: r.id, kind: 'moved', from: placeOf(r), to, count: r.count, reason: this.reason, tick: this.tick });
    return out;
  }

  /**
   * Two carried items change places. Each place holds one item, so `a` is
   * parked on a slot no real one uses while `b` moves; the ledger sees two
   * plain moves.
   */
  async swap(a: ItemRow, b: ItemRow): Promise<void> {
    const aAt = placeOf(a);
    const bAt = placeOf(b);
    const parked = await updateItem(this.q, a, a.count, { ...aAt, slot: PARKING_SLOT });
    await this.move(b, aAt);
    const out = await updateItem(this.q, parked, a.count, bAt);
    this.track(out);
    this.ledger.push({ itemId: a.id, kind: 'moved', from: aAt, to: bAt, count: a.count, reason: this.reason, tick: this.tick });
  }

  /** Takes n (fewer than it holds) off a stack for a split, whose own ledger row records it. */
  async take(r: ItemRow, n: number): Promise<void> {
    this.track(await updateItem(this.q, r, r.count - n, placeOf(r)));
  }

  /** Adds n units to an existing stack (loot topping a stack up): a 'created' row on that item. */
  async grow(r: ItemRow, n: number): Promise<ItemRow> {
    const out = await updateItem(this.q, r, r.count + n, placeOf(r));
    this.track(out);
    this.ledger.push({ itemId: r.id, kind: 'created', to: placeOf(r), count: n, reason: this.reason, tick: this.tick });
    return out;
  }

  /** Takes n units away (destroyed); the item is gone when none is left. */
  async shrink(r: ItemRow, n: number): Promise<void> {
    if (n >= r.count) {
      await deleteItem(this.q, r);
      this.untrack(r.id);
    } else {
      this.track(await updateItem(this.q, r, r.count - n, placeOf(r)));
    }
    this.ledger.push({ itemId: r.id, kind: 'destroyed', from: placeOf(r), count: Math.min(n, r.count), reason: this.reason, tick: this.tick });
  }

  /** Moves n units of `from` into the stack `into`. */
  async merge(from: ItemRow, into: ItemRow, n: number): Promise<void> {
    this.track(await updateItem(this.q, into, into.count + n, placeOf(into)));
    if (n >= from.count) {
      await deleteItem(this.q, from);
      this.untrack(from.id);
    } else {
      this.track(await updateItem(this.q, from, from.count - n, placeOf(from)));
    }
    this.ledger.push({ itemId: from.id, otherId: into.id, kind: 'merged', from: placeOf(from), to: placeOf(into), count: n, reason: this.reason, tick: this.tick });
  }

  /** Writes the ledger rows (the last statements of the transaction). */
  async finish(): Promise<void> {
    await appendLedger(this.q, this.ledger);
  }

  private track(r: ItemRow): void {
    this.changed.set(r.id, r);
    this.removed.delete(r.id);
    if (!this.carried) return;
    const i = this.carried.findIndex((c) => c.id === r.id);
    const carried = r.ownerId === this.characterId && r.container !== 'ground';
    if (i >= 0 && carried) this.carried[i] = r;
    else if (i >= 0) this.carried.splice(i, 1);
    else if (carried) this.carried.push(r);
  }

  private untrack(id: number): void {
    this.changed.delete(id);
    this.removed.add(id);
    if (this.carried) this.carried = this.carried.filter((c) => c.id !== id);
  }
}
