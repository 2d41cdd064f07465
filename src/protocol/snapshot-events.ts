import { COMBAT_EVENT_COUNT, validDetail } from './combat-codes.ts';
import { ErrorCode, ProtocolError } from './errors.ts';
import { Limits } from './opcodes.ts';
import type { Reader } from './reader.ts';
import type { Writer } from './writer.ts';

/**
 * A snapshot's events section: what happened this tick around the viewer
 * (hits, heals, misses, deaths, casts, level-ups) and what it alone is
 * told (its refused actions, its experience). After the leaves:
 *
 *   u16 n (at most Limits.maxSnapshotEvents)
 *   n × event: u8 type | u8 detail | u32 source | u32 target | u16 skill | u32 amount
 *
 * Types and details: combat-codes.ts. Events are not deltas: a snapshot
 * lists the events of its own tick, and a snapshot the client never gets
 * (skipped under backpressure) takes its events with it.
 */
export const EVENT_RECORD_BYTES = 16;
/** Largest events section. */
export const MAX_EVENTS_BYTES = 2 + Limits.maxSnapshotEvents * EVENT_RECORD_BYTES;

/** Events as parallel typed arrays, reused snapshot after snapshot (no objects per event). */
export class EventList {
  count = 0;
  readonly type: Uint8Array;
  readonly detail: Uint8Array;
  readonly source: Uint32Array;
  readonly target: Uint32Array;
  readonly skill: Uint16Array;
  readonly amount: Uint32Array;

  constructor(capacity: number = Limits.maxSnapshotEvents) {
    this.type = new Uint8Array(capacity);
    this.detail = new Uint8Array(capacity);
    this.source = new Uint32Array(capacity);
    this.target = new Uint32Array(capacity);
    this.skill = new Uint16Array(capacity);
    this.amount = new Uint32Array(capacity);
  }

  get capacity(): number {
    return this.type.length;
  }

  /** Appends one event; false when full. */
  push(type: number, detail: number, source: number, target: number, skill: number, amount: number): boolean {
    const i = this.count;
    if (i === this.type.length) return false;
    this.type[i] = type;
    this.detail[i] = detail;
    this.source[i] = source;
    this.target[i] = target;
    this.skill[i] = skill;
    this.amount[i] = amount;
    this.count = i + 1;
    return true;
  }

  /** Copies `from` (a decode's staging) into this list. */
  copyFrom(from: EventList): void {
    const n = from.count;
    for (let i = 0; i < n; i++) {
      this.type[i] = from.type[i];
      this.detail[i] = from.detail[i];
      this.source[i] = from.source[i];
      this.target[i] = from.target[i];
      this.skill[i] = from.skill[i];
      this.amount[i] = from.amount[i];
    }
    this.count = n;
  }

  /** Event `i` as an object (tests, tools; not for hot paths). */
  at(i: number): { type: number; detail: number; source: number; target: number; skill: number; amount: number } {
    return { type: this.type[i], detail: this.detail[i], source: this.source[i], target: this.target[i], skill: this.skill[i], amount: this.amount[i] };
  }
}

/** Writes the events section from `list` (at most Limits.maxSnapshotEvents of it). */
export function writeEvents(w: Writer, list: EventList): void {
  const n = Math.min(list.count, Limits.maxSnapshotEvents);
  w.u16(n);
  for (let i = 0; i < n; i++) {
    w.u8(list.type[i]);
    w.u8(list.detail[i]);
    w.u32(list.source[i]);
    w.u32(list.target[i]);
    w.u16(list.skill[i]);
    w.u32(list.amount[i]);
  }
}

/** An empty events section. */
export function writeNoEvents(w: Writer): void {
  w.u16(0);
}

/** Reads an events section into `out`; throws ProtocolError on an unknown type, a bad detail or too many events. */
export function readEvents(r: Reader, out: EventList): void {
  const n = r.u16();
  if (n > Limits.maxSnapshotEvents || n > out.capacity) throw new ProtocolError(ErrorCode.BAD_VALUE, `${n} events exceed the limit of ${Limits.maxSnapshotEvents}`);
  for (let i = 0; i < n; i++) {
    const type = r.u8();
    const detail = r.u8();
    if (type < 1 || type >= COMBAT_EVENT_COUNT) throw new ProtocolError(ErrorCode.BAD_VALUE, `unknown event type ${type}`);
    if (!validDetail(type, detail)) throw new ProtocolError(ErrorCode.BAD_VALUE, `bad detail ${detail} for event type ${type}`);
    out.type[i] = type;
    out.detail[i] = detail;
    out.source[i] = r.u32();
    out.target[i] = r.u32();
    out.skill[i] = r.u16();
    out.amount[i] = r.u32();
  }
  out.count = n;
}
