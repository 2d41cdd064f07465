/**
 * fast-check arbitraries and helpers shared by the protocol tests: valid
 * messages of every kind, view tables, and byte mutations of valid frames.
 */
import fc from 'fast-check';
import { ErrorCode, ProtocolError, closeCodeOf, type ErrorCodeValue } from '../../src/protocol/errors.ts';
import type { ClientMessage, ServerMessage } from '../../src/protocol/messages.ts';
import { NoticeCode, type NoticeCodeValue } from '../../src/protocol/notices.ts';
import { AuthKind, Limits, MoveKind } from '../../src/protocol/opcodes.ts';
import { ACTION_REASON_COUNT, ActionKind, AURA_KIND_MAX, COMBAT_EVENT_COUNT, CombatEvent, HIT_FLAGS_MASK, RESOURCE_COUNT } from '../../src/protocol/combat-codes.ts';
import { dequantise } from '../../src/protocol/encode.ts';
import { encodeSnapshot, encodeSnapshotEntities, maxSnapshotBytes } from '../../src/protocol/snapshot-codec.ts';
import { EventList, writeEvents } from '../../src/protocol/snapshot-events.ts';
import { SELF_STATS, SelfState, writeSelf } from '../../src/protocol/self-state.ts';
import { ReplicatedFields, ViewTable, type ReplicatedField } from '../../src/protocol/view-table.ts';
import { Writer } from '../../src/protocol/writer.ts';

const utf8 = new TextEncoder();
export const utf8Length = (s: string): number => utf8.encode(s).length;

/**
 * Strings of any code points within `maxBytes` of UTF-8. Lone surrogates are
 * excluded (they are not representable in UTF-8), and so is a leading U+FEFF,
 * which the decoder drops (see the BOM test in reader-writer.test.ts).
 */
export const wireString = (maxBytes: number): fc.Arbitrary<string> =>
  fc
    .string({ unit: fc.oneof(fc.constantFrom('a', 'Z', ' ', 'é', '€', '😀', '\u0000'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: maxBytes })
    .filter((s) => s.isWellFormed() && !s.startsWith('\uFEFF') && utf8Length(s) <= maxBytes);

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u8 = fc.integer({ min: 0, max: 0xff });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

export const clientMessageArb: fc.Arbitrary<ClientMessage> = fc.oneof(
  fc.oneof(
    fc.record({ op: fc.constant('hello' as const), version: u16, auth: fc.constant(AuthKind.GUEST), credential: wireString(Limits.maxNameBytes), characterId: u32, contentHash: wireString(Limits.maxContentHashBytes) }),
    fc.record({ op: fc.constant('hello' as const), version: u16, auth: fc.constant(AuthKind.TOKEN), credential: wireString(Limits.maxTokenBytes), characterId: u32, contentHash: wireString(Limits.maxContentHashBytes) }),
  ),
  fc.oneof(
    fc.record({ op: fc.constant('input' as const), seq: u32, ackTick: u32, move: fc.constant(MoveKind.STOP), dx: fc.constant(0), dy: fc.constant(0), x: fc.constant(0), y: fc.constant(0) }),
    fc.record({
      op: fc.constant('input' as const),
      seq: u32,
      ackTick: u32,
      move: fc.constant(MoveKind.DIRECTION),
      dx: fc.integer({ min: -127, max: 127 }),
      dy: fc.integer({ min: -127, max: 127 }),
      x: fc.constant(0),
      y: fc.constant(0),
    }),
    fc.record({
      op: fc.constant('input' as const),
      seq: u32,
      ackTick: u32,
      move: fc.constant(MoveKind.DESTINATION),
      dx: fc.constant(0),
      dy: fc.constant(0),
      x: u16.map((q) => q / Limits.positionScale),
      y: u16.map((q) => q / Limits.positionScale),
    }),
  ),
  fc.record({ op: fc.constant('ack' as const), ackTick: u32 }),
  fc.record({ op: fc.constant('ping' as const), clientTime: finite }),
  fc.record({
    op: fc.constant('action' as const),
    seq: u16,
    kind: fc.constantFrom(ActionKind.TARGET, ActionKind.ATTACK, ActionKind.SKILL, ActionKind.RESPAWN),
    target: u32,
    skill: fc.integer({ min: 0, max: 0xffff }),
    x: u16.map(dequantise),
    y: u16.map(dequantise),
  }).map((m) => ({ ...m, skill: m.kind === ActionKind.ATTACK ? m.skill & 1 : m.kind === ActionKind.SKILL ? Math.max(1, m.skill) : m.skill })),
);

export const errorCodeArb: fc.Arbitrary<ErrorCodeValue> = fc.constantFrom(...(Object.values(ErrorCode) as ErrorCodeValue[]));
export const noticeCodeArb: fc.Arbitrary<NoticeCodeValue> = fc.constantFrom(...(Object.values(NoticeCode) as NoticeCodeValue[]));

export const serverMessageArb: fc.Arbitrary<ServerMessage> = fc.oneof(
  fc.record({
    op: fc.constant('welcome' as const),
    version: u16,
    entity: u32,
    zoneId: u16,
    tickHz: u8,
    mapWidth: u16,
    mapHeight: u16,
    aoiTile: u16,
    serverTime: fc.double(),
    contentHash: wireString(Limits.maxContentHashBytes),
    zoneName: wireString(Limits.maxZoneNameBytes),
  }),
  fc.record({ op: fc.constant('pong' as const), clientTime: fc.double(), serverTime: fc.double() }),
  fc.record({ op: fc.constant('error' as const), code: errorCodeArb, message: wireString(200) }),
  fc.record({
    op: fc.constant('zoneChange' as const),
    entity: u32,
    zoneId: u16,
    tickHz: u8,
    mapWidth: u16,
    mapHeight: u16,
    aoiTile: u16,
    zoneName: wireString(Limits.maxZoneNameBytes),
    contentHash: wireString(Limits.maxContentHashBytes),
  }),
  fc.record({ op: fc.constant('notice' as const), code: noticeCodeArb, message: wireString(200) }),
  fc.record({
    op: fc.constant('names' as const),
    entries: fc.array(fc.record({ entity: fc.integer({ min: 1, max: 0xffffffff }), name: wireString(Limits.maxPlayerNameBytes).filter((s) => s !== '') }), { minLength: 1, maxLength: Limits.maxNamesPerMessage }),
  }),
);

/** One entity row as plain values. */
export type Row = { id: number } & Record<ReplicatedField, number>;

const fieldMax = (f: ReplicatedField): number => ({ u8: 0xff, u16: 0xffff, u32: 0xffffffff })[ReplicatedFields[f]];
export const FIELD_NAMES = Object.keys(ReplicatedFields) as ReplicatedField[];

/** A row with the fields given and 0 in every other field. */
export function row(r: Partial<Row> & { id: number }): Row {
  const out = { id: r.id } as Row;
  for (const f of FIELD_NAMES) out[f] = r[f] ?? 0;
  return out;
}

export const rowValuesArb: fc.Arbitrary<Record<ReplicatedField, number>> = fc.record(
  Object.fromEntries(FIELD_NAMES.map((f) => [f, fc.integer({ min: 0, max: fieldMax(f) })])) as Record<ReplicatedField, fc.Arbitrary<number>>,
);

export function tableOf(rows: Row[], tick = 0): ViewTable {
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  const t = new ViewTable(4);
  t.ensure(sorted.length);
  sorted.forEach((r, i) => {
    t.ids[i] = r.id;
    for (const f of FIELD_NAMES) t[f][i] = r[f];
  });
  t.count = sorted.length;
  t.tick = tick;
  return t;
}

export function rowsOf(t: ViewTable): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < t.count; i++) {
    const r = { id: t.ids[i] } as Row;
    for (const f of FIELD_NAMES) r[f] = t[f][i];
    out.push(r);
  }
  return out;
}

/** A set of rows with distinct ids, of at most `max`. */
export const rowsArb = (max: number, ids: fc.Arbitrary<number> = u32): fc.Arbitrary<Row[]> =>
  fc.uniqueArray(fc.tuple(ids, rowValuesArb), { maxLength: max, selector: ([id]) => id }).map((a) => a.map(([id, v]) => ({ id, ...v })));

/** How one baseline row changes into the current view. */
const changeArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'same' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'leave' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      // small moves, i8 edges, past i8, and u16 wrap
      dx: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-129, -128, 127, 128, 65535, -65535), fc.integer({ min: -70000, max: 70000 })),
      dy: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-129, -128, 127, 128, 65535, -65535), fc.integer({ min: -70000, max: 70000 })),
      fields: fc.subarray(FIELD_NAMES.filter((f) => f !== 'x' && f !== 'y')),
      values: rowValuesArb,
    }),
  },
);

/** A baseline and a current view derived from it: enters, leaves, updates, unchanged rows. */
export const deltaArb = (max: number = Limits.maxViewEntities): fc.Arbitrary<{ base: Row[]; cur: Row[] }> =>
  fc
    .tuple(rowsArb(max), fc.array(changeArb, { minLength: max, maxLength: max }), rowsArb(max))
    .map(([base, changes, extra]) => {
      const cur: Row[] = [];
      const baseIds = new Set(base.map((r) => r.id));
      base.forEach((r, i) => {
        const c = changes[i];
        if (c.kind === 'leave') return;
        if (c.kind === 'same') return void cur.push({ ...r });
        const n = { ...r, x: (r.x + c.dx) & 0xffff, y: (r.y + c.dy) & 0xffff };
        for (const f of c.fields) n[f] = c.values[f];
        cur.push(n);
      });
      for (const r of extra) if (!baseIds.has(r.id) && cur.length < max) cur.push(r);
      return { base, cur };
    });

const scratch = new Uint8Array(maxSnapshotBytes(Limits.maxViewEntities));
const w = new Writer();

/** Encodes one SNAPSHOT frame as the replicator does, into a buffer sized by the protocol's bound. */
export function snapshotFrame(tick: number, base: ViewTable | null, cur: ViewTable, lastInputSeq = 0, you = 0): Uint8Array {
  w.reset(scratch);
  encodeSnapshot(w, tick, base, cur, lastInputSeq, you);
  return scratch.slice(0, w.length);
}

/** A valid frame damaged in one of the ways a network or an attacker would. */
export const mutate = (frame: Uint8Array): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    // flip one to four bits
    fc.array(fc.tuple(fc.nat(Math.max(0, frame.length - 1)), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }).map((flips) => {
      const b = frame.slice();
      for (const [i, bit] of flips) if (b.length) b[i] ^= 1 << bit;
      return b;
    }),
    // overwrite a byte
    fc.tuple(fc.nat(Math.max(0, frame.length - 1)), u8).map(([i, v]) => {
      const b = frame.slice();
      if (b.length) b[i] = v;
      return b;
    }),
    // truncate
    fc.nat(Math.max(0, frame.length - 1)).map((n) => frame.slice(0, n)),
    // extend
    fc.uint8Array({ minLength: 1, maxLength: 16 }).map((tail) => {
      const b = new Uint8Array(frame.length + tail.length);
      b.set(frame);
      b.set(tail, frame.length);
      return b;
    }),
    // splice random bytes into the middle
    fc.tuple(fc.nat(frame.length), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([i, ins]) => {
      const b = new Uint8Array(frame.length + ins.length);
      b.set(frame.subarray(0, i));
      b.set(ins, i);
      b.set(frame.subarray(i), i + ins.length);
      return b;
    }),
  );

/** Copies `bytes` to a non-zero offset of a larger (optionally shared) buffer and returns that view. */
export function atOffset(bytes: Uint8Array, offset: number, shared: boolean): Uint8Array {
  const buf = shared ? new SharedArrayBuffer(offset + bytes.length + 7) : new ArrayBuffer(offset + bytes.length + 7);
  const all = new Uint8Array(buf);
  all.fill(0xee);
  all.set(bytes, offset);
  return all.subarray(offset, offset + bytes.length);
}

/** Runs `fn`; fails unless it returns or throws a ProtocolError whose close code matches its code. */
export function onlyProtocolErrors<T>(fn: () => T): T | ProtocolError {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw new Error(`decoder threw a non-protocol error: ${String(e)}`, { cause: e });
    if (typeof e.closeCode !== 'number' || e.closeCode !== closeCodeOf[e.code]) throw new Error(`protocol error without its close code: ${e.message}`);
    return e;
  }
}

/** One combat event as plain values, its detail valid for its type. */
export interface EventRow {
  type: number;
  detail: number;
  source: number;
  target: number;
  skill: number;
  amount: number;
}

const detailArb = (type: number): fc.Arbitrary<number> => {
  if (type === CombatEvent.DAMAGE || type === CombatEvent.HEAL) return fc.integer({ min: 0, max: HIT_FLAGS_MASK });
  if (type === CombatEvent.REFUSED || type === CombatEvent.CAST_INTERRUPTED) return fc.integer({ min: 1, max: ACTION_REASON_COUNT - 1 });
  if (type === CombatEvent.AURA) return fc.integer({ min: 1, max: AURA_KIND_MAX });
  return fc.constant(0);
};

export const eventArb: fc.Arbitrary<EventRow> = fc
  .integer({ min: 1, max: COMBAT_EVENT_COUNT - 1 })
  .chain((type) => fc.record({ type: fc.constant(type), detail: detailArb(type), source: u32, target: u32, skill: u16, amount: u32 }));

export const eventsArb = fc.array(eventArb, { maxLength: Limits.maxSnapshotEvents });

export function eventListOf(rows: EventRow[]): EventList {
  const l = new EventList();
  for (const e of rows) l.push(e.type, e.detail, e.source, e.target, e.skill, e.amount);
  return l;
}

export function eventRowsOf(l: EventList): EventRow[] {
  return Array.from({ length: l.count }, (_, i) => l.at(i));
}

/** A valid self record. */
export const selfArb: fc.Arbitrary<SelfState> = fc
  .record({
    actionSeq: u16,
    resource: fc.integer({ min: 0, max: RESOURCE_COUNT - 1 }),
    flags: fc.integer({ min: 0, max: 1 }),
    xpLevel: fc.integer({ min: 0, max: 1_000_000 }),
    gained: fc.integer({ min: 0, max: 1_000_000 }),
    next: fc.integer({ min: 0, max: 1_000_000 }),
    stats: fc.array(u16, { minLength: SELF_STATS.length, maxLength: SELF_STATS.length }),
    skills: fc.array(fc.tuple(fc.integer({ min: 1, max: 0xffff }), u32), { maxLength: Limits.maxSelfSkills }),
    auras: fc.array(fc.tuple(u16, fc.integer({ min: 1, max: AURA_KIND_MAX }), u32, u8), { maxLength: Limits.maxSelfAuras }),
  })
  .map((r) => {
    const s = new SelfState();
    s.actionSeq = r.actionSeq;
    s.resource = r.resource;
    s.flags = r.flags;
    s.xpLevel = r.xpLevel;
    s.xp = r.xpLevel + r.gained;
    s.xpNext = r.next === 0 ? 0 : r.xpLevel + r.next;
    s.stats.set(r.stats);
    s.skillCount = r.skills.length;
    r.skills.forEach(([k, t], i) => {
      s.skills[i] = k;
      s.readyTick[i] = t;
    });
    s.auraCount = r.auras.length;
    r.auras.forEach(([k, kind, end, stacks], i) => {
      s.auraSkill[i] = k;
      s.auraKind[i] = kind;
      s.auraEnd[i] = end;
      s.auraStacks[i] = stacks;
    });
    return s;
  });

const extraScratch = new Uint8Array(maxSnapshotBytes(Limits.maxViewEntities));

/** A SNAPSHOT frame with events and (or without) a self record, as the replicator writes one. */
export function snapshotFrameWith(tick: number, base: ViewTable | null, cur: ViewTable, events: EventList, self: SelfState | null, you = 0): Uint8Array {
  w.reset(extraScratch);
  encodeSnapshotEntities(w, tick, base, cur, 0, you);
  writeEvents(w, events);
  w.u8(self ? 1 : 0);
  if (self) writeSelf(w, self);
  return extraScratch.slice(0, w.length);
}
