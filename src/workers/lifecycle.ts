import type { GameMap } from '../content/map-format.ts';
import { indexOf, type EntityStore } from '../shared/entity-store.ts';
import { StatSlot } from '../shared/layout.ts';
import { nearestWalkable } from './movement.ts';
import type { Intents } from './intents.ts';
import type { OwnedSet } from './owned-set.ts';
import type { PrivateParts } from './private-state.ts';

/** What a new entity starts as; position is moved to the nearest walkable spot. */
export interface SpawnRequest {
  kind: number;
  template: number;
  x: number;
  y: number;
  hp: number;
  maxHp: number;
  level: number;
  /** A player's total experience (0 when left out). */
  xp?: number;
  /** The highest stored reward that experience includes (0 when left out: layout.ts StoreOwnFields). */
  rewardSeq?: number;
  /** Called once the entity exists and is owned here, before anything else sees it. */
  onSpawned?: (slot: number, handle: number) => void;
  /** Called when the zone has no free slot. */
  onFailed?: () => void;
}

/**
 * Spawns, despawns and teleports requested during a tick, applied together
 * at one named point (the spawn phase): no entity appears, vanishes or jumps
 * in the middle of another system's loop. Spawns go first, then despawns
 * (so a join and a leave of one tick both happen), then teleports.
 */
export class Lifecycle {
  private spawns: SpawnRequest[] = [];
  private despawnSlots: number[] = [];
  private despawnHooks: (((slot: number) => void) | undefined)[] = [];
  private teleportSlots: number[] = [];
  private teleportX: number[] = [];
  private teleportY: number[] = [];
  private readonly store: EntityStore;
  private readonly map: GameMap;
  private readonly cell: number;
  private readonly owned: OwnedSet;
  private readonly parts: PrivateParts;
  private readonly intents: Intents;
  private readonly stats: Float64Array;

  constructor(store: EntityStore, map: GameMap, cell: number, owned: OwnedSet, parts: PrivateParts, intents: Intents, stats: Float64Array) {
    this.store = store;
    this.map = map;
    this.cell = cell;
    this.owned = owned;
    this.parts = parts;
    this.intents = intents;
    this.stats = stats;
  }

  spawn(req: SpawnRequest): void {
    this.spawns.push(req);
  }

  /** Removes an owned entity; `before` runs first (a player's final report). */
  despawn(slot: number, before?: (slot: number) => void): void {
    this.despawnSlots.push(slot);
    this.despawnHooks.push(before);
  }

  /** Moves an owned entity to any point of the zone; the handoff phase then gives it to the cell that owns the point. */
  teleport(slot: number, x: number, y: number): void {
    this.teleportSlots.push(slot);
    this.teleportX.push(x);
    this.teleportY.push(y);
  }

  get pending(): number {
    return this.spawns.length + this.despawnSlots.length + this.teleportSlots.length;
  }

  /** Applies everything requested since the last call. */
  apply(): void {
    if (this.spawns.length > 0) {
      const reqs = this.spawns;
      this.spawns = [];
      for (const r of reqs) this.applySpawn(r);
    }
    // Despawns requested by spawn hooks (a join and its leave in one tick) land here too.
    for (let i = 0; i < this.despawnSlots.length; i++) {
      const slot = this.despawnSlots[i];
      if (!this.owned.has(slot)) continue;
      this.despawnHooks[i]?.(slot);
      this.owned.remove(slot);
      this.parts.release(slot);
      this.store.free(this.store.handleAt(slot));
    }
    this.despawnSlots.length = 0;
    this.despawnHooks.length = 0;
    const f = this.store.f;
    for (let i = 0; i < this.teleportSlots.length; i++) {
      const slot = this.teleportSlots[i];
      if (!this.owned.has(slot)) continue;
      const [x, y] = nearestWalkable(this.map, this.teleportX[i], this.teleportY[i]);
      f.x[slot] = x;
      f.y[slot] = y;
      f.vx[slot] = 0;
      f.vy[slot] = 0;
      this.intents.stop(slot);
      this.stats[StatSlot.teleports]++;
    }
    this.teleportSlots.length = 0;
    this.teleportX.length = 0;
    this.teleportY.length = 0;
  }

  /** Creates one entity now (also used at start-up, before the first tick). */
  applySpawn(r: SpawnRequest): void {
    const store = this.store;
    const handle = store.allocate();
    if (handle < 0) {
      r.onFailed?.();
      return;
    }
    const slot = indexOf(handle);
    const f = store.f;
    const [x, y] = nearestWalkable(this.map, r.x, r.y);
    // Every column starts from zero, so a field added to the table never inherits a dead entity's value.
    for (const col of store.replicated) col[slot] = 0;
    f.kind[slot] = r.kind;
    f.template[slot] = r.template;
    f.x[slot] = x;
    f.y[slot] = y;
    f.vx[slot] = 0;
    f.vy[slot] = 0;
    f.maxHp[slot] = r.maxHp;
    f.hp[slot] = r.hp;
    f.level[slot] = r.level;
    f.flags[slot] = 0;
    f.xp[slot] = r.xp ?? 0;
    f.rewardSeq[slot] = r.rewardSeq ?? 0;
    Atomics.store(f.owner, slot, this.cell);
    this.intents.stop(slot);
    this.parts.spawned(slot, r.kind);
    this.owned.add(slot);
    r.onSpawned?.(slot, handle);
    store.publish(handle);
  }
}
