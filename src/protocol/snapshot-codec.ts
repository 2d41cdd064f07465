import { ErrorCode, ProtocolError } from './errors.ts';
import { Limits, ServerOp } from './opcodes.ts';
import type { Reader } from './reader.ts';
import { ViewTable } from './view-table.ts';
import type { Writer } from './writer.ts';

/**
 * Snapshot records (after the header documented in opcodes.ts):
 *   enter:  vid | u8 kind | u16 template | u16 x | u16 y | u16 hp | u16 maxHp | u8 level | u8 flags
 *   update: vid | u8 mask (UpdateMask) | fields in mask-bit order
 *   leave:  vid
 * Ids are strictly increasing within each section, and `vid` is the id's
 * difference from the previous id of its section (from 0 for the first) as a
 * LEB128 varint: ids of one view sit close together, so most take 1-2 bytes.
 */
export const UpdateMask = {
  /** i8 dx | i8 dy: position change from the baseline, in quanta. */
  POS_DELTA: 1,
  /** u16 x | u16 y: absolute position, when the change does not fit in i8. */
  POS_ABS: 2,
  /** u16 hp */
  HP: 4,
  /** u8 flags */
  FLAGS: 8,
  /** u16 maxHp | u8 level */
  STATS: 16,
  /** u8 kind | u16 template */
  LOOK: 32,
} as const;
const KNOWN_MASK = 63;

export const SNAPSHOT_HEADER_BYTES = 1 + 4 * 4;
/** Largest id varint. */
export const MAX_VID_BYTES = 5;
/** Enter record after its id. */
export const ENTER_BODY_BYTES = 13;
/** Largest enter record. */
export const MAX_ENTER_BYTES = MAX_VID_BYTES + ENTER_BODY_BYTES;
/** Largest update record. */
export const MAX_UPDATE_BYTES = MAX_VID_BYTES + 1 + 4 + 2 + 1 + 3 + 3;

/** Header fields of a decoded snapshot. */
export interface SnapshotHeader {
  tick: number;
  baseTick: number;
  lastInputSeq: number;
  you: number;
}

/**
 * Bytes the largest snapshot of `n` entities can take: a complete turnover,
 * n enters and n leaves (an update is never larger than an enter + a leave).
 */
export function maxSnapshotBytes(n: number): number {
  return SNAPSHOT_HEADER_BYTES + 6 + n * (MAX_ENTER_BYTES + MAX_VID_BYTES);
}

/**
 * Encodes `cur` as a delta against `base` (or in full when base is null).
 * Three merge-walks over the two id-sorted tables; allocates nothing.
 */
export function encodeSnapshot(w: Writer, tick: number, base: ViewTable | null, cur: ViewTable, lastInputSeq: number, you: number): void {
  w.u8(ServerOp.SNAPSHOT);
  w.u32(tick >>> 0);
  w.u32(base ? base.tick >>> 0 : 0);
  w.u32(lastInputSeq >>> 0);
  w.u32(you >>> 0);
  const bn = base ? base.count : 0;
  // enters: in cur, not in base
  let at = w.pos;
  w.u16(0);
  let n = 0;
  let prev = 0;
  for (let i = 0, j = 0; j < cur.count; j++) {
    const id = cur.ids[j];
    while (i < bn && base!.ids[i] < id) i++;
    if (i < bn && base!.ids[i] === id) continue;
    w.varu32(id - prev);
    prev = id;
    w.u8(cur.kind[j]);
    w.u16(cur.template[j]);
    w.u16(cur.x[j]);
    w.u16(cur.y[j]);
    w.u16(cur.hp[j]);
    w.u16(cur.maxHp[j]);
    w.u8(cur.level[j]);
    w.u8(cur.flags[j]);
    n++;
  }
  w.patchU16(at, n);
  // updates: in both, with a changed field
  at = w.pos;
  w.u16(0);
  n = 0;
  prev = 0;
  if (base) {
    for (let i = 0, j = 0; j < cur.count && i < bn; ) {
      const a = base.ids[i];
      const b = cur.ids[j];
      if (a < b) i++;
      else if (a > b) j++;
      else {
        if (encodeUpdate(w, base, i, cur, j, prev)) {
          n++;
          prev = b;
        }
        i++;
        j++;
      }
    }
  }
  w.patchU16(at, n);
  // leaves: in base, not in cur
  at = w.pos;
  w.u16(0);
  n = 0;
  prev = 0;
  for (let i = 0, j = 0; i < bn; i++) {
    const id = base!.ids[i];
    while (j < cur.count && cur.ids[j] < id) j++;
    if (j < cur.count && cur.ids[j] === id) continue;
    w.varu32(id - prev);
    prev = id;
    n++;
  }
  w.patchU16(at, n);
}

function encodeUpdate(w: Writer, base: ViewTable, i: number, cur: ViewTable, j: number, prevId: number): boolean {
  const dx = cur.x[j] - base.x[i];
  const dy = cur.y[j] - base.y[i];
  let mask = 0;
  if (dx !== 0 || dy !== 0) mask |= dx >= -128 && dx <= 127 && dy >= -128 && dy <= 127 ? UpdateMask.POS_DELTA : UpdateMask.POS_ABS;
  if (cur.hp[j] !== base.hp[i]) mask |= UpdateMask.HP;
  if (cur.flags[j] !== base.flags[i]) mask |= UpdateMask.FLAGS;
  if (cur.maxHp[j] !== base.maxHp[i] || cur.level[j] !== base.level[i]) mask |= UpdateMask.STATS;
  if (cur.kind[j] !== base.kind[i] || cur.template[j] !== base.template[i]) mask |= UpdateMask.LOOK;
  if (mask === 0) return false;
  w.varu32(cur.ids[j] - prevId);
  w.u8(mask);
  if (mask & UpdateMask.POS_DELTA) {
    w.i8(dx);
    w.i8(dy);
  } else if (mask & UpdateMask.POS_ABS) {
    w.u16(cur.x[j]);
    w.u16(cur.y[j]);
  }
  if (mask & UpdateMask.HP) w.u16(cur.hp[j]);
  if (mask & UpdateMask.FLAGS) w.u8(cur.flags[j]);
  if (mask & UpdateMask.STATS) {
    w.u16(cur.maxHp[j]);
    w.u8(cur.level[j]);
  }
  if (mask & UpdateMask.LOOK) {
    w.u8(cur.kind[j]);
    w.u16(cur.template[j]);
  }
  return true;
}

function bad(message: string): never {
  throw new ProtocolError(ErrorCode.BAD_VALUE, message);
}

/** Reads a section's next id: `prev` plus a varint step (-1 for the first of the section). */
function readId(r: Reader, prev: number, what: string): number {
  const step = r.varu32();
  if (prev >= 0 && step === 0) bad(`${what} ids not strictly increasing`);
  const id = (prev < 0 ? 0 : prev) + step;
  if (id > 0xffffffff) bad(`${what} id beyond 32 bits`);
  return id;
}

function readCount(r: Reader, what: string): number {
  const n = r.u16();
  if (n > Limits.maxViewEntities) bad(`${n} ${what} exceed the limit of ${Limits.maxViewEntities}`);
  return n;
}

// Staging for one decode: records are read whole before merging, so a
// malformed snapshot changes nothing the caller holds.
const staged = new ViewTable(Limits.maxViewEntities);
const updIds = new Uint32Array(Limits.maxViewEntities);
const updMask = new Uint8Array(Limits.maxViewEntities);
const updA = new Int32Array(Limits.maxViewEntities);
const updB = new Int32Array(Limits.maxViewEntities);
const updHp = new Uint16Array(Limits.maxViewEntities);
const updFlags = new Uint8Array(Limits.maxViewEntities);
const updMaxHp = new Uint16Array(Limits.maxViewEntities);
const updLevel = new Uint8Array(Limits.maxViewEntities);
const updKind = new Uint8Array(Limits.maxViewEntities);
const updTemplate = new Uint16Array(Limits.maxViewEntities);
const leaveIds = new Uint32Array(Limits.maxViewEntities);

/**
 * Decodes a snapshot (after its opcode byte) against its baseline into `out`
 * (id-sorted). Throws ProtocolError on malformed bytes or on records that do
 * not fit the baseline (an enter already present, an update or leave absent).
 * `resolveBase` maps the header's baseTick to a table (null for baseTick 0),
 * or undefined when the client no longer has that baseline. `out` must not
 * be the baseline table.
 */
export function decodeSnapshotBody(
  r: Reader,
  resolveBase: (baseTick: number) => ViewTable | null | undefined,
  out: ViewTable,
  header: SnapshotHeader,
): void {
  header.tick = r.u32();
  header.baseTick = r.u32();
  header.lastInputSeq = r.u32();
  header.you = r.u32();
  const base = resolveBase(header.baseTick);
  if (base === undefined) bad(`unknown baseline tick ${header.baseTick}`);
  if (header.baseTick !== 0 && base === null) bad('non-zero baseline tick resolved to no table');
  if (base === out) throw new Error('decodeSnapshotBody: out must not be the baseline');

  const enters = readCount(r, 'enters');
  for (let k = 0; k < enters; k++) {
    staged.ids[k] = readId(r, k === 0 ? -1 : staged.ids[k - 1], 'enter');
    staged.kind[k] = r.u8();
    staged.template[k] = r.u16();
    staged.x[k] = r.u16();
    staged.y[k] = r.u16();
    staged.hp[k] = r.u16();
    staged.maxHp[k] = r.u16();
    staged.level[k] = r.u8();
    staged.flags[k] = r.u8();
  }
  const updates = readCount(r, 'updates');
  for (let k = 0; k < updates; k++) {
    updIds[k] = readId(r, k === 0 ? -1 : updIds[k - 1], 'update');
    const mask = r.u8();
    if (mask === 0 || (mask & ~KNOWN_MASK) !== 0 || (mask & 3) === 3) bad(`bad update mask ${mask}`);
    updMask[k] = mask;
    if (mask & UpdateMask.POS_DELTA) {
      updA[k] = r.i8();
      updB[k] = r.i8();
    } else if (mask & UpdateMask.POS_ABS) {
      updA[k] = r.u16();
      updB[k] = r.u16();
    }
    if (mask & UpdateMask.HP) updHp[k] = r.u16();
    if (mask & UpdateMask.FLAGS) updFlags[k] = r.u8();
    if (mask & UpdateMask.STATS) {
      updMaxHp[k] = r.u16();
      updLevel[k] = r.u8();
    }
    if (mask & UpdateMask.LOOK) {
      updKind[k] = r.u8();
      updTemplate[k] = r.u16();
    }
  }
  const leaves = readCount(r, 'leaves');
  for (let k = 0; k < leaves; k++) leaveIds[k] = readId(r, k === 0 ? -1 : leaveIds[k - 1], 'leave');
  r.finish();

  // Merge-walk baseline, enters, updates and leaves, all id-sorted.
  const bn = base ? base.count : 0;
  out.ensure(bn + enters);
  let n = 0;
  let e = 0;
  let u = 0;
  let l = 0;
  for (let i = 0; i < bn; i++) {
    const id = base!.ids[i];
    while (e < enters && staged.ids[e] < id) out.copyRow(staged, e++, n++);
    if (e < enters && staged.ids[e] === id) bad(`enter of entity ${id} already in view`);
    if (u < updates && updIds[u] < id) bad(`update of entity ${updIds[u]} not in view`);
    if (l < leaves && leaveIds[l] < id) bad(`leave of entity ${leaveIds[l]} not in view`);
    if (l < leaves && leaveIds[l] === id) {
      if (u < updates && updIds[u] === id) bad(`entity ${id} both updated and leaving`);
      l++;
      continue;
    }
    out.copyRow(base!, i, n);
    if (u < updates && updIds[u] === id) {
      const mask = updMask[u];
      if (mask & UpdateMask.POS_DELTA) {
        out.x[n] = (out.x[n] + updA[u]) & 0xffff;
        out.y[n] = (out.y[n] + updB[u]) & 0xffff;
      } else if (mask & UpdateMask.POS_ABS) {
        out.x[n] = updA[u];
        out.y[n] = updB[u];
      }
      if (mask & UpdateMask.HP) out.hp[n] = updHp[u];
      if (mask & UpdateMask.FLAGS) out.flags[n] = updFlags[u];
      if (mask & UpdateMask.STATS) {
        out.maxHp[n] = updMaxHp[u];
        out.level[n] = updLevel[u];
      }
      if (mask & UpdateMask.LOOK) {
        out.kind[n] = updKind[u];
        out.template[n] = updTemplate[u];
      }
      u++;
    }
    n++;
  }
  if (u < updates) bad(`update of entity ${updIds[u]} not in view`);
  if (l < leaves) bad(`leave of entity ${leaveIds[l]} not in view`);
  if (n + (enters - e) > Limits.maxViewEntities) bad('snapshot view exceeds the entity limit');
  out.ensure(n + enters - e);
  while (e < enters) out.copyRow(staged, e++, n++);
  out.tick = header.tick;
  out.count = n;
}
