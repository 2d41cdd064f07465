import { decodeMap, type GameMap } from '../content/map-format.ts';
import { MoveKind } from '../protocol/opcodes.ts';
import { CellMsg, PeerMsg, PrivateKind } from '../shared/cell-messages.ts';
import { indexOf } from '../shared/entity-store.ts';
import { CellControl, ENTITY_KIND_COUNT, EntityKind, SlotState, StatSlot, TICK_BUCKETS_SECONDS, ZoneControl } from '../shared/layout.ts';
import type { Ring } from '../shared/ring.ts';
import { observe } from '../shared/stats.ts';
import { ZoneViews, type ZoneMemoryInit } from '../shared/zone-memory.ts';
import { CellPlayers } from './cell-players.ts';
import { MOVED_BYTES } from './gate-outbox.ts';
import { readPlayerHandoff, writePlayerHandoff } from './handoff.ts';
import { MoveArg, Mover } from './movement.ts';
import { OwnedSet } from './owned-set.ts';
import { PlayerState } from './player-state.ts';
import { Replicator } from './replication.ts';
import { nowMs, ZoneSchedule } from './tick-loop.ts';
import { verifyOwnership } from './verify-ownership.ts';
import { Wanderers } from './wanderers.ts';

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
  /** Absolute time (ms) of the zone's tick schedule, the same for all its cells. */
  tickOrigin?: number;
}

/** A connected player whose entity survives a cell restart in the store. */
export interface ReattachedPlayer {
  conn: number;
  handle: number;
  characterId: number;
}

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
  /** Ticks this runtime ran (not the zone's tick number, which survives restarts). */
  private ticksRun = 0;
  readonly schedule: ZoneSchedule;
  private readonly opts: CellOptions;
  private readonly stats: Float64Array;
  private readonly owned: OwnedSet;
  private readonly tileOfSlot: Int32Array;
  private readonly players: CellPlayers;
  private readonly wanderers: Wanderers;
  private readonly mover: Mover;
  private readonly gateIn: Ring;
  private readonly gateOut: Ring;
  private readonly peersIn: Ring[] = [];
  private readonly peersOut: (Ring | null)[] = [];
  private readonly replicator: Replicator;
  private readonly rect: [number, number, number, number];
  private readonly step: number;
  private readonly tickHz: number;
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
    this.wanderers = new Wanderers(cap, (opts.seed ?? 1) * 7919 + opts.cell);
    this.gateIn = this.views.gateToCell(opts.cell);
    this.gateOut = this.views.cellToGate(opts.cell);
    for (let c = 0; c < this.views.geometry.cellCount; c++) {
      const inbound = this.views.cellToCell(c, opts.cell);
      if (inbound) this.peersIn.push(inbound);
      this.peersOut.push(this.views.cellToCell(opts.cell, c));
    }
    this.replicator = new Replicator(this.views, this.gateOut, this.stats);
    this.mover = new Mover(this.views.store, this.map);
    this.players = new CellPlayers(this.views, this.map, this.cell, this.owned, this.gateOut, this.peersOut, this.stats);
    this.rect = this.views.geometry.cellRect(opts.cell);
    this.step = 1 / opts.zone.spec.tickHz;
    this.tickHz = opts.zone.spec.tickHz;
    this.schedule = new ZoneSchedule(opts.tickOrigin ?? nowMs(), this.tickHz, this.views.control, ZoneControl.skippedTicks);
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
      const share = Math.floor(total / cells) + (opts.cell < total % cells ? 1 : 0);
      this.wanderers.spawn(this.views.store, this.map, this.cell, this.rect, share, (slot) => this.owned.add(slot));
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
    this.ticksRun++;
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
    this.players.drainGate(this.gateIn, this.tick);
    this.moveAll();
    this.rebuildGrid();
    if (this.tick % 100 === 0) this.players.expire(this.tick);
  }

  private drainPeer(ring: Ring): void {
    const v = ring.view;
    for (let at = ring.peek(); at >= 0; at = ring.peek()) {
      const len = ring.messageLength;
      const op = v.getUint8(at);
      if (op === PeerMsg.HANDOFF) this.adopt(v, at);
      else if (op === PeerMsg.FORWARD) this.players.handle(ring, at + 1, len - 1, this.tick);
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
      this.players.add(slot, readPlayerHandoff(v, at + 6, handle));
    } else if (kind === PrivateKind.WANDERER) {
      this.wanderers.adopt(v, at + 6, slot);
    }
  }

  private moveAll(): void {
    const f = this.views.store.f;
    const list = this.owned.list;
    const mover = this.mover;
    const args = mover.args;
    const playerStep = (this.opts.playerSpeed ?? 6) * this.step;
    const wanderStep = (this.opts.wanderSpeed ?? 2) * this.step;
    for (let i = 0; i < this.owned.count; i++) {
      const slot = list[i];
      const p = this.players.bySlot[slot];
      if (p) {
        args[MoveArg.STEP] = playerStep;
        args[MoveArg.X] = p.move === MoveKind.STOP ? 0 : p.moveA;
        args[MoveArg.Y] = p.move === MoveKind.STOP ? 0 : p.moveB;
        if (p.move === MoveKind.DESTINATION) {
          if (mover.toward(slot)) p.move = MoveKind.STOP;
        } else mover.along(slot);
      } else if (f.kind[slot] === EntityKind.NPC) {
        args[MoveArg.STEP] = wanderStep;
        this.wanderers.step(mover, slot);
      }
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
        this.players.add(slot, new PlayerState(p.conn, p.characterId, handle));
      } else if (f.kind[slot] === EntityKind.NPC) {
        this.wanderers.pick(slot);
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
    Atomics.store(this.views.control, this.ctl(CellControl.players), this.players.count);
    Atomics.store(this.views.control, this.ctl(CellControl.entities), this.owned.count);
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
    this.schedule.catchUp(this.tick, nowMs(), this.ticksRun === 1);
    if (Atomics.load(this.views.control, ZoneControl.stop) !== 0) {
      Atomics.store(this.views.control, ZoneControl.stopAgreed, 1);
    }
  }

  // ---- replicate -----------------------------------------------------------

  private replicate(): void {
    const list = this.owned.list;
    for (let i = 0; i < this.owned.count; i++) {
      const slot = list[i];
      const p = this.players.bySlot[slot];
      if (!p) continue;
      this.replicator.replicate(p, slot, this.tick);
      // About once a second per player, staggered, for saves and checkpoints.
      if ((this.tick + p.conn) % this.tickHz === 0) this.players.report(CellMsg.STATE, p, slot);
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
      const p = this.players.bySlot[slot];
      const handle = store.handleAt(slot);
      if (p) {
        // The gate must learn of the move, so make sure its ring has room
        // before the entity leaves (nothing else writes it in between).
        if (this.gateOut.reserve(MOVED_BYTES) < 0) {
          this.stats[StatSlot.handoffRetries]++;
          continue;
        }
        this.gateOut.cancel();
        if (!writePlayerHandoff(ring, p)) {
          this.stats[StatSlot.handoffRetries]++;
          continue;
        }
      } else {
        if (!this.wanderers.handOff(ring, handle, slot)) {
          this.stats[StatSlot.handoffRetries]++;
          continue;
        }
      }
      Atomics.store(f.owner, slot, dest);
      this.owned.remove(slot);
      this.stats[StatSlot.handoffsOut]++;
      if (p) {
        this.players.handedOff(slot, p, dest, this.tick);
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
