/**
 * Players' names for the clients that see them (ServerOp NAMES). The cells
 * never hold names: the gate knows each connection's name and entity, and
 * reads the enter records of each snapshot it sends (a few bytes each) to
 * find the players about to come into a client's view. The names that
 * client has not been told yet go out in a NAMES message just before that
 * snapshot, once per entity and name for as long as the client stays the
 * same entity (its view, and the client's names, start afresh with each
 * ZONE_CHANGE).
 */
import { encodeNames } from '../../protocol/encode.ts';
import { DEFAULT_SCHEMA } from '../../protocol/fields.ts';
import { Limits } from '../../protocol/opcodes.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import { Reader } from '../../protocol/reader.ts';
import { EntityKind } from '../../shared/layout.ts';
import { HandleTable } from './handle-table.ts';

/** What the registry needs of a connection. */
export interface Named {
  readonly name: string;
  /** The zone (the gate's link index) and entity the player is now. */
  readonly zone: number;
  readonly handle: number;
}

/** Per viewer: who it is now, the names it was sent, the players it saw enter before their names were known. */
interface Told {
  zone: number;
  handle: number;
  /** Handle → the serial of the connection whose name was sent for it. */
  sent: HandleTable;
  /** Handle → snapshots left to wait for its name. */
  pending: Map<number, number>;
}

/** SNAPSHOT header: op, tick, baseTick, lastInputSeq, you. */
const HEADER_BYTES = 17;
/** Byte offset of `kind` in an enter record, after its varint id. */
const KIND_OFFSET = DEFAULT_SCHEMA.fields.slice(0, DEFAULT_SCHEMA.index.kind).reduce((n, f) => n + f.bytes, 0);
const ENTER_BYTES = DEFAULT_SCHEMA.enterBytes;
/** Reads the enter section with the codec's own varints and bounds checks; reset for each frame. */
const reader = new Reader();
/** Snapshots a viewer waits for the name of a player it saw enter (2 s at 20 Hz), then gives up. */
const PENDING_SNAPSHOTS = 40;
/** Names remembered per viewer before the memory starts over (names are then sent again as players re-enter). */
export const MAX_SENT_NAMES = 4096;

/**
 * Appends to `out` the handles of the player entities a SNAPSHOT frame
 * `buf[start, end)` brings into view, the viewer's own left out; returns
 * false for a frame it cannot read (then nothing is appended).
 */
export function playerEnters(buf: Uint8Array, start: number, end: number, out: number[]): boolean {
  if (end - start < HEADER_BYTES + 2) return false;
  // Most snapshots bring no one into view: their enter count is 0, and there is nothing to read.
  if ((buf[start + HEADER_BYTES] | (buf[start + HEADER_BYTES + 1] << 8)) === 0) return true;
  const you = (buf[start + 13] | (buf[start + 14] << 8) | (buf[start + 15] << 16) | (buf[start + 16] << 24)) >>> 0;
  const r = reader.resetRange(buf, start + HEADER_BYTES, end - start - HEADER_BYTES);
  const first = out.length;
  try {
    const n = r.u16();
    let id = 0;
    for (let i = 0; i < n; i++) {
      id = (id + r.varu32()) >>> 0;
      const at = r.position;
      r.skip(ENTER_BYTES);
      if (buf[at + KIND_OFFSET] === EntityKind.PLAYER && id !== you) out.push(id);
    }
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    out.length = first;
    return false;
  }
  return true;
}

export class PlayerNames {
  /** Per zone: entity handle → the connection playing it. */
  private readonly byZone = new Map<number, Map<number, Named>>();
  /** Where each registered connection is listed. */
  private readonly listed = new WeakMap<Named, { zone: number; handle: number }>();
  private readonly told = new WeakMap<Named, Told>();
  /** A number per connection, for life: a viewer's record of what it was told holds these, not the names. */
  private readonly serials = new WeakMap<Named, number>();
  private nextSerial = 1;
  private readonly found: number[] = [];
  private readonly batch: { entity: number; name: string }[] = [];

  /** The player is now `c.handle` in `c.zone` (a WELCOME or ZONE_CHANGE was sent). */
  entered(c: Named): void {
    this.left(c);
    let zone = this.byZone.get(c.zone);
    if (!zone) this.byZone.set(c.zone, (zone = new Map()));
    zone.set(c.handle, c);
    this.listed.set(c, { zone: c.zone, handle: c.handle });
  }

  /** The player is gone (its connection closed, or it is between zones). */
  left(c: Named): void {
    const at = this.listed.get(c);
    if (!at) return;
    this.listed.delete(c);
    const zone = this.byZone.get(at.zone);
    if (zone?.get(at.handle) === c) zone.delete(at.handle);
  }

  /** The name of player entity `handle` of `zone`, if a connection plays it now. */
  nameOf(zone: number, handle: number): string | undefined {
    return this.playing(zone, handle)?.name;
  }

  private playing(zone: number, handle: number): Named | undefined {
    const c = this.byZone.get(zone)?.get(handle);
    return c && c.zone === zone && c.handle === handle ? c : undefined;
  }

  private serialOf(c: Named): number {
    let s = this.serials.get(c);
    if (s === undefined) {
      s = this.nextSerial;
      // 0 is the table's empty value; after 2^32 - 1 connections, numbers start over (a name may then go untold).
      this.nextSerial = s === 0xffffffff ? 1 : s + 1;
      this.serials.set(c, s);
    }
    return s;
  }

  /**
   * The NAMES messages to send `viewer` before its SNAPSHOT frame
   * `buf[start, end)` of `zone` (null when there are none: most frames).
   */
  namesFor(viewer: Named, zone: number, buf: Uint8Array, start: number, end: number): Uint8Array[] | null {
    let t = this.told.get(viewer);
    if (!t) this.told.set(viewer, (t = { zone, handle: viewer.handle, sent: new HandleTable(), pending: new Map() }));
    else if (t.zone !== zone || t.handle !== viewer.handle) {
      t.zone = zone;
      t.handle = viewer.handle;
      t.sent.clear();
      t.pending.clear();
    }
    const found = this.found;
    found.length = 0;
    playerEnters(buf, start, end, found);
    // A player that entered before the gate knew its name (its cell's JOINED drained after this cell's frame) is tried again.
    if (t.pending.size > 0) {
      for (const [h, left] of t.pending) {
        if (left <= 1) t.pending.delete(h);
        else {
          t.pending.set(h, left - 1);
          found.push(h);
        }
      }
    }
    if (found.length === 0) return null;
    const batch = this.batch;
    batch.length = 0;
    for (const h of found) {
      const c = this.playing(zone, h);
      if (c === undefined) {
        if (!t.pending.has(h) && t.pending.size < Limits.maxViewEntities) t.pending.set(h, PENDING_SNAPSHOTS);
        continue;
      }
      t.pending.delete(h);
      const serial = this.serialOf(c);
      if (t.sent.get(h) === serial) continue;
      if (t.sent.size >= MAX_SENT_NAMES) t.sent.clear();
      t.sent.set(h, serial);
      if (!batch.some((e) => e.entity === h)) batch.push({ entity: h, name: c.name });
    }
    if (batch.length === 0) return null;
    const out: Uint8Array[] = [];
    for (let i = 0; i < batch.length; i += Limits.maxNamesPerMessage) out.push(encodeNames(batch.slice(i, i + Limits.maxNamesPerMessage)));
    return out;
  }
}
