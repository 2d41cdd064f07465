import type { GameMap } from '../content/map-format.ts';
import { CellMsg, GateMsg, JOIN_FAILED, PeerMsg } from '../shared/cell-messages.ts';
import { indexOf } from '../shared/entity-store.ts';
import { EntityKind, StatSlot } from '../shared/layout.ts';
import type { Ring } from '../shared/ring.ts';
import type { ZoneViews } from '../shared/zone-memory.ts';
import { writeJoined, writeMoved, writePlayerReport } from './gate-outbox.ts';
import { GateMessage } from './inbox.ts';
import { nearestWalkable } from './movement.ts';
import type { OwnedSet } from './owned-set.ts';
import { PlayerState } from './player-state.ts';

/** Forwarding entries live this many ticks after a player moves on. */
const FORWARD_TTL_TICKS = 200;
const PLAYER_HP = 100;

/**
 * The players a cell owns and the gate's messages about them: join, leave,
 * input and ack, applied during simulate. Messages for a player that has
 * just been handed to a neighbour are forwarded there, in order.
 */
export class CellPlayers {
  /** Player state by slot; undefined for slots that are not this cell's players. */
  readonly bySlot: (PlayerState | undefined)[];
  private readonly byConn = new Map<number, number>();
  private readonly forwardTo = new Map<number, { cell: number; until: number }>();
  /** Leaves whose LEFT report found the gate ring full; retried next tick. */
  private readonly deferredLeaves: number[] = [];
  private readonly msg = new GateMessage();
  private readonly views: ZoneViews;
  private readonly map: GameMap;
  private readonly cell: number;
  private readonly owned: OwnedSet;
  private readonly gateOut: Ring;
  private readonly peersOut: (Ring | null)[];
  private readonly stats: Float64Array;

  constructor(views: ZoneViews, map: GameMap, cell: number, owned: OwnedSet, gateOut: Ring, peersOut: (Ring | null)[], stats: Float64Array) {
    this.views = views;
    this.map = map;
    this.cell = cell;
    this.owned = owned;
    this.gateOut = gateOut;
    this.peersOut = peersOut;
    this.stats = stats;
    this.bySlot = new Array<PlayerState | undefined>(views.store.capacity).fill(undefined);
  }

  get count(): number {
    return this.byConn.size;
  }

  /** Registers a player this cell now owns (joined, adopted or reattached). */
  add(slot: number, p: PlayerState): void {
    this.bySlot[slot] = p;
    this.byConn.set(p.conn, slot);
    this.forwardTo.delete(p.conn);
  }

  /** Forgets a player handed to `dest`, forwarding its late messages there and telling the gate. */
  handedOff(slot: number, p: PlayerState, dest: number, tick: number): void {
    this.bySlot[slot] = undefined;
    this.byConn.delete(p.conn);
    this.forwardTo.set(p.conn, { cell: dest, until: tick + FORWARD_TTL_TICKS });
    writeMoved(this.gateOut, p.conn, dest);
  }

  /** Drains the gate's ring (and retries leaves that found the outbound ring full). */
  drainGate(ring: Ring, tick: number): void {
    if (this.deferredLeaves.length > 0) {
      for (const conn of this.deferredLeaves.splice(0)) {
        const slot = this.byConn.get(conn);
        if (slot !== undefined) this.leave(this.bySlot[slot]!, slot);
      }
    }
    for (let at = ring.peek(); at >= 0; at = ring.peek()) {
      this.handle(ring, at, ring.messageLength, tick);
      ring.release();
    }
    ring.done();
  }

  /** Applies one gate message (straight from the gate, or forwarded by a neighbour). */
  handle(ring: Ring, at: number, len: number, tick: number): void {
    const m = this.msg;
    if (!m.read(ring.view, at, len)) {
      this.stats[StatSlot.inputsRejected]++;
      return;
    }
    if (m.op === GateMsg.JOIN) return this.join(m);
    const slot = this.byConn.get(m.conn);
    if (slot === undefined) {
      const fwd = this.forwardTo.get(m.conn);
      if (fwd) this.forward(fwd.cell, ring, at, len);
      return;
    }
    const p = this.bySlot[slot]!;
    if (m.op === GateMsg.LEAVE) {
      this.leave(p, slot);
      return;
    }
    // Only ticks already sent can be acknowledged: this simulate belongs to a
    // tick whose snapshot does not exist yet.
    if (m.ackTick > p.ackTick && m.ackTick < tick) p.ackTick = m.ackTick;
    if (m.op === GateMsg.INPUT) {
      if (m.seq > p.lastInputSeq) p.lastInputSeq = m.seq;
      p.move = m.move;
      p.moveA = m.a;
      p.moveB = m.b;
      this.stats[StatSlot.inputsApplied]++;
    }
  }

  /** Writes a LEFT or STATE report of a player's position and hp. */
  report(op: typeof CellMsg.LEFT | typeof CellMsg.STATE, p: PlayerState, slot: number): boolean {
    return writePlayerReport(this.gateOut, op, p.conn, this.views.store, slot);
  }

  /** Drops forwarding entries past their time. */
  expire(tick: number): void {
    for (const [conn, fwd] of this.forwardTo) if (fwd.until < tick) this.forwardTo.delete(conn);
  }

  private forward(cell: number, from: Ring, at: number, len: number): void {
    const out = this.peersOut[cell];
    if (!out) return;
    const dst = out.reserve(len + 1);
    if (dst < 0) return;
    out.bytes[dst] = PeerMsg.FORWARD;
    out.bytes.set(from.bytes.subarray(at, at + len), dst + 1);
    out.commit(len + 1);
    out.flush();
    this.stats[StatSlot.inputsForwarded]++;
  }

  private join(m: GateMessage): void {
    const { store } = this.views;
    const handle = store.allocate();
    if (handle < 0) {
      writeJoined(this.gateOut, m.conn, JOIN_FAILED);
      return;
    }
    const slot = indexOf(handle);
    const f = store.f;
    const [x, y] = nearestWalkable(this.map, m.x, m.y);
    f.kind[slot] = EntityKind.PLAYER;
    f.template[slot] = m.template;
    f.x[slot] = x;
    f.y[slot] = y;
    f.vx[slot] = 0;
    f.vy[slot] = 0;
    f.maxHp[slot] = PLAYER_HP;
    f.hp[slot] = m.hp > 0 ? Math.min(m.hp, PLAYER_HP) : PLAYER_HP;
    f.level[slot] = 1;
    f.flags[slot] = 0;
    Atomics.store(f.owner, slot, this.cell);
    store.publish(handle);
    this.owned.add(slot);
    this.add(slot, new PlayerState(m.conn, m.characterId, handle));
    writeJoined(this.gateOut, m.conn, handle);
  }

  /** Removes a player and reports its final state; retried next tick when the gate ring is full. */
  private leave(p: PlayerState, slot: number): void {
    if (!this.report(CellMsg.LEFT, p, slot)) {
      this.deferredLeaves.push(p.conn);
      return;
    }
    this.bySlot[slot] = undefined;
    this.byConn.delete(p.conn);
    this.owned.remove(slot);
    this.views.store.free(p.handle);
  }
}
