import { Reader } from '../protocol/reader.ts';
import type { Baseline, BaselineHistory, ViewRefs } from './baselines.ts';
import type { EntityRows } from './entity-rows.ts';
import { Writer } from '../protocol/writer.ts';
import { HandoffHeader, HandoffLayout, HandoffRecordLayout, PeerMsg } from '../shared/messages/cell-to-cell.ts';
import type { MessageSink } from '../shared/reliable-ring.ts';
import type { PrivateParts } from './private-state.ts';

/**
 * Handoff messages: the header (cell-to-cell.ts) and one record per private
 * part that applies to the entity's kind, each tagged with the part's id and
 * length, so a cell skips a record it has no part for instead of misreading
 * the rest.
 */
export class HandoffCodec {
  private readonly parts: PrivateParts;
  private readonly w = new Writer();
  private readonly r = new Reader();
  readonly header = new HandoffHeader();

  constructor(parts: PrivateParts) {
    this.parts = parts;
  }

  /** Bytes the handoff of `slot` (of `kind`) takes. */
  size(kind: number, slot: number): number {
    let n = HandoffLayout.bytes;
    const list = this.parts.list;
    for (let i = 0; i < list.length; i++) if (list[i].appliesTo(kind)) n += HandoffRecordLayout.bytes + list[i].size(slot);
    return n;
  }

  /** Writes the handoff of `slot`; false when `out` is full (the caller keeps the entity and retries). */
  write(out: MessageSink, handle: number, kind: number, slot: number): boolean {
    const size = this.size(kind, slot);
    const at = out.reserve(size);
    if (at < 0) return false;
    const list = this.parts.list;
    let records = 0;
    let o = at + HandoffLayout.bytes;
    for (let i = 0; i < list.length; i++) {
      const part = list[i];
      if (!part.appliesTo(kind)) continue;
      const len = part.size(slot);
      out.view.setUint8(o + HandoffRecordLayout.part, part.id);
      out.view.setUint32(o + HandoffRecordLayout.length, len, true);
      o += HandoffRecordLayout.bytes;
      const w = this.w.reset(out.bytes, o, len);
      part.write(w, slot);
      if (w.length !== len) throw new Error(`private part ${part.name} wrote ${w.length} bytes, declared ${len}`);
      o += len;
      records++;
    }
    const v = out.view;
    v.setUint8(at, PeerMsg.HANDOFF);
    v.setUint32(at + HandoffLayout.handle, handle, true);
    v.setUint8(at + HandoffLayout.kind, kind);
    v.setUint8(at + HandoffLayout.records, records);
    out.commit(size);
    return true;
  }

  /**
   * Reads a handoff at `at` (length `len`) of `bytes` into the parts, for
   * `slot`; returns false when the message is malformed (nothing then
   * trusts it). Call after header.read().
   */
  read(bytes: Uint8Array, view: DataView, at: number, len: number, slot: number): boolean {
    const h = this.header;
    let o = at + HandoffLayout.bytes;
    const end = at + len;
    for (let k = 0; k < h.records; k++) {
      if (o + HandoffRecordLayout.bytes > end) return false;
      const id = view.getUint8(o + HandoffRecordLayout.part);
      const rlen = view.getUint32(o + HandoffRecordLayout.length, true);
      o += HandoffRecordLayout.bytes;
      if (o + rlen > end) return false;
      const part = this.parts.get(id);
      if (part) part.read(this.r.resetRange(bytes, o, rlen), slot, h.handle);
      o += rlen;
    }
    return true;
  }
}

/**
 * Most bytes of baselines a handoff carries: a cell-to-cell message is at
 * most half its ring (zone-memory.ts MIN_CELL_TO_CELL_RING), and a client
 * that lags holds many large baselines.
 */
export const HANDOFF_BASELINES_BUDGET = 96 * 1024;

function tableBytes(rows: EntityRows, t: Baseline): number {
  return 4 + 2 + t.count * rows.schema.rowBytes;
}

/** A view a handoff can carry: its rows still held (a view of a client lagging past the ring's reach is not). */
function readable(rows: EntityRows, t: Baseline): boolean {
  return t.tick !== 0 && (t.count === 0 || rows.live(t.oldest));
}

/**
 * The oldest tick past `fromTick` whose baseline a handoff still carries:
 * first the acknowledged one (`fromTick`), then the newest back while they
 * fit `budget` (the ones the client acknowledges next).
 */
function cutoffTick(history: BaselineHistory, rows: EntityRows, fromTick: number, budget: number): number {
  let used = 1;
  const acked = history.find(fromTick);
  if (acked && readable(rows, acked)) used += tableBytes(rows, acked);
  let cutoff = Number.MAX_SAFE_INTEGER;
  for (let t = history.before(Number.MAX_SAFE_INTEGER); t !== null && t.tick > fromTick; t = history.before(t.tick)) {
    if (!readable(rows, t)) break;
    const bytes = tableBytes(rows, t);
    if (used + bytes > budget) break;
    used += bytes;
    cutoff = t.tick;
  }
  return cutoff;
}

function carried(rows: EntityRows, t: Baseline, fromTick: number, cutoff: number, ackedFits: boolean): boolean {
  return readable(rows, t) && ((t.tick === fromTick && ackedFits) || t.tick >= cutoff);
}

/** Bytes of the baselines writeBaselines() writes. */
export function baselinesBytes(history: BaselineHistory, rows: EntityRows, fromTick: number, budget = HANDOFF_BASELINES_BUDGET): number {
  const cutoff = cutoffTick(history, rows, fromTick, budget);
  const ackedFits = fits(history, rows, fromTick, budget);
  let n = 1;
  for (let t = history.after(0); t !== null; t = history.after(t.tick)) if (carried(rows, t, fromTick, cutoff, ackedFits)) n += tableBytes(rows, t);
  return n;
}

function fits(history: BaselineHistory, rows: EntityRows, fromTick: number, budget: number): boolean {
  const acked = history.find(fromTick);
  return acked !== null && readable(rows, acked) && 1 + tableBytes(rows, acked) <= budget;
}

/**
 * Writes the baselines the client may still acknowledge, oldest first: the acknowledged one
 * (`fromTick`) and the newest after it, within `budget` bytes (a lagging
 * client's older ones are left out: its next frame after the handoff is a
 * delta against the acknowledged one, the frame after that against a newer
 * one). The views name rows of the cell's entity rows, which the next cell
 * does not have: each row goes by value. u8 tables, then per table u32 tick
 * | u16 rows | rows of u32 id and each field at its wire width (field-table
 * order).
 */
export function writeBaselines(w: Writer, history: BaselineHistory, rows: EntityRows, fromTick: number, budget = HANDOFF_BASELINES_BUDGET): void {
  const cutoff = cutoffTick(history, rows, fromTick, budget);
  const ackedFits = fits(history, rows, fromTick, budget);
  const at = w.pos;
  w.u8(0);
  let tables = 0;
  for (let t = history.after(0); t !== null; t = history.after(t.tick)) {
    if (!carried(rows, t, fromTick, cutoff, ackedFits)) continue;
    writeTable(w, history.slab, rows, t);
    tables++;
  }
  w.patchU8(at, tables);
}

function writeTable(w: Writer, slab: ViewRefs, rows: EntityRows, t: Baseline): void {
  const widths = rows.schema.widths;
  const cols = rows.table.cols;
  w.u32(t.tick);
  w.u16(t.count);
  for (let i = t.row; i < t.row + t.count; i++) {
    w.u32(slab.ids[i]);
    const row = slab.refs[i] & rows.mask;
    for (let k = 0; k < widths.length; k++) {
      const v = cols[k][row];
      if (widths[k] === 1) w.u8(v);
      else if (widths[k] === 2) w.u16(v);
      else w.u32(v);
    }
  }
}

/** Reads what writeBaselines() wrote into `history`, each row a new one of `rows` (the new owner's). */
export function readBaselines(r: Reader, history: BaselineHistory, rows: EntityRows): void {
  const tables = r.u8();
  const widths = rows.schema.widths;
  for (let k = 0; k < tables; k++) {
    const tick = r.u32();
    const count = r.u16();
    const t = history.claim(tick, 0, count);
    const slab = history.slab;
    for (let i = t.row; i < t.row + count; i++) {
      const id = r.u32();
      const ref = rows.append(id);
      if (i === t.row) t.oldest = ref;
      // After append(): it may have moved the rows to a larger table.
      const cols = rows.table.cols;
      const row = ref & rows.mask;
      for (let c = 0; c < widths.length; c++) cols[c][row] = widths[c] === 1 ? r.u8() : widths[c] === 2 ? r.u16() : r.u32();
      slab.ids[i] = id;
      slab.refs[i] = ref;
    }
    t.count = count;
  }
}
