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
  writeEnters(w, bids, baseRow, bEnd, cids, curRow, cEnd, cur, null, 0, codec);
  // updates: in both, with a changed field
  const at = w.pos;
  w.u16(0);
  w.patchU16(at, base ? codec.writeUpdates(w, base, baseRow, bn, cur, curRow, curCount) : 0);
  // leaves: in base, not in cur
  writeLeaves(w, bids, baseRow, bEnd, cids, curRow, cEnd);
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
  writeEnters(w, base, bo, bEnd, cids, co, cEnd, t, crefs, rowMask, codec);
  // updates: in both, naming different rows with a field apart
  const at = w.pos;
  w.u16(0);
  w.patchU16(at, bids ? codec.writeUpdatesRef(w, t, rowMask, bids, brefs, bo, n, cids, crefs, co, cn) : 0);
  writeLeaves(w, base, bo, bEnd, cids, co, cEnd);
}

function writeHeader(w: Writer, tick: number, baseTick: number, lastInputSeq: number, you: number): void {
  w.u8(ServerOp.SNAPSHOT);
  w.u32(tick >>> 0);
  w.u32(baseTick >>> 0);
  w.u32(lastInputSeq >>> 0);
  w.u32(you >>> 0);
}

/**
 * The enter section: ids in cur [j, cEnd) that are not in base [i, bEnd),
 * each with its row of `t`: row j itself, or the row `crefs[j]` names
 * (`& rowMask`) when the view holds references.
 */
function writeEnters(
  w: Writer,
  bids: Uint32Array,
  i: number,
  bEnd: number,
  cids: Uint32Array,
  j: number,
  cEnd: number,
  t: ViewTable,
  crefs: Uint32Array | null,
  rowMask: number,
  codec: FieldCodec,
): void {
  const at = w.pos;
  w.u16(0);
  let n = 0;
  let prev = 0;
  for (; j < cEnd; j++) {
    const id = cids[j];
    while (i < bEnd && bids[i] < id) i++;
    if (i < bEnd && bids[i] === id) continue;
    w.varu32(id - prev);
    prev = id;
    codec.writeRow(w, t, crefs === null ? j : crefs[j] & rowMask);
    n++;
  }
  w.patchU16(at, n);
}

/** The leave section: ids in base [i, bEnd) that are not in cur [j, cEnd). */
function writeLeaves(w: Writer, bids: Uint32Array, i: number, bEnd: number, cids: Uint32Array, j: number, cEnd: number): void {
  const at = w.pos;
  w.u16(0);
  let n = 0;
  let prev = 0;
  for (; i < bEnd; i++) {
    const id = bids[i];
    while (j < cEnd && cids[j] < id) j++;
    if (j < cEnd && cids[j] === id) continue;
    w.varu32(id - prev);
    prev = id;
    n++;
  }
  w.patchU16(at, n);
}
