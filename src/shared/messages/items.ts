import type { MessageSink } from '../reliable-ring.ts';
import { CellMsg } from './cell-to-gate.ts';
import { GateMsg } from './gate-to-cell.ts';

/**
 * Item messages between the gate and the cells (both directions share one
 * reader, ItemMessage). The gate's ITEM (GateMsg.ITEM) either names a
 * player by `conn` (PICKUP, DROPPED, USE, EQUIPMENT: routed like its
 * inputs, forwarded when the player moved on) or a ground item by `handle`
 * (TAKEN, RETURNED: ground items never move, so their owner cell is final).
 * The cell's ITEM (CellMsg.ITEM) tells the gate of a claim it decided, a
 * refusal for a player, or a dropped item that lay too long. All are
 * must-deliver: an item between the ground and a bag is never forgotten.
 */
export const GATE_ITEM_OP = GateMsg.ITEM;
export const CELL_ITEM_OP = CellMsg.ITEM;

/** Kinds of the gate's ITEM. */
export const ItemToCell = {
  /** conn asks to pick up ground item `handle`. */
  PICKUP: 1,
  /** Ground item `handle`'s claim committed: it leaves the ground. */
  TAKEN: 2,
  /** Ground item `handle`'s claim failed to commit: it lies there again, for anyone. */
  RETURNED: 3,
  /** conn dropped item `itemId` (`version`, `template`, `count`), committed: show it at the player's feet. */
  DROPPED: 4,
  /** conn used an item, committed: apply skill `skill` (its number in the skill table) to the player. */
  USE: 5,
  /** conn's equipment changed, committed: `count` is the attack power and `version` the armor it adds. */
  EQUIPMENT: 6,
} as const;

/** Kinds of the cell's ITEM. */
export const ItemToGate = {
  /** conn (characterId) won ground item `handle`: itemId 0 is new loot of `template` × `count` (template GOLD_TEMPLATE: gold). */
  CLAIMED: 1,
  /** conn's pick-up of ground item `handle` was refused for `reason` (ItemReason). */
  REFUSED: 2,
  /** Dropped item `itemId` (`version`) lay until its despawn: destroy it. */
  DESPAWNED: 3,
} as const;

/** The template number a ground item of gold shows (protocol/item-codes.ts). */
export { GOLD_TEMPLATE } from '../../protocol/item-codes.ts';

/** Seconds an item lies on the ground before its cell despawns it (the coordinator's sweep of lost ground rows waits twice that). */
export const DESPAWN_S = 120;

/**
 * u8 op | u8 kind | u32 conn | u32 characterId | u32 handle | f64 itemId | u32 version | u16 template | u32 count | u16 skill | u8 reason | u32 tick
 */
export const ItemLayout = { kind: 1, conn: 2, characterId: 6, handle: 10, itemId: 14, version: 22, template: 26, count: 28, skill: 32, reason: 34, tick: 35, bytes: 39 } as const;

/** Writes an ITEM (`op` GATE_ITEM_OP or CELL_ITEM_OP) from the fields of `m`. */
export function writeItem(out: MessageSink, op: number, m: ItemFields): boolean {
  const at = out.reserve(ItemLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, op);
  v.setUint8(at + ItemLayout.kind, m.kind);
  v.setUint32(at + ItemLayout.conn, m.conn, true);
  v.setUint32(at + ItemLayout.characterId, m.characterId, true);
  v.setUint32(at + ItemLayout.handle, m.handle, true);
  v.setFloat64(at + ItemLayout.itemId, m.itemId, true);
  v.setUint32(at + ItemLayout.version, m.version, true);
  v.setUint16(at + ItemLayout.template, m.template, true);
  v.setUint32(at + ItemLayout.count, m.count, true);
  v.setUint16(at + ItemLayout.skill, m.skill, true);
  v.setUint8(at + ItemLayout.reason, m.reason);
  v.setUint32(at + ItemLayout.tick, m.tick, true);
  out.commit(ItemLayout.bytes);
  return true;
}

export interface ItemFields {
  kind: number;
  conn: number;
  characterId: number;
  handle: number;
  itemId: number;
  version: number;
  template: number;
  count: number;
  skill: number;
  reason: number;
  tick: number;
}

/** An ITEM's fields, every one 0 but its kind: the sender fills those its kind uses. */
export function itemFields(kind: number): ItemFields {
  return { kind, conn: 0, characterId: 0, handle: 0, itemId: 0, version: 0, template: 0, count: 0, skill: 0, reason: 0, tick: 0 };
}

/** An ITEM decoded into reusable fields. */
export class ItemMessage implements ItemFields {
  op = 0;
  kind = 0;
  conn = 0;
  characterId = 0;
  handle = 0;
  itemId = 0;
  version = 0;
  template = 0;
  count = 0;
  skill = 0;
  reason = 0;
  tick = 0;

  /** Resets every field (before filling some for writeItem). */
  clear(kind: number): this {
    this.kind = kind;
    this.conn = this.characterId = this.handle = this.itemId = this.version = this.template = this.count = this.skill = this.reason = this.tick = 0;
    return this;
  }

  read(v: DataView, o: number, len: number): boolean {
    if (len < ItemLayout.bytes) return false;
    this.op = v.getUint8(o);
    this.kind = v.getUint8(o + ItemLayout.kind);
    this.conn = v.getUint32(o + ItemLayout.conn, true);
    this.characterId = v.getUint32(o + ItemLayout.characterId, true);
    this.handle = v.getUint32(o + ItemLayout.handle, true);
    this.itemId = v.getFloat64(o + ItemLayout.itemId, true);
    this.version = v.getUint32(o + ItemLayout.version, true);
    this.template = v.getUint16(o + ItemLayout.template, true);
    this.count = v.getUint32(o + ItemLayout.count, true);
    this.skill = v.getUint16(o + ItemLayout.skill, true);
    this.reason = v.getUint8(o + ItemLayout.reason);
    this.tick = v.getUint32(o + ItemLayout.tick, true);
    return true;
  }

  /** True for kinds addressed to a player (by conn) rather than to a ground item. */
  get toPlayer(): boolean {
    return this.kind === ItemToCell.PICKUP || this.kind === ItemToCell.DROPPED || this.kind === ItemToCell.USE || this.kind === ItemToCell.EQUIPMENT;
  }
}
