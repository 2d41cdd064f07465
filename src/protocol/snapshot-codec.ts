import { ErrorCode, ProtocolError } from './errors.ts';
import { Limits } from './opcodes.ts';
import type { Reader } from './reader.ts';
import { codecOf, type FieldCodec, type UpdateValues } from './field-codec.ts';
import { DEFAULT_SCHEMA, type FieldSchema } from './fields.ts';
import { ViewTable } from './view-table.ts';
import { EventList, MAX_EVENTS_BYTES, readEvents } from './snapshot-events.ts';
import { MAX_SELF_BYTES, readSelf, SelfState } from './self-state.ts';
import { ChatLines, EMPTY_CHAT_BYTES, MAX_CHAT_SECTION_BYTES, readChatSection } from './chat-lines.ts';

/**
 * Snapshot records (after the header documented in opcodes.ts), built from
 * the field table (fields.ts):
 *   enter:  vid | every field in table order, at its wire width
 *   update: vid | varint mask | each group whose bit is set, in bit order:
 *           its fields in table order (a delta group's DELTA bit: each field
 *           as an i8 change from the baseline; its ABS bit: in full)
 *   leave:  vid
 * Ids are strictly increasing within each section, and `vid` is the id's
 * difference from the previous id of its section (from 0 for the first) as a
 * LEB128 varint: ids of one view sit close together, so most take 1-2 bytes.
 * The events section (snapshot-events.ts) and the self section
 * (self-state.ts) follow the leaves.
 */

/** Update mask bits of Tessera's own field table (documented in docs/protocol.md). */
export const UpdateMask = {
  /** i8 dx | i8 dy: position change from the baseline, in quanta. */
  POS_DELTA: 1,
  /** u16 x | u16 y: absolute position, when the change does not fit in i8. */
  POS_ABS: 2,
  /** u16 hp */
  HP: 4,
  /** u8 flags */
  FLAGS: 8,
  /** u16 maxHp | u8 level | u16 maxMana */
  STATS: 16,
  /** u8 kind | u16 template */
  LOOK: 32,
  /** u32 target */
  TARGET: 64,
  /** u16 mana */
  MANA: 128,
  /** u16 castSkill | u16 castEnd | u16 castTicks */
  CAST: 256,
} as const;

export const SNAPSHOT_HEADER_BYTES = 1 + 4 * 4;
/** Largest id varint. */
export const MAX_VID_BYTES = 5;
/** Enter record after its id. */
export const ENTER_BODY_BYTES = DEFAULT_SCHEMA.enterBytes;
/** Largest enter record. */
export const MAX_ENTER_BYTES = MAX_VID_BYTES + ENTER_BODY_BYTES;
/** Largest update record. */
export const MAX_UPDATE_BYTES = MAX_VID_BYTES + DEFAULT_SCHEMA.maxUpdateBodyBytes;

/** Header fields of a decoded snapshot. */
export interface SnapshotHeader {
  tick: number;
  baseTick: number;
  lastInputSeq: number;
  you: number;
}

// The encoders (the server's, tests' and tools'): snapshot-encode.ts.
export { encodeSnapshot, encodeSnapshotEntities, encodeSnapshotRefs, encodeSnapshotRows } from './snapshot-encode.ts';

/** Bytes of the events, self and chat sections when empty (no events, no self record, no chat). */
export const EMPTY_EXTRA_BYTES = 3 + EMPTY_CHAT_BYTES;
/** Bytes of the events, self and chat sections at their largest. */
export const MAX_SNAPSHOT_EXTRA_BYTES = MAX_EVENTS_BYTES + 1 + MAX_SELF_BYTES + MAX_CHAT_SECTION_BYTES;

/**
 * Bytes the largest snapshot of `n` entities can take: a complete turnover,
 * n enters and n leaves (an update is never larger than an enter + a leave),
 * the most events and a self record.
 */
export function maxSnapshotBytes(n: number, schema: FieldSchema = DEFAULT_SCHEMA): number {
  return SNAPSHOT_HEADER_BYTES + 6 + n * (MAX_VID_BYTES + schema.enterBytes + MAX_VID_BYTES) + MAX_SNAPSHOT_EXTRA_BYTES;
}

/**
 * Bytes a snapshot of `n` entities against a baseline of `baseCount` can
 * take at most: each entity an enter or an update, each of the baseline's a
 * leave, and the largest events and self sections. What the replicator
 * reserves in the ring (tighter than maxSnapshotBytes for the usual view).
 */
export function snapshotBound(n: number, baseCount: number, schema: FieldSchema = DEFAULT_SCHEMA): number {
  const perEntity = MAX_VID_BYTES + Math.max(schema.enterBytes, schema.maxUpdateBodyBytes);
  return SNAPSHOT_HEADER_BYTES + 6 + n * perEntity + baseCount * MAX_VID_BYTES + MAX_SNAPSHOT_EXTRA_BYTES;
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

/**
 * Staging for one decode, per schema: records are read whole before merging,
 * so a malformed snapshot changes nothing the caller holds.
 */
interface Staging {
  enters: ViewTable;
  updIds: Uint32Array;
  updMask: Uint32Array;
  /** Per field: the update's value (a delta for a DELTA group, else absolute). */
  updVals: UpdateValues;
  leaveIds: Uint32Array;
}

const stagings = new WeakMap<FieldCodec, Staging>();

let lastCodec: FieldCodec | null = null;
let lastStaging: Staging | null = null;

function stagingOf(schema: FieldSchema, codec: FieldCodec): Staging {
  // A process decodes with one codec almost always: skip the map for it.
  if (codec === lastCodec) return lastStaging!;
  let s = stagings.get(codec);
  if (!s) {
    const n = Limits.maxViewEntities;
    s = {
      enters: new ViewTable(n, schema),
      updIds: new Uint32Array(n),
      updMask: new Uint32Array(n),
      updVals: codec.makeValues(n),
      leaveIds: new Uint32Array(n),
    };
    stagings.set(codec, s);
  }
  lastCodec = codec;
  lastStaging = s;
  return s;
}

/** Where a decode puts the events and self sections (ClientView keeps one; a decode without one reads them into scratch). */
export interface SnapshotExtras {
  readonly events: EventList;
  readonly self: SelfState;
  /** True when the snapshot carried a self record (into `self`). */
  selfPresent: boolean;
  /** The chat section's lines. */
  readonly chat: ChatLines;
}

const scratchExtras: SnapshotExtras = { events: new EventList(), self: new SelfState(), selfPresent: false, chat: new ChatLines() };

/**
 * Decodes a snapshot (after its opcode byte) against its baseline into `out`
 * (id-sorted). Throws ProtocolError on malformed bytes or on records that do
 * not fit the baseline (an enter already present, an update or leave absent).
 * `resolveBase` maps the header's baseTick to a table (null for baseTick 0),
 * or undefined when the client no longer has that baseline. `out` must not
 * be the baseline table; its schema says which fields the records carry.
 * The events and the self record go to `extras` (valid only on success).
 */
export function decodeSnapshotBody(
  r: Reader,
  resolveBase: (baseTick: number) => ViewTable | null | undefined,
  out: ViewTable,
  header: SnapshotHeader,
  codec: FieldCodec = codecOf(out.schema),
  extras: SnapshotExtras = scratchExtras,
): void {
  header.tick = r.u32();
  header.baseTick = r.u32();
  header.lastInputSeq = r.u32();
  header.you = r.u32();
  const base = resolveBase(header.baseTick);
  if (base === undefined) bad(`unknown baseline tick ${header.baseTick}`);
  if (header.baseTick !== 0 && base === null) bad('non-zero baseline tick resolved to no table');
  if (base === out) throw new Error('decodeSnapshotBody: out must not be the baseline');

  const plan = out.schema;
  const st = stagingOf(out.schema, codec);
  const staged = st.enters;
  const { updIds, updMask, updVals, leaveIds } = st;

  const enters = readCount(r, 'enters');
  for (let e = 0; e < enters; e++) {
    staged.ids[e] = readId(r, e === 0 ? -1 : staged.ids[e - 1], 'enter');
    codec.readRow(r, staged, e);
  }
  const updates = readCount(r, 'updates');
  for (let u = 0; u < updates; u++) {
    updIds[u] = readId(r, u === 0 ? -1 : updIds[u - 1], 'update');
    const mask = r.varu32();
    if (mask === 0 || (mask & ~plan.knownMask) !== 0 || (mask & (mask >>> 1) & plan.deltaBits) !== 0) bad(`bad update mask ${mask}`);
    updMask[u] = mask;
    codec.readUpdate(r, mask, updVals, u);
  }
  const leaves = readCount(r, 'leaves');
  for (let l = 0; l < leaves; l++) leaveIds[l] = readId(r, l === 0 ? -1 : leaveIds[l - 1], 'leave');
  readEvents(r, extras.events);
  const present = r.u8();
  if (present > 1) bad(`bad self presence ${present}`);
  extras.selfPresent = present === 1;
  if (present === 1) readSelf(r, extras.self);
  readChatSection(r, extras.chat);
  r.finish();

  // Merge-walk baseline, enters, updates and leaves, all id-sorted. When
  // no one entered or left (most snapshots), the baseline's rows are the
  // new view's: copied all at once first (ViewTable.copyRowsOf), then updated.
  const bn = base ? base.count : 0;
  const same = enters === 0 && leaves === 0;
  // As large as the baseline, so that all its rows go in one copy of its buffer.
  out.ensure(Math.max(bn + enters, base ? base.capacity : 0));
  if (same && bn > 0) out.copyRowsOf(base!);
  let n = 0;
  let e = 0;
  let u = 0;
  let l = 0;
  for (let i = 0; i < bn; i++) {
    const id = base!.ids[i];
    while (e < enters && staged.ids[e] < id) codec.copyRow(out, n++, staged, e++);
    if (e < enters && staged.ids[e] === id) bad(`enter of entity ${id} already in view`);
    if (u < updates && updIds[u] < id) bad(`update of entity ${updIds[u]} not in view`);
    if (l < leaves && leaveIds[l] < id) bad(`leave of entity ${leaveIds[l]} not in view`);
    if (l < leaves && leaveIds[l] === id) {
      if (u < updates && updIds[u] === id) bad(`entity ${id} both updated and leaving`);
      l++;
      continue;
    }
    if (!same) codec.copyRow(out, n, base!, i);
    if (u < updates && updIds[u] === id) {
      codec.applyUpdate(out, n, updMask[u], updVals, u);
      u++;
    }
    n++;
  }
  if (u < updates) bad(`update of entity ${updIds[u]} not in view`);
  if (l < leaves) bad(`leave of entity ${leaveIds[l]} not in view`);
  if (n + (enters - e) > Limits.maxViewEntities) bad('snapshot view exceeds the entity limit');
  while (e < enters) codec.copyRow(out, n++, staged, e++);
  out.tick = header.tick;
  out.count = n;
}
