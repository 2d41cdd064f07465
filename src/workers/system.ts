import type { GameMap } from '../content/map-format.ts';
import type { ClassTable } from '../content/class-table.ts';
import type { NpcTable } from '../content/npc-table.ts';
import type { SkillTable } from '../content/skill-table.ts';
import type { ZoneMap } from '../content/zone-map.ts';
import type { EntityStore } from '../shared/entity-store.ts';
import type { ReliableRing } from '../shared/reliable-ring.ts';
import type { Ring } from '../shared/ring.ts';
import type { ZoneViews } from '../shared/zone-memory.ts';
import type { CellPlayers } from './cell-players.ts';
import type { EventChannel } from './event-channel.ts';
import type { Intents } from './intents.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { OwnedSet } from './owned-set.ts';
import type { PrivateParts } from './private-state.ts';

/**
 * The named phases of a cell's tick, in order, as AzerothCore's Map::Update
 * runs named steps. The first four are the simulate half (writes only what
 * this cell owns), the last two the replicate half (reads only), with a
 * zone-wide barrier between and after.
 */
export const PHASES = ['input', 'simulate', 'spawn', 'publish', 'replicate', 'handoff'] as const;
export type Phase = (typeof PHASES)[number];
/** Phases before the mid-tick barrier. */
export const SIMULATE_PHASES: readonly Phase[] = ['input', 'simulate', 'spawn', 'publish'];

/**
 * One game system: a module with its tests and one line in the cell's list
 * (systems/index.ts). `run` is timed and named in errors and metrics.
 */
export interface System {
  readonly name: string;
  readonly phase: Phase;
  /** Run every N ticks (staggered by the system's place and the cell), default every tick. */
  readonly every?: number;
  run(ctx: CellContext): void;
}

/** Builds a system for one cell (registers its event handlers, private parts...). */
export type SystemFactory = (ctx: CellContext) => System;

/** What a system sees of its cell. */
export interface CellContext {
  readonly cell: number;
  /** Zone tick being run. */
  readonly tick: number;
  /** Seconds per tick. */
  readonly dt: number;
  readonly tickHz: number;
  readonly views: ZoneViews;
  readonly store: EntityStore;
  /** True when this cell was restarted after a failure (it adopted the store instead of spawning). */
  readonly restarted: boolean;
  /** The zone's map as the content says it (spawn areas, NPC placements, portals...), read-only. */
  readonly zoneMap: ZoneMap;
  /** NPC templates by number (0: none), read-only views into the content pack. */
  readonly npcs: NpcTable;
  /** Character classes by number (a player's template; 0: no class) and skills by number, read-only views into the content pack. */
  readonly classes: ClassTable;
  readonly skills: SkillTable;
  /** Walkability and the player spawn, derived from zoneMap. */
  readonly map: GameMap;
  /** Rectangle of the cell [x0, y0, x1, y1). */
  readonly rect: readonly [number, number, number, number];
  /** Entities this cell owns. */
  readonly owned: OwnedSet;
  /** Shared metric slots of this cell (StatSlot). */
  readonly stats: Float64Array;
  readonly players: CellPlayers;
  readonly intents: Intents;
  readonly parts: PrivateParts;
  /** Deferred spawns, despawns and teleports, applied in the spawn phase. */
  readonly lifecycle: Lifecycle;
  readonly events: EventChannel;
  /** Inbound rings: from the gate, and from every other cell. */
  readonly gateIn: Ring;
  readonly peersIn: readonly Ring[];
  /** Outbound: to the gate (must-deliver front; frames go to its ring directly) and to every other cell. */
  readonly gateOut: ReliableRing;
  readonly peersOut: readonly (ReliableRing | null)[];
  /** Speeds in units per second. */
  readonly playerSpeed: number;
  readonly wanderSpeed: number;
}

/** A system's run threw: names the system, the cell and the tick. */
export class SystemError extends Error {
  readonly system: string;
  constructor(system: string, cell: number, tick: number, cause: unknown) {
    super(`system ${system} failed in cell ${cell} at tick ${tick}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SystemError';
    this.system = system;
  }
}
