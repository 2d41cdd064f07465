import { codecOf, type FieldCodec } from './field-codec.ts';
import { ServerOp } from './opcodes.ts';
import { writeNoEvents } from './snapshot-events.ts';
import { writeNoChat } from './chat-lines.ts';
import type { ViewTable } from './view-table.ts';
import type { Writer } from './writer.ts';

/**
 * The snapshot encoders: a view as a delta against a baseline (or in full),
 * in the record format snapshot-codec.ts documents and decodes. Over two
 * tables (tests, tools, benchmarks) or over views that name rows of one
 * shared table (the server's replication: workers/entity-rows.ts).
 */

/**
 * A whole snapshot of entities only: no events, the self section
 * absent and no chat (tests, benchmarks, tools; the server writes the sections itself:
 * encodeSnapshotEntities, then snapshot-events.ts and self-state.ts).
 */
export function encodeSnapshot(
  w: Writer,
  tick: number,
  base: ViewTable | null,
  cur: ViewTable,
  lastInputSeq: number,
  you: number,
  codec: FieldCodec = codecOf(cur.schema),
): void {
  encodeSnapshotEntities(w, tick, base, cur, lastInputSeq, you, codec);
  writeNoEvents(w);
  w.u8(0);
  writeNoChat(w);
}

/**
 * The header and entity sections: `cur` as a delta against `base` (or in
 * full when base is null). Three merge-walks over the two id-sorted tables;
 * allocates nothing.
 */
export function encodeSnapshotEntities(
  w: Writer,
  tick: number,
  base: ViewTable | null,
  cur: ViewTable,
  lastInputSeq: number,
  you: number,
  codec: FieldCodec = codecOf(cur.schema),
): void {
  encodeSnapshotRows(w, tick, lastInputSeq, you, base, base ? base.tick : 0, 0, base ? base.count : 0, cur, 0, cur.count, codec);
}

/**
 * encodeSnapshotEntities over row ranges: the baseline is rows
 * [baseRow, baseRow + baseCount) of `base` (the view of `baseTick`; null or
 * 0 rows with baseTick 0: a full snapshot), the current view rows
 * [curRow, curRow + curCount) of `cur`. The server keeps a client's views in
 * one table (workers/baselines.ts); the ranges must not overlap.
 */
export function encodeSnapshotRows(
  w: Writer,
  tick: number,
  lastInputSeq: number,
  you: number,
  base: ViewTable | null,
  baseTick: number,
  baseRow: number,
  baseCount: number,
  cur: ViewTable,
  curRow: number,
  curCount: number,
  codec: FieldCodec,
): void {
  writeHeader(w, tick, base ? baseTick : 0, lastInputSeq, you);
  const bn = base ? baseCount : 0;
  const bids = base ? base.ids : cur.ids;
  const cids = cur.ids;
  const bEnd = baseRow + bn;
  const cEnd = curRow + curCount;
  // enters: in cur, not in base
  writeMissing(w, cids, curRow, cEnd, bids, baseRow, bEnd, cur, null, 0, codec);
  // updates: in both, with a changed field
  const at = w.pos;
  w.u16(0);
  w.patchU16(at, base ? codec.writeUpdates(w, base, baseRow, bn, cur, curRow, curCount) : 0);
  // leaves: in base, not in cur
  writeMissing(w, bids, baseRow, bEnd, cids, curRow, cEnd, null, null, 0, codec);
}

/**
 * encodeSnapshotRows for views that name rows of one shared table instead
 * of holding them (the server's: workers/entity-rows.ts): the baseline is
 * ids `bids` and row references `brefs` [bo, bo + bn) (null with baseTick
 * 0: a full snapshot), the current view `cids`/`crefs` [co, co + cn); a
 * reference is row `ref & rowMask` of `t`. The same bytes as
 * encodeSnapshotRows over the same values.
 */
export function encodeSnapshotRefs(
  w: Writer,
  tick: number,
  lastInputSeq: number,
  you: number,
  t: ViewTable,
  rowMask: number,
  baseTick: number,
  bids: Uint32Array | null,
  brefs: Uint32Array,
  bo: number,
  bn: number,
  cids: Uint32Array,
  crefs: Uint32Array,
  co: number,
  cn: number,
  codec: FieldCodec,
): void {
  writeHeader(w, tick, bids ? baseTick : 0, lastInputSeq, you);
  const base = bids ?? cids;
  const n = bids ? bn : 0;
  const bEnd = bo + n;
  const cEnd = co + cn;
  // enters: in cur, not in base
  writeMissing(w, cids, co, cEnd, base, bo, bEnd, t, crefs, rowMask, codec);
  // updates: in both, naming different rows with a field apart
  const at = w.pos;
  w.u16(0);
  w.patchU16(at, bids ? codec.writeUpdatesRef(w, t, rowMask, bids, brefs, bo, n, cids, crefs, co, cn) : 0);
  // leaves: in base, not in cur
  writeMissing(w, base, bo, bEnd, cids, co, cEnd, null, null, 0, codec);
}

function writeHeader(w: Writer, tick: number, baseTick: number, lastInputSeq: number, you: number): void {
  w.u8(ServerOp.SNAPSHOT);
  w.u32(tick >>> 0);
  w.u32(baseTick >>> 0);
  w.u32(lastInputSeq >>> 0);
  w.u32(you >>> 0);
}

/**
 * An enter or leave section: the ids of `ids` [j, end) that are not in
 * `other` [i, otherEnd), both id-sorted, as varint steps. Enters (ids of the
 * current view, other the baseline) carry each id's row of `t`: row j
 * itself, or the row `refs[j]` names (`& rowMask`) when the view holds
 * references. Leaves (ids of the baseline, other the current view) carry
 * none: `t` null.
 */
function writeMissing(
  w: Writer,
  ids: Uint32Array,
  j: number,
  end: number,
  other: Uint32Array,
  i: number,
  otherEnd: number,
  t: ViewTable | null,
  refs: Uint32Array | null,
  rowMask: number,
  codec: FieldCodec,
): void {
  const at = w.pos;
  w.u16(0);
  let n = 0;
  let prev = 0;
  for (; j < end; j++) {
    const id = ids[j];
    while (i < otherEnd && other[i] < id) i++;
    if (i < otherEnd && other[i] === id) continue;
    w.varu32(id - prev);
    prev = id;
    if (t !== null) codec.writeRow(w, t, refs === null ? j : refs[j] & rowMask);
    n++;
  }
  w.patchU16(at, n);
}
