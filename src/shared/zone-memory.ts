import { schemaOf, type FieldTableSpec } from '../protocol/fields.ts';
import { Barrier } from './barrier.ts';
import { EntityStore, entityStoreBytes } from './entity-store.ts';
import { CellControl, combatLogCellWords, sayLogCellWords, StatSlot, ZoneControl } from './layout.ts';
import { logWindowTicks, sendInterval } from './send-rate.ts';
import { Ring, ringBytes } from './ring.ts';
import { SpatialGrid } from './spatial-grid.ts';
import { ZoneGeometry, type ZoneGeometryOptions } from './zone-geometry.ts';

/** Ring sizes in data bytes (powers of two). */
export interface RingSizes {
  gateToCell: number;
  cellToGate: number;
  cellToCell: number;
}

/** Smallest cell-to-cell ring: twice the largest player handoff, rounded to a power of two. */
export const MIN_CELL_TO_CELL_RING = 1 << 18;
/** Smallest cell-to-gate ring: twice the largest snapshot frame (Limits.maxServerFrame and its header), rounded to a power of two. */
export const MIN_CELL_TO_GATE_RING = 1 << 15;

/**
 * Bytes of snapshot per player a cell's ring to the gate is sized for by
 * default (RING_FRAME_BYTES): about 6 times the mean frame at 1,000–2,000
 * players (110–170 bytes, docs/benchmarks.md load runs), so a tick of frames
 * still fits while the gate's loop is late by a few ticks.
 */
export const DEFAULT_RING_FRAME_BYTES = 1024;

/**
 * The cell-to-gate ring for a cell that may hold `players` players, at
 * `frameBytes` each: the smallest power of two at least that many bytes
 * and at least MIN_CELL_TO_GATE_RING. A ring's data is resident only once
 * written, so an idle server pays little for it; under load it is written
 * all round.
 */
export function cellToGateRingFor(players: number, frameBytes: number): number {
  let capacity = MIN_CELL_TO_GATE_RING;
  while (capacity < players * frameBytes) capacity *= 2;
  return capacity;
}

export const DEFAULT_RING_SIZES: RingSizes = {
  gateToCell: 1 << 20,
  // 5,000 players (MAX_PLAYERS' default) at DEFAULT_RING_FRAME_BYTES.
  cellToGate: 1 << 23,
  cellToCell: 1 << 20,
};

/** What a zone is: its identity, shape and capacity. */
export interface ZoneSpec extends ZoneGeometryOptions {
  id: number;
  name: string;
  /** Entity slots shared by all cells of the zone. */
  capacity: number;
  /** Simulation rate. */
  tickHz: number;
  /** Snapshot rate (SEND_HZ), at most tickHz; unset: a frame every tick. */
  sendHz?: number;
  /** Replicated field table; Tessera's own (REPLICATED_FIELDS) when unset. */
  fields?: FieldTableSpec;
  /**
   * A player is told experience (and the levels it brings) only once the
   * coordinator confirms it durable (cell-to-gate EXPERIENCE, gate-to-cell
   * EXPERIENCE_DURABLE; workers/combat/experience.ts). The server sets it;
   * unset (cells without a coordinator: tests, benchmarks) tells it at once.
   */
  confirmExperience?: boolean;
}

/**
 * Every SharedArrayBuffer of one zone, in a form that crosses to a worker
 * through workerData (structured clone shares the buffers, not copies).
 */
export interface ZoneMemoryInit {
  spec: ZoneSpec;
  /** The zone pack (content/pack/zone-pack.ts): the zone's map and objects, read-only after start. */
  map: SharedArrayBuffer;
  store: SharedArrayBuffer;
  grid: SharedArrayBuffer;
  /** The combat log: one region per cell (layout.ts CombatLogHeader). */
  combatLog: SharedArrayBuffer;
  /** The say log: one region per cell (layout.ts SayLogHeader). */
  sayLog: SharedArrayBuffer;
  barrier: SharedArrayBuffer;
  control: SharedArrayBuffer;
  /** Per cell. */
  stats: SharedArrayBuffer[];
  gateToCell: SharedArrayBuffer[];
  cellToGate: SharedArrayBuffer[];
  /**
   * cellToCell[from * cellCount + to] for every pair of distinct cells (a
   * teleport or an event may reach any cell of the zone); null from a cell to
   * itself. Rings between neighbours, which carry most crossings, are larger.
   */
  cellToCell: (SharedArrayBuffer | null)[];
}

/**
 * Allocates the shared memory of a zone. `map` is the zone pack: bytes are
 * copied into a new shared buffer, a shared buffer (the loaded content) is
 * used as it is, read-only, by every cell and every restart.
 */
export function allocateZoneMemory(spec: ZoneSpec, map: Uint8Array | SharedArrayBuffer, sizes: RingSizes = DEFAULT_RING_SIZES): ZoneMemoryInit {
  const geometry = new ZoneGeometry(spec);
  // A ring's largest message is half its capacity; a player's handoff with a
  // full baseline history must fit, or it could never cross a border.
  if (geometry.cellCount > 1 && sizes.cellToCell < MIN_CELL_TO_CELL_RING) {
    throw new RangeError(`cell-to-cell rings need at least ${MIN_CELL_TO_CELL_RING} bytes (a player handoff can take ~70 KB), got ${sizes.cellToCell}`);
  }
  // A ring's largest message is half its capacity: the largest snapshot must fit.
  if (sizes.cellToGate < MIN_CELL_TO_GATE_RING) throw new RangeError(`cell-to-gate rings need at least ${MIN_CELL_TO_GATE_RING} bytes (the largest snapshot frame), got ${sizes.cellToGate}`);
  const n = geometry.cellCount;
  const window = logWindowTicks(sendInterval(spec.tickHz, spec.sendHz));
  let mapBuffer: SharedArrayBuffer;
  if (map instanceof SharedArrayBuffer) mapBuffer = map;
  else {
    mapBuffer = new SharedArrayBuffer(map.byteLength);
    new Uint8Array(mapBuffer).set(map);
  }
  const rings = (size: number, count: number) => Array.from({ length: count }, () => new SharedArrayBuffer(ringBytes(size)));
  return {
    spec,
    map: mapBuffer,
    store: new SharedArrayBuffer(entityStoreBytes(spec.capacity, schemaOf(spec.fields))),
    grid: new SharedArrayBuffer(SpatialGrid.cellBytes(geometry, spec.capacity) * n),
    combatLog: new SharedArrayBuffer(combatLogCellWords(geometry.tileCount, window) * 4 * n),
    sayLog: new SharedArrayBuffer(sayLogCellWords(window) * 4 * n),
    barrier: Barrier.create(n).buffer,
    control: new SharedArrayBuffer((ZoneControl.headerWords + n * CellControl.words) * 4),
    stats: Array.from({ length: n }, () => new SharedArrayBuffer(StatSlot.words * 8)),
    gateToCell: rings(sizes.gateToCell, n),
    cellToGate: rings(sizes.cellToGate, n),
    cellToCell: Array.from({ length: n * n }, (_, i) => {
      const from = Math.floor(i / n);
      const to = i % n;
      if (from === to) return null;
      const size = areNeighbours(geometry, from, to) ? sizes.cellToCell : MIN_CELL_TO_CELL_RING;
      return new SharedArrayBuffer(ringBytes(size));
    }),
  };
}

/** True for two distinct cells whose rectangles touch (edges or corners). */
export function areNeighbours(geometry: ZoneGeometry, a: number, b: number): boolean {
  if (a === b) return false;
  const dc = Math.abs((a % geometry.cellCols) - (b % geometry.cellCols));
  const dr = Math.abs(Math.floor(a / geometry.cellCols) - Math.floor(b / geometry.cellCols));
  return dc <= 1 && dr <= 1;
}

/** Typed views over a zone's shared memory, built on any thread. */
export class ZoneViews {
  readonly init: ZoneMemoryInit;
  readonly geometry: ZoneGeometry;
  readonly store: EntityStore;
  readonly grid: SpatialGrid;
  /** Each cell's region of the combat log, as Int32 words (layout.ts CombatLogHeader). */
  readonly combatLog: Int32Array[];
  /** Each cell's region of the say log, as Int32 words (layout.ts SayLogHeader). */
  readonly sayLog: Int32Array[];
  readonly barrier: Barrier;
  readonly control: Int32Array;
  /** Ticks between a player's frames when not paced (TICK_HZ / SEND_HZ). */
  readonly sendInterval: number;
  /** Ticks of events the combat and say logs keep (send-rate.ts logWindowTicks). */
  readonly logWindow: number;

  constructor(init: ZoneMemoryInit) {
    this.init = init;
    this.geometry = new ZoneGeometry(init.spec);
    this.store = new EntityStore(init.store, init.spec.capacity, schemaOf(init.spec.fields));
    this.grid = new SpatialGrid(init.grid, this.geometry, init.spec.capacity);
    this.sendInterval = sendInterval(init.spec.tickHz, init.spec.sendHz);
    this.logWindow = logWindowTicks(this.sendInterval);
    const logWords = combatLogCellWords(this.geometry.tileCount, this.logWindow);
    this.combatLog = Array.from({ length: this.geometry.cellCount }, (_, c) => new Int32Array(init.combatLog, c * logWords * 4, logWords));
    const sayWords = sayLogCellWords(this.logWindow);
    this.sayLog = Array.from({ length: this.geometry.cellCount }, (_, c) => new Int32Array(init.sayLog, c * sayWords * 4, sayWords));
    this.barrier = new Barrier(init.barrier, this.geometry.cellCount);
    this.control = new Int32Array(init.control);
  }

  /** Index of a cell's word in the control block. */
  cellWord(cell: number, field: number): number {
    return ZoneControl.headerWords + cell * CellControl.words + field;
  }

  stats(cell: number): Float64Array {
    return new Float64Array(this.init.stats[cell]);
  }

  gateToCell(cell: number): Ring {
    return new Ring(this.init.gateToCell[cell]);
  }

  cellToGate(cell: number): Ring {
    return new Ring(this.init.cellToGate[cell]);
  }

  /** The ring from one cell to another, or null from a cell to itself. */
  cellToCell(from: number, to: number): Ring | null {
    const buffer = this.init.cellToCell[from * this.geometry.cellCount + to];
    return buffer ? new Ring(buffer) : null;
  }
}

/** Bytes of a zone's shared memory by buffer kind (the rings summed over their cells), for the memory metrics and the memory bench. */
export function zoneMemoryBytes(init: ZoneMemoryInit): Record<string, number> {
  const sum = (list: readonly (SharedArrayBuffer | null)[]) => list.reduce((n, b) => n + (b?.byteLength ?? 0), 0);
  return {
    map: init.map.byteLength,
    store: init.store.byteLength,
    grid: init.grid.byteLength,
    combat_log: init.combatLog.byteLength,
    say_log: init.sayLog.byteLength,
    control: init.barrier.byteLength + init.control.byteLength + sum(init.stats),
    rings_gate_to_cell: sum(init.gateToCell),
    rings_cell_to_gate: sum(init.cellToGate),
    rings_cell_to_cell: sum(init.cellToCell),
  };
}
