import { BAG_SLOTS, Container, ItemOp, type ItemOpValue } from '../../../../src/protocol/item-codes.ts';
import type { InventoryMessage, ItemRecord } from '../../../../src/protocol/item-messages.ts';

/**
 * The player's bag, equipment and gold as the client knows them (pure,
 * tested in Node): INVENTORY messages applied in order (a full one replaces
 * everything, the others change and remove items), the ITEM requests sent
 * and not yet answered, and each answer matched to its request so the HUD
 * can say what was refused. Nothing is predicted: an item moves on screen
 * when the server says it moved (after its transaction committed).
 */

/** Equipment slots in the wire's order (an EQUIPMENT record's `slot` indexes it; src/content/schema/items.ts EQUIP_SLOTS). */
export const EQUIPMENT_SLOTS = ['head', 'neck', 'shoulders', 'chest', 'hands', 'waist', 'legs', 'feet', 'ring', 'trinket', 'mainHand', 'offHand', 'twoHand'] as const;
export type EquipmentSlotName = (typeof EQUIPMENT_SLOTS)[number];

/** Words for each slot, for labels and tooltips. */
export const SLOT_LABELS: Record<EquipmentSlotName, string> = {
  head: 'Head',
  neck: 'Neck',
  shoulders: 'Shoulders',
  chest: 'Chest',
  hands: 'Hands',
  waist: 'Waist',
  legs: 'Legs',
  feet: 'Feet',
  ring: 'Ring',
  trinket: 'Trinket',
  mainHand: 'Main hand',
  offHand: 'Off hand',
  twoHand: 'Two-handed',
};

/** A request sent and not answered yet. */
export interface PendingItemOp {
  op: ItemOpValue;
  /** The item id (PICKUP: the ground item's entity). */
  item: number;
  /** Its template when known (for the message). */
  template: number;
}

/** What one INVENTORY answered. */
export interface ItemAnswer extends PendingItemOp {
  /** 0: done; else the ItemReason. */
  reason: number;
}

/** The most requests remembered unanswered (an answer lost with a reconnect is forgotten in time). */
const MAX_PENDING = 64;

export class Inventory {
  readonly items = new Map<number, ItemRecord>();
  gold = 0;
  /** True once a full INVENTORY came (before it, nothing is known, not even an empty bag). */
  known = false;
  /** Bumped by every change; panels redraw when it moved. */
  version = 0;
  private readonly pending = new Map<number, PendingItemOp>();

  /** Applies an INVENTORY; returns the answers to this client's requests it carried, in order. */
  apply(m: InventoryMessage): ItemAnswer[] {
    if (m.full) {
      this.items.clear();
      this.known = true;
    }
    if (m.gold >= 0) this.gold = m.gold;
    for (const it of m.items) {
      // An item dropped comes back once with container GROUND: it is no longer the player's.
      if (it.container === Container.BAG || it.container === Container.EQUIPMENT) this.items.set(it.id, { ...it });
      else this.items.delete(it.id);
    }
    for (const id of m.removed) this.items.delete(id);
    if (m.full || m.gold >= 0 || m.items.length > 0 || m.removed.length > 0) this.version++;
    const answers: ItemAnswer[] = [];
    for (const r of m.results) {
      const p = this.pending.get(r.seq);
      this.pending.delete(r.seq);
      answers.push({ op: p?.op ?? 0 as ItemOpValue, item: p?.item ?? 0, template: p?.template ?? 0, reason: r.reason });
    }
    return answers;
  }

  /** Remembers request `seq` (what Session.item returned) until its answer comes. */
  sent(seq: number, op: ItemOpValue, item: number, template: number): void {
    if (seq < 0) return;
    if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as number);
    this.pending.set(seq, { op, item, template });
  }

  /** Requests not answered yet. */
  get waiting(): number {
    return this.pending.size;
  }

  /** True while a request about `item` waits for its answer (its slot is drawn busy). */
  busy(item: number): boolean {
    for (const p of this.pending.values()) if (p.item === item) return true;
    return false;
  }

  /** The bag by slot (null: empty), BAG_SLOTS long. */
  bag(): (ItemRecord | null)[] {
    const out: (ItemRecord | null)[] = new Array(BAG_SLOTS).fill(null);
    for (const it of this.items.values()) if (it.container === Container.BAG && it.slot < BAG_SLOTS) out[it.slot] = it;
    return out;
  }

  /** What is worn, by equipment slot index (null: nothing), EQUIPMENT_SLOTS long. */
  equipment(): (ItemRecord | null)[] {
    const out: (ItemRecord | null)[] = new Array(EQUIPMENT_SLOTS.length).fill(null);
    for (const it of this.items.values()) if (it.container === Container.EQUIPMENT && it.slot < EQUIPMENT_SLOTS.length) out[it.slot] = it;
    return out;
  }

  /** The first empty bag slot, or -1 when the bag is full. */
  firstFreeSlot(): number {
    const bag = this.bag();
    return bag.indexOf(null);
  }

  /** How many of template `t` the bag holds. */
  countOf(template: number): number {
    let n = 0;
    for (const it of this.items.values()) if (it.container === Container.BAG && it.template === template) n += it.count;
    return n;
  }

  /** A new connection (a resume keeps the same character, but answers to the old socket's requests never come). */
  forgetPending(): void {
    this.pending.clear();
  }
}

/** What pressing "use" (right-click, U) on an item does: equip equipment, use a consumable, unequip what is worn. */
export function primaryOp(container: number, itemSlot: string | undefined, kind: string | undefined): ItemOpValue | 0 {
  if (container === Container.EQUIPMENT) return ItemOp.UNEQUIP;
  if (itemSlot) return ItemOp.EQUIP;
  if (kind === 'consumable') return ItemOp.USE;
  return 0;
}
