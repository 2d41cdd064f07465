/**
 * The console's live view, built from what the coordinator already holds:
 * the gate's connections (name, account, bytes, heartbeat round trip, ack
 * lag, send buffer), each player's entity in its zone's shared store
 * (position, level), and each zone's cells (health, ticks, the tick-time
 * histogram and entity counts the cells write into their stat slots). One
 * request answers the whole page; players come filtered and capped, counts
 * always whole.
 */
import { CellControl, ENTITY_KINDS, StatSlot, TICK_BUCKETS_SECONDS } from '../../shared/layout.ts';
import { histogramQuantile, readHistogram, type HistogramSnapshot } from '../../shared/stats.ts';
import type { Connection } from '../gate/connection.ts';
import type { GateOperator } from '../gate/operator.ts';
import type { ZoneHandle } from '../zones/supervisor.ts';

export interface LivePlayer {
  conn: number;
  name: string;
  characterId: number;
  accountId: number;
  zone: string;
  cell: number;
  x: number | null;
  y: number | null;
  level: number | null;
  phase: string;
  rttMs: number | null;
  bytesIn: number;
  bytesOut: number;
  /** Snapshot ticks sent but not yet acknowledged. */
  ackLagTicks: number;
  /** Bytes waiting in the socket's send buffer. */
  sendBuffer: number;
}

export interface CellStatus {
  cell: number;
  health: string;
  tick: number;
  players: number;
  tickRate: number;
}

export interface ZoneStatus {
  name: string;
  cells: CellStatus[];
  players: number;
  /** Tick time over the last 5-10 s, all cells together, in milliseconds. */
  tickP50Ms: number;
  tickP99Ms: number;
  entities: Record<string, number>;
  restarts: number;
  restartsLastMinute: number;
  lost: boolean;
  lastError: string | null;
}

export interface LiveQuery {
  zone?: string;
  name?: string;
  limit: number;
}

export interface LiveView {
  at: number;
  online: number;
  zones: ZoneStatus[];
  players: LivePlayer[];
  /** Players that matched the filter: more than `players` holds when the limit cut it. */
  matched: number;
}

const WINDOW_MS = 5000;
const TICK_WORDS = TICK_BUCKETS_SECONDS.length + 3;

/** Tick-time histograms summed over a zone's cells, kept so percentiles cover a recent window, not the process's life. */
class TickWindow {
  private older: Float64Array | undefined;
  private newer: Float64Array | undefined;
  private newerAt = 0;

  /** The zone's histogram now, minus the one from 5-10 s ago. */
  recent(zone: ZoneHandle, now: number): HistogramSnapshot {
    const sum = new Float64Array(TICK_WORDS);
    for (let cell = 0; cell < zone.views.geometry.cellCount; cell++) {
      const stats = zone.views.stats(cell);
      for (let i = 0; i < TICK_WORDS; i++) sum[i] += stats[StatSlot.histTick + i];
    }
    if (!this.newer) {
      this.older = this.newer = sum;
      this.newerAt = now;
    } else if (now - this.newerAt >= WINDOW_MS) {
      this.older = this.newer;
      this.newer = sum;
      this.newerAt = now;
    }
    const base = this.older!;
    const diff = new Float64Array(TICK_WORDS);
    // A restarted cell's slots keep counting (they live in the zone's shared memory), but a reset must not go negative.
    for (let i = 0; i < TICK_WORDS; i++) diff[i] = Math.max(0, sum[i] - base[i]);
    const h = readHistogram(diff, 0, TICK_BUCKETS_SECONDS);
    return h.count > 0 ? h : readHistogram(sum, 0, TICK_BUCKETS_SECONDS);
  }
}

export class LiveViews {
  private readonly zones: readonly ZoneHandle[];
  private readonly connections: () => Iterable<Connection>;
  private readonly op: GateOperator;
  private readonly windows = new WeakMap<ZoneHandle, TickWindow>();

  constructor(zones: readonly ZoneHandle[], connections: () => Iterable<Connection>, op: GateOperator) {
    this.zones = zones;
    this.connections = connections;
    this.op = op;
  }

  build(q: LiveQuery, now = Date.now()): LiveView {
    const zoneIndex = q.zone === undefined ? -1 : this.zones.findIndex((z) => z.spec.name === q.zone);
    const name = q.name?.normalize('NFC').toLowerCase();
    const perCell = this.zones.map((z) => new Array<number>(z.views.geometry.cellCount).fill(0));
    const perZone = new Array<number>(this.zones.length).fill(0);
    const players: LivePlayer[] = [];
    let online = 0;
    let matched = 0;
    for (const c of this.connections()) {
      if (c.released || c.phase === 'closed' || c.phase === 'handshake' || c.phase === 'entering') continue;
      online++;
      perZone[c.zone]++;
      const cells = perCell[c.zone];
      if (cells && c.cell < cells.length) cells[c.cell]++;
      if (q.zone !== undefined && c.zone !== zoneIndex) continue;
      if (name !== undefined && !c.name.toLowerCase().startsWith(name)) continue;
      matched++;
      if (players.length < q.limit) players.push(this.player(c));
    }
    const zones = this.zones.map((z, i) => this.zoneStatus(z, perZone[i], perCell[i], now));
    return { at: now, online, zones, players, matched };
  }

  /** One connection as the console lists it. */
  player(c: Connection): LivePlayer {
    const at = this.op.position(c);
    return {
      conn: c.id,
      name: c.name,
      characterId: c.characterId,
      accountId: c.accountId,
      zone: this.zones[c.zone]?.spec.name ?? '?',
      cell: c.cell,
      x: at ? Math.round(at.x * 100) / 100 : null,
      y: at ? Math.round(at.y * 100) / 100 : null,
      level: at ? at.level : null,
      phase: c.phase,
      rttMs: c.rttMs < 0 ? null : c.rttMs,
      bytesIn: c.bytesIn,
      bytesOut: c.bytesOut,
      ackLagTicks: c.lastAckTick === 0 ? 0 : Math.max(0, c.lastFrameTick - c.lastAckTick),
      sendBuffer: c.ws.bufferedAmount,
    };
  }

  private zoneStatus(z: ZoneHandle, players: number, perCell: number[], now: number): ZoneStatus {
    let w = this.windows.get(z);
    if (!w) this.windows.set(z, (w = new TickWindow()));
    const h = w.recent(z, now);
    const entities: Record<string, number> = {};
    const cells: CellStatus[] = [];
    for (let cell = 0; cell < z.views.geometry.cellCount; cell++) {
      const stats = z.views.stats(cell);
      for (let k = 1; k < ENTITY_KINDS.length; k++) entities[ENTITY_KINDS[k]] = (entities[ENTITY_KINDS[k]] ?? 0) + stats[StatSlot.entitiesByKind + k];
      cells.push({
        cell,
        health: z.health[cell]!,
        tick: Atomics.load(z.views.control, z.views.cellWord(cell, CellControl.tick)),
        players: perCell[cell] ?? 0,
        tickRate: Math.round(stats[StatSlot.tickRate] * 10) / 10,
      });
    }
    const lastMinute = z.restartTimes.filter((t) => now - t <= 60_000).length;
    return {
      name: z.spec.name,
      cells,
      players,
      tickP50Ms: round3(histogramQuantile(h, TICK_BUCKETS_SECONDS, 0.5) * 1000),
      tickP99Ms: round3(histogramQuantile(h, TICK_BUCKETS_SECONDS, 0.99) * 1000),
      entities,
      restarts: z.restarts,
      restartsLastMinute: lastMinute,
      lost: z.lost,
      lastError: z.lastError.find((e) => e !== undefined) ?? null,
    };
  }
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
