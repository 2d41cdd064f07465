import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { EntityKind } from '../../shared/layout.ts';
import { type PrivatePart, PartId } from '../private-state.ts';
import { NO_TARGET, ThreatTables } from './threat.ts';

/**
 * What an NPC is doing. Out of combat: IDLE (stands), WANDER (roams its
 * area), PATROL (walks its path), RETURN (walks home, e.g. after a respawn
 * far from it). In combat: AGGRO (noticed a player: a short reaction before
 * it moves), CHASE, ATTACK. EVADE: gave up (past its leash, no target left,
 * no path) and walks home immune and regenerating. DEAD: a corpse, then
 * hidden until it respawns.
 */
export const NpcState = { IDLE: 0, WANDER: 1, PATROL: 2, RETURN: 3, AGGRO: 4, CHASE: 5, ATTACK: 6, EVADE: 7, DEAD: 8 } as const;
export { NPC_STATE_NAMES } from '../../shared/layout.ts';

/** Where an NPC came from, so it respawns there. */
/** Where an NPC came from and goes back to: SCRIPTED ones (a world event's boss) never respawn. */
export const Spawner = { NONE: 0, AREA: 1, PLACEMENT: 2, SCRIPTED: 3 } as const;

/** Waypoints one NPC keeps of a path (string-pulled); a longer path is walked in legs. */
export const WAYPOINTS = 8;
/** Path request state. */
export const PathState = { NONE: 0, PENDING: 1, READY: 2 } as const;

/**
 * The AI memory of a cell's NPCs (those with a content template), one typed
 * array per field indexed by slot: owner-private, it travels in handoffs
 * whole (threat table and path included) and is rebuilt from the store and
 * the zone map after a cell restart. A path search in flight does not
 * travel: the new owner searches again.
 */
export class NpcMemory implements PrivatePart {
  readonly id = PartId.NPC_AI;
  readonly name = 'npc-ai';
  readonly state: Uint8Array;
  readonly spawnKind: Uint8Array;
  readonly spawnIndex: Int32Array;
  /** Leash centre: where it spawned. */
  readonly homeX: Float32Array;
  readonly homeY: Float32Array;
  /** Current target handle, or NO_TARGET (handles are u32: doubles keep -1 free). */
  readonly target: Float64Array;
  /** Zone tick of the next decision: end of a pause, corpse time, respawn, repath. */
  readonly wakeTick: Int32Array;
  /** Zone tick of the next auto-attack. */
  readonly attackTick: Int32Array;
  /** Patrol: index of the point walked to, and direction (+1, -1) on an open path. */
  readonly patrolAt: Int16Array;
  readonly patrolDir: Int8Array;
  /** Path: waypoints (x, y) and how far along, and where the path leads. */
  readonly wpX: Float32Array;
  readonly wpY: Float32Array;
  readonly wpCount: Uint8Array;
  readonly wpAt: Uint8Array;
  readonly goalX: Float32Array;
  readonly goalY: Float32Array;
  readonly pathState: Uint8Array;
  /** Request counter per slot, so an answer for an abandoned search is ignored. */
  readonly pathSeq: Uint16Array;
  readonly threat: ThreatTables;
  /** Slots that carry this memory (kind NPC with a template), rebuilt by the owner. */
  readonly active: Uint8Array;
  /** Called by recover() to rebuild a slot after a restart (set by the AI system). */
  onRecover: (slot: number) => boolean = () => true;

  constructor(capacity: number) {
    this.state = new Uint8Array(capacity);
    this.spawnKind = new Uint8Array(capacity);
    this.spawnIndex = new Int32Array(capacity);
    this.homeX = new Float32Array(capacity);
    this.homeY = new Float32Array(capacity);
    this.target = new Float64Array(capacity).fill(NO_TARGET);
    this.wakeTick = new Int32Array(capacity);
    this.attackTick = new Int32Array(capacity);
    this.patrolAt = new Int16Array(capacity);
    this.patrolDir = new Int8Array(capacity);
    this.wpX = new Float32Array(capacity * WAYPOINTS);
    this.wpY = new Float32Array(capacity * WAYPOINTS);
    this.wpCount = new Uint8Array(capacity);
    this.wpAt = new Uint8Array(capacity);
    this.goalX = new Float32Array(capacity);
    this.goalY = new Float32Array(capacity);
    this.pathState = new Uint8Array(capacity);
    this.pathSeq = new Uint16Array(capacity);
    this.threat = new ThreatTables(capacity);
    this.active = new Uint8Array(capacity);
  }

  appliesTo(kind: number): boolean {
    return kind === EntityKind.NPC;
  }

  static readonly FIXED_BYTES = 1 + 1 + 4 + 4 + 4 + 8 + 4 + 4 + 2 + 1 + 1 + 1 + 1 + 4 + 4 + ThreatTables.BYTES;

  size(slot: number): number {
    return NpcMemory.FIXED_BYTES + this.travellingWaypoints(slot) * 8;
  }

  write(w: Writer, slot: number): void {
    w.u8(this.active[slot]);
    w.u8(this.state[slot]);
    w.u8(this.spawnKind[slot]);
    w.i32(this.spawnIndex[slot]);
    w.f32(this.homeX[slot]);
    w.f32(this.homeY[slot]);
    w.f64(this.target[slot]);
    w.i32(this.wakeTick[slot]);
    w.i32(this.attackTick[slot]);
    w.u16(this.patrolAt[slot] & 0xffff);
    w.i8(this.patrolDir[slot]);
    // A search in flight stays behind: the new owner plans again.
    const count = this.travellingWaypoints(slot);
    w.u8(count);
    w.u8(this.wpAt[slot]);
    w.f32(this.goalX[slot]);
    w.f32(this.goalY[slot]);
    this.threat.write(w, slot);
    const base = slot * WAYPOINTS;
    for (let i = 0; i < count; i++) {
      w.f32(this.wpX[base + i]);
      w.f32(this.wpY[base + i]);
    }
  }

  read(r: Reader, slot: number): void {
    this.active[slot] = r.u8();
    this.state[slot] = r.u8();
    this.spawnKind[slot] = r.u8();
    this.spawnIndex[slot] = r.i32();
    this.homeX[slot] = r.f32();
    this.homeY[slot] = r.f32();
    this.target[slot] = r.f64();
    this.wakeTick[slot] = r.i32();
    this.attackTick[slot] = r.i32();
    this.patrolAt[slot] = r.u16(); // wraps back to the signed value
    this.patrolDir[slot] = r.i8();
    const count = Math.min(r.u8(), WAYPOINTS);
    this.wpAt[slot] = r.u8();
    this.goalX[slot] = r.f32();
    this.goalY[slot] = r.f32();
    this.threat.read(r, slot);
    const base = slot * WAYPOINTS;
    for (let i = 0; i < count; i++) {
      this.wpX[base + i] = r.f32();
      this.wpY[base + i] = r.f32();
    }
    this.wpCount[slot] = count;
    this.pathState[slot] = count > 0 ? PathState.READY : PathState.NONE;
  }

  /** Waypoints a handoff carries: a ready path only. */
  private travellingWaypoints(slot: number): number {
    return this.pathState[slot] === PathState.READY ? this.wpCount[slot] : 0;
  }

  recover(slot: number): boolean {
    this.release(slot);
    return this.onRecover(slot);
  }

  release(slot: number): void {
    this.active[slot] = 0;
    this.state[slot] = NpcState.IDLE;
    this.target[slot] = NO_TARGET;
    this.wpCount[slot] = 0;
    this.wpAt[slot] = 0;
    this.pathState[slot] = PathState.NONE;
    this.pathSeq[slot]++;
    this.threat.clear(slot);
  }

  /** Forgets the path (and any search in flight). */
  clearPath(slot: number): void {
    this.wpCount[slot] = 0;
    this.wpAt[slot] = 0;
    this.pathState[slot] = PathState.NONE;
    this.pathSeq[slot]++;
  }
}
