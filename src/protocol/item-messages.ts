/**
 * The item messages of the wire (docs/protocol.md, "Items"): a client's ITEM
 * request and the server's INVENTORY, the player's own bag, equipment and
 * gold as deltas, with the answers to its requests. Read and written with
 * the protocol's Reader and Writer; every value is checked on the way in.
 */
import { ErrorCode, ProtocolError } from './errors.ts';
import { ClientOp, ServerOp } from './opcodes.ts';
import type { Reader } from './reader.ts';
import { Writer } from './writer.ts';
import { ITEM_OP_MAX, type ItemOpValue } from './item-codes.ts';

/**
 * ITEM: u8 op | u16 seq | u8 itemOp (ItemOp) | f64 item | u32 version | f64 other | u32 otherVersion | u16 slot | u32 count.
 * `item` is an item id (or, for PICKUP, a ground item's entity handle), `version` the version the client last saw.
 */
export interface ItemRequest {
  op: 'item';
  seq: number;
  itemOp: ItemOpValue;
  item: number;
  version: number;
  other: number;
  otherVersion: number;
  slot: number;
  count: number;
}

export const ITEM_REQUEST_BYTES = 34;

/** An item id as the wire carries it: an f64 holding a whole number 0…2⁵³−1. */
function itemId(r: Reader, what: string): number {
  const v = r.f64();
  if (!Number.isSafeInteger(v) || v < 0) throw new ProtocolError(ErrorCode.BAD_VALUE, `${what} must be a whole number 0 to 2^53-1, got ${v}`);
  return v;
}

/** Decodes an ITEM after its opcode. */
export function decodeItemRequest(r: Reader): ItemRequest {
  const seq = r.u16();
  const itemOp = r.u8();
  if (itemOp < 1 || itemOp > ITEM_OP_MAX) throw new ProtocolError(ErrorCode.BAD_VALUE, `unknown item operation ${itemOp}`);
  const item = itemId(r, 'item');
  const version = r.u32();
  const other = itemId(r, 'other item');
  const otherVersion = r.u32();
  const slot = r.u16();
  const count = r.u32();
  return { op: 'item', seq, itemOp: itemOp as ItemOpValue, item, version, other, otherVersion, slot, count };
}

/** Encodes an ITEM (clients, bots, tests). */
export function encodeItemRequest(m: Omit<ItemRequest, 'op'>): Uint8Array {
  const bytes = new Uint8Array(ITEM_REQUEST_BYTES);
  const w = new Writer().reset(bytes);
  w.u8(ClientOp.ITEM);
  w.u16(m.seq);
  w.u8(m.itemOp);
  w.f64(m.item);
  w.u32(m.version);
  w.f64(m.other);
  w.u32(m.otherVersion);
  w.u16(m.slot);
  w.u32(m.count);
  return bytes;
}

/** One item as the player sees it. */
export interface ItemRecord {
  id: number;
  version: number;
  /** The template's number (items.json order, 1-based). */
  template: number;
  count: number;
  /** Container: BAG or EQUIPMENT. */
  container: number;
  slot: number;
}

/** What an INVENTORY tells. */
export interface InventoryMessage {
  op: 'inventory';
  /** True: `items` is everything the player has (at login, zone change); false: only what changed. */
  full: boolean;
  /** The player's gold; -1 when it did not change. */
  gold: number;
  items: ItemRecord[];
  /** Items the player no longer has. */
  removed: number[];
  /** Answers to ITEM requests: seq, and 0 (done) or the ItemReason. */
  results: { seq: number; reason: number }[];
}

/** Record sizes, for the frame's bound. */
export const ITEM_RECORD_BYTES = 8 + 4 + 2 + 4 + 1 + 2;
/** The most records one INVENTORY carries (a whole bag and equipment fit many times). */
export const INVENTORY_MAX_RECORDS = 512;

/**
 * INVENTORY: u8 op | u8 full | f64 gold | u16 n, n × (f64 id | u32 version | u16 template | u32 count | u8 container | u16 slot)
 * | u16 m, m × f64 removed id | u16 k, k × (u16 seq | u8 reason).
 */
export function encodeInventory(m: Omit<InventoryMessage, 'op'>): Uint8Array {
  if (m.items.length > INVENTORY_MAX_RECORDS || m.removed.length > INVENTORY_MAX_RECORDS || m.results.length > INVENTORY_MAX_RECORDS) {
    throw new RangeError(`an INVENTORY carries at most ${INVENTORY_MAX_RECORDS} of each list`);
  }
  const bytes = new Uint8Array(1 + 1 + 8 + 2 + m.items.length * ITEM_RECORD_BYTES + 2 + m.removed.length * 8 + 2 + m.results.length * 3);
  const w = new Writer().reset(bytes);
  w.u8(ServerOp.INVENTORY);
  w.u8(m.full ? 1 : 0);
  w.f64(m.gold);
  w.u16(m.items.length);
  for (const it of m.items) {
    w.f64(it.id);
    w.u32(it.version);
    w.u16(it.template);
    w.u32(it.count);
    w.u8(it.container);
    w.u16(it.slot);
  }
  w.u16(m.removed.length);
  for (const id of m.removed) w.f64(id);
  w.u16(m.results.length);
  for (const r of m.results) {
    w.u16(r.seq);
    w.u8(r.reason);
  }
  return bytes;
}

/** Decodes an INVENTORY after its opcode (clients, bots, tests). */
export function decodeInventory(r: Reader): InventoryMessage {
  const full = r.u8();
  if (full > 1) throw new ProtocolError(ErrorCode.BAD_VALUE, `full must be 0 or 1, got ${full}`);
  const gold = r.f64();
  if (!Number.isSafeInteger(gold) || gold < -1) throw new ProtocolError(ErrorCode.BAD_VALUE, `gold must be a whole number ≥ 0 (or -1: unchanged), got ${gold}`);
  const n = r.u16();
  if (n > INVENTORY_MAX_RECORDS) throw new ProtocolError(ErrorCode.BAD_VALUE, `${n} item records, at most ${INVENTORY_MAX_RECORDS}`);
  const items: ItemRecord[] = [];
  for (let i = 0; i < n; i++) items.push({ id: itemId(r, 'item'), version: r.u32(), template: r.u16(), count: r.u32(), container: r.u8(), slot: r.u16() });
  const m = r.u16();
  if (m > INVENTORY_MAX_RECORDS) throw new ProtocolError(ErrorCode.BAD_VALUE, `${m} removed items, at most ${INVENTORY_MAX_RECORDS}`);
  const removed: number[] = [];
  for (let i = 0; i < m; i++) removed.push(itemId(r, 'removed item'));
  const k = r.u16();
  if (k > INVENTORY_MAX_RECORDS) throw new ProtocolError(ErrorCode.BAD_VALUE, `${k} results, at most ${INVENTORY_MAX_RECORDS}`);
  const results: { seq: number; reason: number }[] = [];
  for (let i = 0; i < k; i++) results.push({ seq: r.u16(), reason: r.u8() });
  return { op: 'inventory', full: full === 1, gold, items, removed, results };
}
