import type { GameMap } from '../content/map-format.ts';
import { classTableOf, type ClassTable } from '../content/class-table.ts';
import { npcTableOf, type NpcTable } from '../content/npc-table.ts';
import { decodeCombatTables } from '../content/pack/combat-pack.ts';
import { decodeNpcTable } from '../content/pack/npc-pack.ts';
import { skillTableOf, type SkillTable } from '../content/skill-table.ts';
import { decodeZonePack } from '../content/pack/zone-pack.ts';
import { gameMapOf, type ZoneMap } from '../content/zone-map.ts';
import type { CellOptions } from '../shared/cell-contract.ts';
import type { EntityStore } from '../shared/entity-store.ts';
import { MAX_SYSTEMS, SlotState, StatSlot, systemHistogram, TICK_BUCKETS_SECONDS, ZoneControl, CellControl } from '../shared/layout.ts';
import { ReliableRing } from '../shared/reliable-ring.ts';
import type { Ring } from '../shared/ring.ts';
import { observeInterval } from '../shared/stats.ts';
import { ZoneViews } from '../shared/zone-memory.ts';
import { CellPlayers } from './cell-players.ts';
import { EventChannel } from './event-channel.ts';
import { HandoffCodec } from './handoff.ts';
import { Intents } from './intents.ts';
import { Lifecycle } from './lifecycle.ts';
import { OwnedSet } from './owned-set.ts';
import { PrivateParts } from './private-state.ts';
import { catalogueJsonIn, LootTables } from '../content/loot-table.ts';
import { ItemStatsTable } from '../content/item-stats.ts';
import { defaultSystems } from './systems/index.ts';
import { publish } from './systems/publish-grid.ts';
import { PHASES, SIMULATE_PHASES, SystemError, type CellContext, type System, type SystemFactory } from './system.ts';
import { nowMs, ZoneSchedule } from './tick-loop.ts';
import { verifyOwnership } from './verify-ownership.ts';
import { Wanderers } from './wanderers.ts';
import { baselinesPerClient, maxFrameInterval, sendInterval } from '../shared/send-rate.ts';
import { EntityRows } from './entity-rows.ts';

export type { CellOptions, ReattachedPlayer } from '../shared/cell-contract.ts';

/** Movement speeds (units per second) when the options leave them out; the browser client predicts with PLAYER_SPEED (web/client/src/net/movement.ts). */
export const PLAYER_SPEED = 6;
const WANDER_SPEED = 2;
/** Words of CellRuntime.clock. */
const Clock = { last: 0, now: 1, simulateStart: 2, simulateEnd: 3, replicateStart: 4, replicateEnd: 5, scratch: 6, words: 7 } as const;

/** Forwarding entries of players that left the zone are swept this often. */
const SWEEP_EVERY_TICKS = 100;

/**
 * One zone cell: owns the entities in its rectangle and runs its systems in
 * the two-phase tick (input → simulate → spawn → publish → barrier →
 * replicate → handoff → barrier). The runtime knows no game rule: those are
 * systems (systems/index.ts) and private-state parts (private-state.ts).
 */
export class CellRuntime implements CellContext {
  readonly cell: number;
  readonly views: ZoneViews;
  readonly store: EntityStore;
  readonly restarted: boolean;
  readonly zoneMap: ZoneMap;
  readonly npcs: NpcTable;
  readonly classes: ClassTable;
  readonly skills: SkillTable;
  readonly map: GameMap;
  readonly rect: readonly [number, number, number, number];
  readonly dt: number;
  readonly tickHz: number;
  readonly owned: OwnedSet;
  readonly stats: Float64Array;
  readonly players: CellPlayers;
  readonly intents: Intents;
  readonly parts = new PrivateParts();
  readonly lifecycle: Lifecycle;
  readonly events: EventChannel;
  readonly gateIn: Ring;
  readonly peersIn: Ring[] = [];
  readonly gateOut: ReliableRing;
  readonly peersOut: (ReliableRing | null)[] = [];
  readonly playerSpeed: number;
  readonly wanderSpeed: number;
  tick = 0;
  /** Systems in tick order; `split` is the first of the replicate half. */
  readonly systems: System[];
  private readonly split: number;
  private readonly every: Int32Array;
  /** Ticks this runtime ran (not the zone's tick number, which survives restarts). */
  private ticksRun = 0;
  readonly schedule: ZoneSchedule;
  private readonly verifyScratch: Int32Array | null;
  private readonly onLastArrival: () => void;
  private readonly onTickEnd: () => void;
  /** Clock stamps of this tick (ms, see Clock): in a typed array so no double is boxed. */
  private readonly clock = new Float64Array(Clock.words);

  /**
   * Builds the cell. `extra` systems (tests, plug-in modules) join the list
   * in their phase, after the built-in ones of that phase.
   */
  constructor(opts: CellOptions, extra: SystemFactory[] = []) {
    this.cell = opts.cell;
    this.views = new ZoneViews(opts.zone);
    this.store = this.views.store;
    // Read-only views into the shared packs, validated once per cell start.
    this.restarted = opts.recover !== undefined;
    this.zoneMap = decodeZonePack(new Uint8Array(opts.zone.map), `zone ${opts.zone.spec.name} pack`);
    this.npcs = opts.content ? decodeNpcTable(new Uint8Array(opts.content), 'content pack') : npcTableOf([]);
    const combat = opts.content ? decodeCombatTables(new Uint8Array(opts.content), 'content pack') : { classes: classTableOf([], []), skills: skillTableOf([]) };
    this.classes = combat.classes;
    this.skills = combat.skills;
    this.map = gameMapOf(this.zoneMap);
    const cap = opts.zone.spec.capacity;
    this.stats = this.views.stats(opts.cell);
    this.owned = new OwnedSet(cap);
    this.rect = this.views.geometry.cellRect(opts.cell) as [number, number, number, number];
    this.tickHz = opts.zone.spec.tickHz;
    this.dt = 1 / this.tickHz;
    this.playerSpeed = opts.playerSpeed ?? PLAYER_SPEED;
    this.wanderSpeed = opts.wanderSpeed ?? WANDER_SPEED;
    this.gateIn = this.views.gateToCell(opts.cell);
    this.gateOut = new ReliableRing(this.views.cellToGate(opts.cell));
    for (let c = 0; c < this.views.geometry.cellCount; c++) {
      const inbound = this.views.cellToCell(c, opts.cell);
      if (inbound) this.peersIn.push(inbound);
      const out = this.views.cellToCell(opts.cell, c);
      this.peersOut.push(out ? new ReliableRing(out) : null);
    }
    this.intents = new Intents(cap);
    this.lifecycle = new Lifecycle(this.store, this.map, this.cell, this.owned, this.parts, this.intents, this.stats);
    this.events = new EventChannel(this.store, this.cell, this.owned, this.peersOut, this.stats);
    const sendHz = opts.zone.spec.sendHz;
    // The rows its players' views refer to, kept ahead of a view's next use: the longest paced frame interval.
    const rows = new EntityRows(this.store.schema, maxFrameInterval(sendInterval(this.tickHz, sendHz)));
    this.players = new CellPlayers(this.store, this.cell, this.gateOut, this.peersOut, this.intents, this.lifecycle, this.stats, baselinesPerClient(this.tickHz, sendHz), rows);
    const wanderers = new Wanderers(cap, (opts.seed ?? 1) * 7919 + opts.cell, this.intents);
    this.parts.register(this.intents);
    this.parts.register(this.players);
    this.parts.register(wanderers);
    const handoffs = new HandoffCodec(this.parts);

    const catalogue = catalogueJsonIn(opts.content ? new Uint8Array(opts.content) : undefined);
    const all = [...defaultSystems(this, { handoffs, wanderers, loot: new LootTables(catalogue), itemStats: new ItemStatsTable(catalogue) }), ...extra.map((make) => make(this))];
    // Stable by phase: within a phase, list order.
    this.systems = PHASES.flatMap((phase) => all.filter((s) => s.phase === phase));
    if (this.systems.length > MAX_SYSTEMS) throw new Error(`a cell times at most ${MAX_SYSTEMS} systems, got ${this.systems.length}`);
    const names = new Set<string>();
    for (const s of this.systems) {
      if (names.has(s.name)) throw new Error(`two systems named ${s.name}`);
      names.add(s.name);
      if (s.every !== undefined && (!Number.isInteger(s.every) || s.every < 1)) throw new Error(`system ${s.name}: every must be a positive integer`);
    }
    this.split = this.systems.findIndex((s) => !SIMULATE_PHASES.includes(s.phase));
    this.every = Int32Array.from(this.systems, (s) => s.every ?? 1);

    this.schedule = new ZoneSchedule(opts.tickOrigin ?? nowMs(), this.tickHz, this.views.control, ZoneControl.skippedTicks);
    this.verifyScratch = opts.verifyOwnership ? new Int32Array(cap) : null;
    this.onLastArrival = () => this.afterSimulateAll();
    this.onTickEnd = () => this.afterTickAll();
    if (opts.recover) {
      // Continue the zone's tick numbering (clients' baselines and acks refer
      // to it), one past the tick that was in flight when the zone went down.
      this.tick = Atomics.load(this.views.control, ZoneControl.zoneTick) + 1;
      this.players.prepareRecovery(opts.recover.players);
      this.adoptFromStore();
    } else {
      const total = opts.wanderers ?? 0;
      const cells = this.views.geometry.cellCount;
      const share = Math.floor(total / cells) + (opts.cell < total % cells ? 1 : 0);
      wanderers.spawn(this.lifecycle, this.map, this.rect, share, true);
    }
    publish(this, new Int32Array(cap));
  }

  /** Names of the systems in tick order (their metric labels). */
  get systemNames(): string[] {
    return this.systems.map((s) => s.name);
  }

  /** Runs one whole tick; returns false once the zone agreed to stop. */
  runTick(): boolean {
    this.simulateHalf();
    this.views.barrier.arriveAndWait(100, this.onLastArrival);
    this.replicateHalf();
    this.views.barrier.arriveAndWait(100, this.onTickEnd);
    // Phase times from the stamps the halves took (barrier waits excluded).
    const s = this.stats;
    const c = this.clock;
    observeInterval(s, StatSlot.histSimulate, TICK_BUCKETS_SECONDS, c, Clock.simulateStart, Clock.simulateEnd);
    observeInterval(s, StatSlot.histReplicate, TICK_BUCKETS_SECONDS, c, Clock.replicateStart, Clock.replicateEnd);
    c[Clock.scratch] = c[Clock.simulateEnd] - c[Clock.simulateStart] + c[Clock.replicateEnd];
    observeInterval(s, StatSlot.histTick, TICK_BUCKETS_SECONDS, c, Clock.replicateStart, Clock.scratch);
    this.endTick();
    return Atomics.load(this.views.control, ZoneControl.stopAgreed) === 0;
  }

  /**
   * The simulate half of a tick: must-deliver messages that waited go out
   * first, in order, then the input, simulate, spawn and publish systems.
   * runTick() calls the halves between the zone's barriers; tests drive
   * several cells of one zone in one thread by calling them in turn (every
   * cell's simulateHalf, then every cell's replicateHalf, then endTick).
   */
  simulateHalf(): void {
    this.tick++;
    this.ticksRun++;
    const c = this.clock;
    c[Clock.last] = performance.now();
    c[Clock.simulateStart] = c[Clock.last];
    this.gateOut.flush();
    for (let i = 0; i < this.peersOut.length; i++) this.peersOut[i]?.flush();
    this.runSystems(0, this.split);
    c[Clock.simulateEnd] = c[Clock.last];
  }

  /** The replicate half: replicate and handoff systems, then every outbound ring published. */
  replicateHalf(): void {
    const c = this.clock;
    c[Clock.last] = performance.now();
    c[Clock.replicateStart] = c[Clock.last];
    this.runSystems(this.split, this.systems.length);
    let waiting = this.gateOut.flush();
    let queued = this.gateOut.queuedTotal;
    for (let i = 0; i < this.peersOut.length; i++) {
      const out = this.peersOut[i];
      if (!out) continue;
      waiting += out.flush();
      queued += out.queuedTotal;
    }
    this.gateOut.ring.notify();
    if (this.tick % SWEEP_EVERY_TICKS === 0) this.players.sweepMovedOn();
    this.stats[StatSlot.mustDeliverWaiting] = waiting + this.events.waiting;
    this.stats[StatSlot.mustDeliverQueued] = queued;
    c[Clock.replicateEnd] = performance.now();
  }

  /** Closes the tick: counters and the cell's tick word (what the supervisor watches). */
  endTick(): void {
    this.stats[StatSlot.ticks]++;
    Atomics.store(this.views.control, this.views.cellWord(this.cell, CellControl.tick), this.tick);
  }

  /**
   * The zone-wide step of the end-of-tick barrier (its last arriver runs it):
   * for tests that drive cells without barriers, once per tick after every
   * cell's replicateHalf.
   */
  static endZoneTick(views: ZoneViews): void {
    Atomics.add(views.control, ZoneControl.zoneTick, 1);
  }

  /**
   * Runs systems [from, to), each timed into its own histogram (the first
   * of the simulate half includes flushing the must-deliver queues); a throw
   * names the system and the tick.
   */
  private runSystems(from: number, to: number): void {
    const list = this.systems;
    for (let i = from; i < to; i++) {
      const every = this.every[i];
      // Staggered: systems (and cells) that run every N ticks do not all land on the same tick.
      if (every > 1 && (this.tick + i + this.cell) % every !== 0) continue;
      const sys = list[i];
      try {
        sys.run(this);
      } catch (err) {
        throw new SystemError(sys.name, this.cell, this.tick, err);
      }
      // One clock read per system: its end is the next one's start (performance.now() allocates ~88 B a call).
      const c = this.clock;
      c[Clock.now] = performance.now();
      observeInterval(this.stats, systemHistogram(i), TICK_BUCKETS_SECONDS, c, Clock.last, Clock.now);
      c[Clock.last] = c[Clock.now];
    }
  }

  /**
   * Rebuilds ownership after a restart from the shared store, which outlives
   * the worker: every live slot whose owner is this cell. Each private part
   * recovers what it can (a player's connection from the coordinator's
   * list; AI re-rolled; intents cleared); a part that cannot drops the entity.
   * Half-made (RESERVED) slots were swept by the supervisor before any cell started.
   */
  private adoptFromStore(): void {
    const store = this.store;
    const f = store.f;
    const parts = this.parts.list;
    for (let slot = 0; slot < store.capacity; slot++) {
      if (Atomics.load(f.state, slot) !== SlotState.ALIVE || Atomics.load(f.owner, slot) !== this.cell) continue;
      const handle = store.handleAt(slot);
      const kind = f.kind[slot];
      let keep = true;
      for (const part of parts) if (part.appliesTo(kind) && !part.recover(slot, handle)) keep = false;
      if (!keep) {
        this.parts.release(slot);
        store.free(handle);
        continue;
      }
      this.owned.add(slot);
    }
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
}
