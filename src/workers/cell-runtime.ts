import { decodeMap, isBlocked, type GameMap } from '../content/map-format.ts';
import { mulberry32 } from '../content/map-generate.ts';
import { MoveKind } from '../protocol/opcodes.ts';
import { CellMsg, GateMsg, JOIN_FAILED, PeerMsg, PrivateKind, STATE_MSG_BYTES } from '../shared/cell-messages.ts';
import { indexOf } from '../shared/entity-store.ts';
import { CellControl, ENTITY_KIND_COUNT, EntityKind, SlotState, StatSlot, TICK_BUCKETS_SECONDS, ZoneControl } from '../shared/layout.ts';
import type { Ring } from '../shared/ring.ts';
import { observe } from '../shared/stats.ts';
import { ZoneViews, type ZoneMemoryInit } from '../shared/zone-memory.ts';
import { readPlayerHandoff, readWandererHandoff, writePlayerHandoff, writeWandererHandoff, type WandererState } from './handoff.ts';
import { GateMessage } from './inbox.ts';
import { moveEntity, moveToward, nearestWalkable } from './movement.ts';
import { OwnedSet } from './owned-set.ts';
import { PlayerState } from './player-state.ts';
import { Replicator } from './replication.ts';
import { verifyOwnership } from './verify-ownership.ts';

/** How a cell is started (workerData). */
export interface CellOptions {
  zone: ZoneMemoryInit;
  cell: number;
  /** Check the one-owner invariant at every tick (tests, stress runs). */
  verifyOwnership?: boolean;
  /** Wandering NPCs of the whole zone; each cell spawns its share in its rectangle. */
  wanderers?: number;
  wanderSpeed?: number;
  playerSpeed?: number;
  seed?: number;
  /**
   * Restart after a failure: adopt what the store says this cell owns
   * instead of spawning. Players are matched to their connections by handle;
   * a player entity with no connection is freed.
   */
  recover?: { players: ReattachedPlayer[] };
}

/** A connected player whose entity survives a cell restart in the store. */
export interface ReattachedPlayer {
  conn: number;
  handle: number;
  characterId: number;
}

/** Forwarding entries live this many ticks after a player moves on. */
const FORWARD_TTL_TICKS = 200;
const PLAYER_HP = 100;

/** Wraps an exception from a tick phase with the phase's name. */
export class TickPhaseError extends Error {
  constructor(phase: string, cell: number, tick: number, cause: unknown) {
    super(`cell ${cell} failed in ${phase} at tick ${tick}`, { cause });
    this.name = 'TickPhaseError';
  }
}

/**
 * One zone cell: owns the entities in its rectangle and runs the two-phase
 * tick (simulate → barrier → replicate → handoffs → barrier).
 */
export class CellRuntime {
  readonly cell: number;
  readonly views: ZoneViews;
  readonly map: GameMap;
  tick = 0;
  private readonly opts: CellOptions;
  private readonly stats: Float64Array;
  private readonly owned: OwnedSet;
  private readonly tileOfSlot: Int32Array;
  private readonly players: (PlayerState | undefined)[];
  private readonly playerByConn = new Map<number, number>();
  private readonly forwardTo = new Map<number, { cell: number; until: number }>();
  /** Leaves whose LEFT report found the gate ring full; retried next tick. */
  private readonly deferredLeaves: number[] = [];
  private readonly wanderDirX: Float32Array;
  private readonly wanderDirY: Float32Array;
  private readonly wanderTicks: Int32Array;
  private readonly wanderScratch: WandererState = { dirX: 0, dirY: 0, ticksLeft: 0 };
  private readonly gateIn: Ring;
  private readonly gateOut: Ring;
  private readonly peersIn: Ring[] = [];
  private readonly peersOut: (Ring | null)[] = [];
  private readonly msg = new GateMessage();
  private readonly replicator: Replicator;
  private readonly rect: [number, number, number, number];
  private readonly step: number;
  private readonly tickHz: number;
  private readonly rnd: () => number;
  private readonly verifyScratch: Int32Array | null;
  private readonly onLastArrival: () => void;
  // Phases bound once: the tick allocates no closures.
  private readonly simulateFn = () => this.simulate();
  private readonly replicateFn = () => this.replicate();
  private readonly handoffFn = () => this.handoffOut();
  private readonly onTickEnd: () => void;

  constructor(opts: CellOptions) {
    this.opts = opts;
    this.cell = opts.cell;
    this.views = new ZoneViews(opts.zone);
    this.map = decodeMap(new Uint8Array(opts.zone.map));
    const cap = opts.zone.spec.capacity;
    this.stats = this.views.stats(opts.cell);
    this.owned = new OwnedSet(cap);
    this.tileOfSlot = new Int32Array(cap);
    this.players = new Array(cap).fill(undefined);
    this.wanderDirX = new Float32Array(cap);
    this.wanderDirY = new Float32Array(cap);
    this.wanderTicks = new Int32Array(cap);
    this.gateIn = this.views.gateToCell(opts.cell);
    this.gateOut = this.views.cellToGate(opts.cell);
    for (let c = 0; c < this.views.geometry.cellCount; c++) {
      const inbound = this.views.cellToCell(c, opts.cell);
      if (inbound) this.peersIn.push(inbound);
      this.peersOut.push(this.views.cellToCell(opts.cell, c));
    }
    this.replicator = new Replicator(this.views, this.gateOut, this.stats);
    this.rect = this.views.geometry.cellRect(opts.cell);
    this.step = 1 / opts.zone.spec.tickHz;
    this.tickHz = opts.zone.spec.tickHz;
    this.rnd = mulberry32((opts.seed ?? 1) * 7919 + opts.cell);
    this.verifyScratch = opts.verifyOwnership ? new Int32Array(cap) : null;
    this.onLastArrival = () => this.afterSimulateAll();
    this.onTickEnd = () => this.afterTickAll();
    if (opts.recover) {
      // Continue the zone's tick numbering (clients' baselines and acks refer
      // to it), one past the tick that was in flight when the zone went down.
      this.tick = Atomics.load(this.views.control, ZoneControl.zoneTick) + 1;
      this.adoptFromStore(opts.recover.players);
    } else {
      const total = opts.wanderers ?? 0;
      const cells = this.views.geometry.cellCount;
      this.spawnWanderers(Math.floor(total / cells) + (opts.cell < total % cells ? 1 : 0));
    }
    this.rebuildGrid();
  }

  private ctl(field: number): number {
    return this.views.cellWord(this.cell, field);
  }

  /** Runs one whole tick; returns false once the zone agreed to stop. */
  runTick(): boolean {
    const t0 = performance.now();
    this.tick++;
    this.phase('simulate', this.simulateFn);
    const t1 = performance.now();
    this.views.barrier.arriveAndWait(100, this.onLastArrival);
    const t2 = performance.now();
    this.phase('replicate', this.replicateFn);
    this.phase('handoff', this.handoffFn);
    const t3 = performance.now();
    this.views.barrier.arriveAndWait(100, this.onTickEnd);
    const s = this.stats;
    s[StatSlot.ticks]++;
    observe(s, StatSlot.histSimulate, TICK_BUCKETS_SECONDS, (t1 - t0) / 1000);
    observe(s, StatSlot.histReplicate, TICK_BUCKETS_SECONDS, (t3 - t2) / 1000);
    observe(s, StatSlot.histTick, TICK_BUCKETS_SECONDS, (t1 - t0 + t3 - t2) / 1000);
    Atomics.store(this.views.control, this.ctl(CellControl.tick), this.tick);
    return Atomics.load(this.views.control, ZoneControl.stopAgreed) === 0;
  }

  private phase(name: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      throw new TickPhaseError(name, this.cell, this.tick, err);
    }
  }

  // ---- simulate ------------------------------------------------------------

  private simulate(): void {
    for (const ring of this.peersIn) this.drainPeer(ring);
    this.drainGate();
    this.moveAll();
    this.rebuildGrid();
    if (this.tick % 100 === 0) this.expireForwards();
  }

  private drainPeer(ring: Ring): void {
    const v = ring.view;
    for (let at = ring.peek(); at >= 0; at = ring.peek()) {
      const len = ring.messageLength;
      const op = v.getUint8(at);
      if (op === PeerMsg.HANDOFF) this.adopt(v, at);
      else if (op === PeerMsg.FORWARD) this.handleGate(ring, at + 1, len - 1);
      ring.release();
    }
    ring.done();
  }

  private adopt(v: DataView, at: number): void {
    const handle = v.getUint32(at + 1, true);
    const slot = indexOf(handle);
    this.owned.add(slot);
    this.stats[StatSlot.handoffsIn]++;
    const kind = v.getUint8(at + 5);
    if (kind === PrivateKind.PLAYER) {
      const p = readPlayerHandoff(v, at + 6, handle);
      this.players[slot] = p;
      this.playerByConn.set(p.conn, slot);
      this.forwardTo.delete(p.conn);
    } else if (kind === PrivateKind.WANDERER) {
      readWandererHandoff(v, at + 6, this.wanderScratch);
      this.wanderDirX[slot] = this.wanderScratch.dirX;
      this.wanderDirY[slot] = this.wanderScratch.dirY;
      this.wanderTicks[slot] = this.wanderScratch.ticksLeft;
    }
  }

  private drainGate(): void {
    if (this.deferredLeaves.length > 0) {
      const retry = this.deferredLeaves.splice(0);
      for (const conn of retry) {
        const slot = this.playerByConn.get(conn);
        if (slot !== undefined) this.leave(this.players[slot]!, slot);
      }
    }
    const ring = this.gateIn;
    for (let at = ring.peek(); at >= 0; at = ring.peek()) {
      this.handleGate(ring, at, ring.messageLength);
      ring.release();
    }
    ring.done();
  }

  private handleGate(ring: Ring, at: number, len: number): void {
    const m = this.msg;
    if (!m.read(ring.view, at, len)) {
      this.stats[StatSlot.inputsRejected]++;
      return;
    }
    if (m.op === GateMsg.JOIN) return this.join(m);
    const slot = this.playerByConn.get(m.conn);
    if (slot === undefined) {
      const fwd = this.forwardTo.get(m.conn);
      if (fwd) this.forward(fwd.cell, ring, at, len);
      return;
    }
    const p = this.players[slot]!;
    if (m.op === GateMsg.LEAVE) {
      this.leave(p, slot);
      return;
    }
    // Only ticks already sent can be acknowledged: this simulate belongs to a
    // tick whose snapshot does not exist yet.
    if (m.ackTick > p.ackTick && m.ackTick < this.tick) p.ackTick = m.ackTick;
    if (m.op === GateMsg.INPUT) {
      if (m.seq > p.lastInputSeq) p.lastInputSeq = m.seq;
      p.move = m.move;
      p.moveA = m.a;
      p.moveB = m.b;
      this.stats[StatSlot.inputsApplied]++;
    }
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
    const handle = this.views.store.allocate();
    if (handle < 0) {
      this.sendToGate(CellMsg.JOINED, m.conn, JOIN_FAILED);
      return;
    }
    const slot = indexOf(handle);
    const f = this.views.store.f;
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
    this.views.store.publish(handle);
    this.owned.add(slot);
    const p = new PlayerState(m.conn, m.characterId, handle);
    this.players[slot] = p;
    this.playerByConn.set(m.conn, slot);
    this.sendToGate(CellMsg.JOINED, m.conn, handle);
  }

  /** Removes a player and reports its final state; false when the gate ring is full (retried). */
  private leave(p: PlayerState, slot: number): boolean {
    if (!this.reportPlayer(CellMsg.LEFT, p, slot)) {
      this.deferredLeaves.push(p.conn);
      return false;
    }
    this.players[slot] = undefined;
    this.playerByConn.delete(p.conn);
    this.owned.remove(slot);
    this.views.store.free(p.handle);
    return true;
  }

  /** Writes a LEFT or STATE report (position and hp) for the gate. */
  private reportPlayer(op: number, p: PlayerState, slot: number): boolean {
    const f = this.views.store.f;
    const at = this.gateOut.reserve(STATE_MSG_BYTES);
    if (at < 0) return false;
    const v = this.gateOut.view;
    v.setUint8(at, op);
    v.setUint32(at + 1, p.conn, true);
    v.setFloat32(at + 5, f.x[slot], true);
    v.setFloat32(at + 9, f.y[slot], true);
    v.setUint16(at + 13, Math.max(0, Math.min(f.hp[slot], 0xffff)), true);
    this.gateOut.commit(STATE_MSG_BYTES);
    return true;
  }

  private sendToGate(op: number, conn: number, value: number): void {
    const at = this.gateOut.reserve(9);
    if (at < 0) return;
    const v = this.gateOut.view;
    v.setUint8(at, op);
    v.setUint32(at + 1, conn, true);
    v.setUint32(at + 5, value, true);
    this.gateOut.commit(9);
  }

  private moveAll(): void {
    const { store } = this.views;
    const f = store.f;
    const list = this.owned.list;
    const playerStep = (this.opts.playerSpeed ?? 6) * this.step;
    const wanderStep = (this.opts.wanderSpeed ?? 2) * this.step;
    for (let i = 0; i < this.owned.count; i++) {
      const slot = list[i];
      const p = this.players[slot];
      if (p) {
        if (p.move === MoveKind.DIRECTION) moveEntity(store, slot, this.map, p.moveA, p.moveB, playerStep);
        else if (p.move === MoveKind.DESTINATION) {
          if (moveToward(store, slot, this.map, p.moveA, p.moveB, playerStep)) p.move = MoveKind.STOP;
        } else moveEntity(store, slot, this.map, 0, 0, playerStep);
      } else if (f.kind[slot] === EntityKind.NPC) {
        if (--this.wanderTicks[slot] <= 0) this.pickWanderDirection(slot);
        if (!moveEntity(store, slot, this.map, this.wanderDirX[slot], this.wanderDirY[slot], wanderStep)) this.wanderTicks[slot] = 0;
      }
    }
  }

  private pickWanderDirection(slot: number): void {
    const angle = this.rnd() * Math.PI * 2;
    this.wanderDirX[slot] = Math.cos(angle);
    this.wanderDirY[slot] = Math.sin(angle);
    this.wanderTicks[slot] = 20 + Math.floor(this.rnd() * 80);
  }

  private spawnWanderers(count: number): void {
    const f = this.views.store.f;
    const [x0, y0, x1, y1] = this.rect;
    for (let i = 0; i < count; i++) {
      const handle = this.views.store.allocate();
      if (handle < 0) throw new Error(`zone full: cannot spawn wanderer ${i} of ${count}`);
      const slot = indexOf(handle);
      let x = 0;
      let y = 0;
      for (let attempt = 0; ; attempt++) {
        x = x0 + 0.5 + this.rnd() * (x1 - x0 - 1);
        y = y0 + 0.5 + this.rnd() * (y1 - y0 - 1);
        if (!isBlocked(this.map, Math.floor(x), Math.floor(y))) break;
        if (attempt > 1000) throw new Error(`no walkable tile found in cell ${this.cell}`);
      }
      f.kind[slot] = EntityKind.NPC;
      f.template[slot] = 1;
      f.x[slot] = x;
      f.y[slot] = y;
      f.hp[slot] = f.maxHp[slot] = 50;
      f.level[slot] = 1;
      f.flags[slot] = 0;
      Atomics.store(f.owner, slot, this.cell);
      this.views.store.publish(handle);
      this.owned.add(slot);
      this.pickWanderDirection(slot);
    }
  }

  /**
   * Rebuilds ownership after a restart from the shared store, which outlives
   * the worker: every live slot whose owner is this cell. Private state is
   * what a restart loses: AI memory is re-rolled, a player's intent is
   * cleared and its baselines are gone (its next snapshot is full).
   */
  private adoptFromStore(players: ReattachedPlayer[]): void {
    const { store } = this.views;
    const f = store.f;
    const byHandle = new Map(players.map((p) => [p.handle, p]));
    for (let slot = 0; slot < store.capacity; slot++) {
      const state = Atomics.load(f.state, slot);
      if (state === SlotState.RESERVED) {
        // Died half-made; its owner word may be stale, so cell 0 alone frees these.
        if (this.cell === 0) store.free(store.handleAt(slot));
        continue;
      }
      if (state === SlotState.FREE || Atomics.load(f.owner, slot) !== this.cell) continue;
      const handle = store.handleAt(slot);
      if (f.kind[slot] === EntityKind.PLAYER) {
        const p = byHandle.get(handle);
        if (!p) {
          store.free(handle); // its connection is gone
          continue;
        }
        this.players[slot] = new PlayerState(p.conn, p.characterId, handle);
        this.playerByConn.set(p.conn, slot);
      } else if (f.kind[slot] === EntityKind.NPC) {
        this.pickWanderDirection(slot);
      }
      this.owned.add(slot);
    }
  }

  /** Lists every owned entity under the tile of its position, and counts them by kind. */
  private rebuildGrid(): void {
    const { geometry: g, grid, store } = this.views;
    const list = this.owned.list;
    const byKind = StatSlot.entitiesByKind;
    for (let k = 0; k < ENTITY_KIND_COUNT; k++) this.stats[byKind + k] = 0;
    for (let i = 0; i < this.owned.count; i++) {
      const slot = list[i];
      this.tileOfSlot[slot] = g.tileOf(store.f.x[slot], store.f.y[slot]);
      this.stats[byKind + store.f.kind[slot]]++;
    }
    grid.rebuild(this.cell, list, this.owned.count, this.tileOfSlot);
    Atomics.store(this.views.control, this.ctl(CellControl.players), this.playerByConn.size);
    Atomics.store(this.views.control, this.ctl(CellControl.entities), this.owned.count);
  }

  private expireForwards(): void {
    for (const [conn, fwd] of this.forwardTo) if (fwd.until < this.tick) this.forwardTo.delete(conn);
  }

  // ---- once per round, every cell parked at the barrier ------------------

  private afterSimulateAll(): void {
    if (!this.verifyScratch) return;
    const bad = verifyOwnership(this.views, this.verifyScratch);
    Atomics.add(this.views.control, ZoneControl.verifiedTicks, 1);
    if (bad > 0) Atomics.add(this.views.control, ZoneControl.ownershipViolations, bad);
  }

  private afterTickAll(): void {
    Atomics.add(this.views.control, ZoneControl.zoneTick, 1);
    if (Atomics.load(this.views.control, ZoneControl.stop) !== 0) {
      Atomics.store(this.views.control, ZoneControl.stopAgreed, 1);
    }
  }

  // ---- replicate -----------------------------------------------------------

  private replicate(): void {
    const list = this.owned.list;
    for (let i = 0; i < this.owned.count; i++) {
      const slot = list[i];
      const p = this.players[slot];
      if (!p) continue;
      this.replicator.replicate(p, slot, this.tick);
      // About once a second per player, staggered, for saves and checkpoints.
      if ((this.tick + p.conn) % this.tickHz === 0) this.reportPlayer(CellMsg.STATE, p, slot);
    }
    this.gateOut.flush();
    this.gateOut.notify();
  }

  /**
   * Hands every owned entity now outside the rectangle to the neighbour that
   * owns its position. Runs after replicate, so this tick's frames were
   * built from the old owner's lists; the new owner adopts it at the start
   * of the next simulate, after the end-of-tick barrier.
   */
  private handoffOut(): void {
    const { geometry: g, store } = this.views;
    const f = store.f;
    const list = this.owned.list;
    let moved = false;
    for (let i = this.owned.count - 1; i >= 0; i--) {
      const slot = list[i];
      const dest = g.cellOf(f.x[slot], f.y[slot]);
      if (dest === this.cell) continue;
      const ring = this.peersOut[dest];
      if (!ring) throw new Error(`entity ${slot} jumped from cell ${this.cell} to non-neighbour ${dest}`);
      const p = this.players[slot];
      const handle = store.handleAt(slot);
      if (p) {
        // The gate must learn of the move, so make sure its ring has room
        // before the entity leaves (nothing else writes it in between).
        if (this.gateOut.reserve(6) < 0) {
          this.stats[StatSlot.handoffRetries]++;
          continue;
        }
        this.gateOut.cancel();
        if (!writePlayerHandoff(ring, p)) {
          this.stats[StatSlot.handoffRetries]++;
          continue;
        }
      } else {
        this.wanderScratch.dirX = this.wanderDirX[slot];
        this.wanderScratch.dirY = this.wanderDirY[slot];
        this.wanderScratch.ticksLeft = this.wanderTicks[slot];
        if (!writeWandererHandoff(ring, handle, this.wanderScratch)) {
          this.stats[StatSlot.handoffRetries]++;
          continue;
        }
      }
      Atomics.store(f.owner, slot, dest);
      this.owned.remove(slot);
      this.stats[StatSlot.handoffsOut]++;
      if (p) {
        this.players[slot] = undefined;
        this.playerByConn.delete(p.conn);
        this.forwardTo.set(p.conn, { cell: dest, until: this.tick + FORWARD_TTL_TICKS });
        const at = this.gateOut.reserve(6);
        if (at >= 0) {
          this.gateOut.view.setUint8(at, CellMsg.MOVED);
          this.gateOut.view.setUint32(at + 1, p.conn, true);
          this.gateOut.view.setUint8(at + 5, dest);
          this.gateOut.commit(6);
        }
      }
      moved = true;
    }
    if (moved) {
      for (const ring of this.peersOut) ring?.flush();
      this.gateOut.flush();
      this.gateOut.notify();
    }
  }
}
