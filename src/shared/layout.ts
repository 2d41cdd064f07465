import { REPLICATED_FIELDS, type ReplicatedField } from '../protocol/fields.ts';
import { CHAT_LINE_MAX_BYTES } from '../protocol/chat-lines.ts';

/**
 * The one place that names every field, offset and count of every
 * SharedArrayBuffer Tessera shares between threads. No other module indexes
 * shared memory with a bare number.
 */

/** Typed-array constructors by element type, as bitECS's old Constants.js. */
export const ElementTypes = {
  u8: Uint8Array,
  u16: Uint16Array,
  i32: Int32Array,
  u32: Uint32Array,
  f32: Float32Array,
} as const;
export type ElementType = keyof typeof ElementTypes;

/**
 * Entity store fields, struct-of-arrays. State others must read every tick
 * lives here; private state (inventory, baselines, AI memory) stays in the
 * owning worker. The replicated fields come from the field table
 * (protocol/fields.ts); these are the store's own bookkeeping.
 */
export const StoreOwnFields = {
  /** Slot state, moved with Atomics: SlotState below. */
  state: 'i32',
  /** Generation, bumped on free so stale handles are caught. */
  gen: 'u32',
  /** Index of the owning cell within the zone. */
  owner: 'i32',
  vx: 'f32',
  vy: 'f32',
  /**
   * A player's total experience. In the store, not the owner's private state,
   * because the store outlives a failed cell: a restart keeps it, as it keeps
   * the level.
   */
  xp: 'u32',
  /**
   * The highest stored reward (gate-to-cell REWARD's seq) the player's `xp`
   * includes. Beside `xp` for the same reason: a REWARD sent again after a
   * restart (its answer lost with the cell) is then seen as paid, not paid twice.
   */
  rewardSeq: 'u32',
} as const satisfies Record<string, ElementType>;

type ReplicatedStoreTypes = { readonly [K in ReplicatedField]: (typeof REPLICATED_FIELDS)['fields'][K]['store'] };

/** Every column of the store: its own fields, then the replicated ones in table order. */
export const EntityFields = {
  ...StoreOwnFields,
  ...(Object.fromEntries(Object.entries(REPLICATED_FIELDS.fields).map(([name, f]) => [name, f.store])) as ReplicatedStoreTypes),
} as const satisfies Record<string, ElementType>;
export type EntityField = keyof typeof EntityFields;

export const SlotState = { FREE: 0, RESERVED: 1, ALIVE: 2 } as const;

/**
 * Entity kinds, in wire order: the one list every per-kind layout (metric
 * slots, label names) is derived from. NONE is never a live entity.
 */
export const ENTITY_KINDS = ['none', 'player', 'npc', 'item', 'corpse'] as const;
export const EntityKind = { NONE: 0, PLAYER: 1, NPC: 2, ITEM: 3, CORPSE: 4 } as const satisfies Record<Uppercase<(typeof ENTITY_KINDS)[number]>, number>;
export type EntityKindValue = (typeof EntityKind)[keyof typeof EntityKind];
export const ENTITY_KIND_COUNT = ENTITY_KINDS.length;

/**
 * Entity state bits (replicated). EVADING: an NPC walking home after giving
 * up, immune meanwhile. HIDDEN: not published in the grid, so nobody sees
 * it (an NPC between corpse and respawn).
 */
export const EntityFlags = { MOVING: 1, DEAD: 2, IN_COMBAT: 4, EVADING: 8, HIDDEN: 16 } as const;

/**
 * Handles are `index | (generation << HANDLE_INDEX_BITS)`, as bitECS's
 * EntityIndex: 20 bits of slot index (a million slots) and 12 of generation.
 */
export const HANDLE_INDEX_BITS = 20;
export const HANDLE_INDEX_MASK = (1 << HANDLE_INDEX_BITS) - 1;
export const HANDLE_GEN_MASK = (1 << (32 - HANDLE_INDEX_BITS)) - 1;
export const MAX_ENTITY_CAPACITY = 1 << HANDLE_INDEX_BITS;

/** Allocator header of the entity store (Int32 words). */
export const StoreHeader = { allocHint: 0, liveCount: 1, words: 16 } as const;

/**
 * SPSC ring header, Int32 words. Read and write positions grow without bound
 * modulo 2^30 (RING_POSITION_MASK) and are masked by the power-of-two
 * capacity; each sits on its own 64-byte line so producer and consumer do not
 * false-share. 30 bits, not 32: positions stay small integers that V8 never
 * boxes, however long the server runs.
 */
export const RING_POSITION_MASK = (1 << 30) - 1;
/** Largest ring capacity (used bytes must stay below the position space). */
export const RING_MAX_CAPACITY = 1 << 29;
export const RingHeader = {
  writePos: 0,
  readPos: 16,
  /** Count of reserve() calls refused for want of space. */
  fullEvents: 32,
  /** Bumped and notified by the producer after it commits a batch. */
  signal: 48,
  /** High-water mark of bytes in use, for the occupancy metric. */
  highWater: 49,
  words: 64,
} as const;
/** Message length prefix and the marker that pads to the end of the buffer. */
export const RING_PREFIX_BYTES = 4;
export const RING_PAD_MARKER = 0xffffffff;

/** Sense-reversing barrier words (Int32). */
export const BarrierFields = { arrived: 0, generation: 1, parties: 2, broken: 3, words: 16 } as const;

/** Per-zone control block (Int32 words): zone-wide words then one block per cell. */
export const ZoneControl = {
  /** Set to 1 by the coordinator to make every cell stop after its tick. */
  stop: 0,
  /** Set by the barrier's last arriver once it has seen `stop`: 1 = every cell exits after this tick. */
  stopAgreed: 1,
  /** Ownership invariant checks run and failed (verification mode only). */
  verifiedTicks: 2,
  ownershipViolations: 3,
  /** Zone tick counter, bumped by the end-of-tick barrier's last arriver. */
  zoneTick: 4,
  /** Ticks the zone's schedule skipped after falling far behind (ZoneSchedule). */
  skippedTicks: 5,
  headerWords: 16,
} as const;
export const CellControl = {
  /** Completed ticks, Atomics-stored at the end of each tick. */
  tick: 0,
  /** CellState below. */
  state: 1,
  /** Players owned right now. */
  players: 2,
  /** Entities owned right now. */
  entities: 3,
  /** The cell sleeps on this word between ticks; notify it to wake early. */
  wake: 4,
  /**
   * 1 while the cell is inside a tick (its tick loop's runTick), 0 between
   * ticks: with the tick word and the thread's CPU time, the supervisor's
   * stall detector tells a cell looping in a system from one that is late.
   */
  inTick: 5,
  words: 16,
} as const;
export const CellState = { STARTING: 0, RUNNING: 1, STOPPED: 2, FAILED: 3 } as const;

/**
 * Shared metric slots a cell writes and the coordinator reads at scrape time
 * (Float64 words; one writer per cell, so plain stores suffice: aligned 8-byte
 * stores do not tear on x64 or arm64).
 */
export const TICK_BUCKETS_SECONDS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.035, 0.05, 0.1, 0.25] as const;
export const AOI_BUCKETS = [0, 5, 10, 20, 30, 50, 80, 120, 200, 256] as const;
/** A client's ack lag (its tick minus the newest tick it acknowledged), seconds. */
export const ACK_LAG_BUCKETS_SECONDS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5] as const;
/** A client's frame interval (SEND_HZ's, or longer while it is paced), seconds. */
export const FRAME_INTERVAL_BUCKETS_SECONDS = [0.017, 0.034, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6] as const;
/** Histogram block: one word per bucket, then +Inf, then sum, then count. */
export const histogramWords = (buckets: readonly number[]): number => buckets.length + 3;

const H_TICK = histogramWords(TICK_BUCKETS_SECONDS);
const H_AOI = histogramWords(AOI_BUCKETS);
const H_ACK_LAG = histogramWords(ACK_LAG_BUCKETS_SECONDS);
const H_FRAME_INTERVAL = histogramWords(FRAME_INTERVAL_BUCKETS_SECONDS);

/** Most systems a cell can time (each has a histogram block). */
export const MAX_SYSTEMS = 32;

/**
 * Lays out consecutive blocks of words from their sizes, so no offset is
 * summed by hand: `{ a: 1, b: 4 }` gives `{ a: 0, b: 1, words: 5 }`.
 */
export function layoutWords<const T extends Record<string, number>>(sizes: T): { readonly [K in keyof T]: number } & { readonly words: number } {
  const out: Record<string, number> = {};
  let at = 0;
  for (const [name, size] of Object.entries(sizes)) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`layout block ${name} must be a positive number of words`);
    out[name] = at;
    at += size;
  }
  out.words = at;
  return out as { readonly [K in keyof T]: number } & { readonly words: number };
}

/**
 * The anti-cheat checks a cell counts for impossible actions
 * (src/workers/combat/, src/workers/destination-check.ts), in
 * StatSlot.anticheat order: metric labels of
 * tessera_anticheat_violations_total{check}. Each is also reported to the
 * coordinator per player (cell-to-gate VIOLATION) for its enforcement.
 * Append only: the number is the wire's (VIOLATION's check).
 */
export const ACTION_CHECKS = ['unknown_skill', 'out_of_range', 'cooldown', 'line_of_sight', 'action_rate', 'destination'] as const;
export const ActionCheck = { UNKNOWN_SKILL: 0, OUT_OF_RANGE: 1, COOLDOWN: 2, LINE_OF_SIGHT: 3, ACTION_RATE: 4, DESTINATION: 5 } as const;

/** ACTION results a cell counts (metric labels of tessera_cell_actions_total{result}). */
export const ACTION_RESULTS = ['applied', 'refused', 'stale'] as const;

/** Record positions in the logs' rings grow modulo 2^30, as the rings' byte positions (RING_POSITION_MASK). */
export const LOG_POSITION_MASK = (1 << 30) - 1;

/**
 * The combat log (src/workers/combat/log.ts): per cell, the combat events of
 * the recent ticks it applied (hits, heals, deaths, casts, level-ups),
 * listed by the AOI tile they happened on, in the shared combat-log buffer,
 * so a frame sent every few ticks (SEND_HZ below TICK_HZ, or a paced
 * client) carries every tick since the previous one. Each cell writes only
 * its own region, in the publish phase; every cell's replicate reads the
 * regions of the tiles around its players. Int32 words: the header, then
 * `window` tick slots (CombatLogSlot, then tileStart[tiles] relative to the
 * slot's first record and tileCount[tiles]; tick t in slot t % window), then
 * a ring of COMBAT_LOG_RING records of CombatLogRecord.words, each tick's
 * records contiguous (modulo the ring) and sorted by tile.
 */
export const CombatLogHeader = { writePos: 0, words: 4 } as const;
/** A tick's slot: its tick (0: none yet), its record count and the ring position of its first record. */
export const CombatLogSlot = { tick: 0, count: 1, start: 2, words: 4 } as const;
/**
 * One record (u32 words). `otherTile`: for a record under the target's tile,
 * the source's tile (-1 as u32: unknown); a record with the DUP bit in its
 * detail is the copy under the source's tile, and `otherTile` the target's.
 */
export const CombatLogRecord = { type: 0, detail: 1, source: 2, target: 3, skill: 4, amount: 5, otherTile: 6, words: 7 } as const;
/** Records a cell logs per tick; past it they are dropped and counted. */
export const COMBAT_LOG_CAPACITY = 4096;
/** Records the ring of a cell's region holds (a power of two, at least one full tick): older ticks' records are overwritten past it. */
export const COMBAT_LOG_RING = 8192;
/** Detail bit of a record copied under its source's tile (not on the wire). */
export const COMBAT_LOG_DUP = 0x100;
/** Int32 words of one tick slot of the combat log. */
export const combatLogSlotWords = (tiles: number): number => CombatLogSlot.words + 2 * tiles;
/** Int32 words of one cell's region of the combat log, keeping `window` ticks. */
export const combatLogCellWords = (tiles: number, window: number): number => CombatLogHeader.words + window * combatLogSlotWords(tiles) + COMBAT_LOG_RING * CombatLogRecord.words;

/**
 * The say log (src/workers/chat/say-log.ts): per cell, the chat lines said
 * in the recent ticks by the players it owns, each with the AOI tile its
 * speaker stood on, in the shared say-log buffer. Each cell writes only its
 * own region, during simulate (the input phase takes the gate's SAYs); every
 * cell's replicate reads every region and gives each player the lines said
 * in its 3×3 tiles since its previous frame. Int32 words: the header, then
 * `window` tick slots (SayLogSlot; tick t in slot t % window), then a ring of
 * SAY_LOG_RING records of SayLogRecord.words; a record's line bytes are the
 * wire's (chat-lines.ts).
 */
export const SayLogHeader = { writePos: 0, words: 2 } as const;
/** A tick's slot: its tick (0: none yet), its line count and the ring position of its first line. */
export const SayLogSlot = { tick: 0, count: 1, start: 2, words: 3 } as const;
/** One record: the speaker's tile (column | row << 16), the line's byte length, then the line, padded to whole words. */
export const SayLogRecord = { tile: 0, length: 1, line: 2, words: 2 + Math.ceil(CHAT_LINE_MAX_BYTES / 4) } as const;
/** Lines a cell logs per tick; past it they are dropped and counted (the per-player rate keeps this far off). */
export const SAY_LOG_CAPACITY = 64;
/** Lines the ring of a cell's region holds (a power of two, at least one full tick). */
export const SAY_LOG_RING = 256;
/** Int32 words of one cell's region of the say log, keeping `window` ticks. */
export const sayLogCellWords = (window: number): number => SayLogHeader.words + window * SayLogSlot.words + SAY_LOG_RING * SayLogRecord.words;

/** NPC AI states (src/workers/npc/memory.ts), in NpcState order: metric labels. */
export const NPC_STATE_NAMES = ['idle', 'wander', 'patrol', 'return', 'aggro', 'chase', 'attack', 'evade', 'dead'] as const;

export const StatSlot = layoutWords({
  ticks: 1,
  overruns: 1,
  handoffsOut: 1,
  handoffsIn: 1,
  handoffRetries: 1,
  inputsApplied: 1,
  inputsRejected: 1,
  /** Inputs ignored because their sequence was not newer than the last applied. */
  inputsStale: 1,
  inputsForwarded: 1,
  framesOut: 1,
  frameBytesOut: 1,
  /** Droppable messages (snapshot frames, state reports) dropped on a full ring. */
  framesDropped: 1,
  /** Snapshot frames not encoded because the gate had not yet read this cell's frames of GATE_BACKLOG_MS ago (workers/gate-backlog.ts). */
  framesShed: 1,
  /** Full snapshots sent because the acknowledged baseline's entity rows were already overwritten (a client lagging past their reach: workers/entity-rows.ts). */
  baselinesExpired: 1,
  /** Rows of the cell's shared entity rows (gauge; each is the schema's rowBytes). */
  entityRows: 1,
  /** Ticks per second achieved over the last second. */
  tickRate: 1,
  /** Must-deliver messages waiting for room in a full ring (gauge), and all ever queued. */
  mustDeliverWaiting: 1,
  mustDeliverQueued: 1,
  /** Events sent to and applied on entities through the event channel. */
  eventsSent: 1,
  eventsApplied: 1,
  /** Events and forwards whose target entity no longer exists. */
  eventsTargetGone: 1,
  teleports: 1,
  /** Entities by EntityKind. */
  entitiesByKind: ENTITY_KIND_COUNT,
  /** Content NPCs by AI state (gauge, NPC_STATE_NAMES order). */
  npcsByState: NPC_STATE_NAMES.length,
  /** A* searches of NPCs (straight walks excluded) that found a way, those that found none, and nodes expanded. */
  npcPathFound: 1,
  npcPathFailures: 1,
  npcPathNodes: 1,
  /** Impossible ACTIONs by check (ACTION_CHECKS order): the cell's anti-cheat counts. */
  anticheat: ACTION_CHECKS.length,
  /** ACTIONs by result (ACTION_RESULTS order). */
  actions: ACTION_RESULTS.length,
  /** Combat events logged for replication, and those dropped for a full log. */
  combatLogged: 1,
  combatDropped: 1,
  /** Events left out of a snapshot past Limits.maxSnapshotEvents. */
  snapshotEventsCut: 1,
  /** Self records found changed with no stamp (a combat mutation that forgot touch(); should stay 0). */
  selfUnstamped: 1,
  /** Say lines logged for replication, and those dropped for a full say log. */
  sayLogged: 1,
  sayDropped: 1,
  /** Say lines left out of a snapshot past Limits.maxChatLinesPerRun. */
  sayCut: 1,
  /** Ticks of events (combat, say) a frame could not carry: its gap since the previous frame outran the logs' window. */
  logTicksMissed: 1,
  /** Times a lagging client's frame interval was doubled, and halved again as it caught up (send-pacing.ts). */
  paceBackoffs: 1,
  paceRecoveries: 1,
  histSimulate: H_TICK,
  histReplicate: H_TICK,
  histTick: H_TICK,
  histAoi: H_AOI,
  /** Per client, once a second: its ack lag and its frame interval. */
  histAckLag: H_ACK_LAG,
  histFrameInterval: H_FRAME_INTERVAL,
  /** One tick-time histogram per system, in the cell's list order. */
  histSystems: MAX_SYSTEMS * H_TICK,
});

/** Base word of system `i`'s histogram block. */
export const systemHistogram = (i: number): number => StatSlot.histSystems + i * H_TICK;

/** Rounds a byte length up to a multiple of `align`. */
export function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}
