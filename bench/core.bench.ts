/**
 * Core benchmark (`npm run bench:core`): the costs the tick budget is made of.
 *
 *   (a) simulate and replicate cost per entity: a real 2x1 zone on worker
 *       threads (CellSupervisor) with 2,000 players and 8,000 wandering NPCs,
 *       players joined and acknowledged through the gate rings as the gate
 *       would, per-tick phase times read from the cells' shared stat slots;
 *       and a crowd (`crowd`): 400 players in one small square, every view
 *       at the cap, as the fight bots gather around spawns;
 *   (b) bytes allocated per tick in steady state: a CellRuntime in this
 *       thread, heap growth over GC-free windows (v8.GCProfiler proves no
 *       collection ran), at two entity counts so a per-entity cost would show;
 *       plus the snapshot codec paths alone;
 *   (c) ring throughput between two worker threads, 32- and 256-byte messages;
 *   (d) snapshot encode and decode cost per entity, full and delta.
 *
 * Prints a summary and writes bench/results/core-<ISO date>.json with the
 * machine. Figures are medians and p99s over repeated runs or windows.
 * This file is also its own worker script (ring producer and consumer).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { generateZonePack } from '../src/content/map-generate.ts';
import { mulberry32 } from '../src/shared/random.ts';
import { CellSupervisor } from '../src/main/zones/supervisor.ts';
import { DEFAULT_CELL_YOUNG_GENERATION_MB } from '../src/main/memory-config.ts';
import { ClientView } from '../src/protocol/client-view.ts';
import { Limits } from '../src/protocol/opcodes.ts';
import { decodeSnapshotBody, encodeSnapshot, maxSnapshotBytes } from '../src/protocol/snapshot-codec.ts';
import { Reader } from '../src/protocol/reader.ts';
import { ViewTable } from '../src/protocol/view-table.ts';
import { Writer } from '../src/protocol/writer.ts';
import { CellMessage, CellMsg } from '../src/shared/messages/cell-to-gate.ts';
import { encodeJoin, GateMsg, InputLayout } from '../src/shared/messages/gate-to-cell.ts';
import { AOI_BUCKETS, CellControl, StatSlot, systemHistogram, TICK_BUCKETS_SECONDS } from '../src/shared/layout.ts';
import { Ring } from '../src/shared/ring.ts';
import { histogramQuantile, readHistogram } from '../src/shared/stats.ts';
import { commitOf } from './lib/stats.ts';
import { allocateZoneMemory, type ZoneSpec, type ZoneViews } from '../src/shared/zone-memory.ts';
import { CellRuntime } from '../src/workers/cell-runtime.ts';

/**
 * Tick and snapshot rates of the zone and allocation cells, from the same
 * variables the server reads (20 and 20 by default): `TICK_HZ=60 SEND_HZ=20
 * npm run bench:core -- zone allocation` measures 60 Hz ticks with 20 Hz
 * snapshots (each player's frame on one tick in three, staggered).
 */
const TICK_HZ = Number(process.env.TICK_HZ ?? 20);
const SEND_HZ = Number(process.env.SEND_HZ ?? Math.min(20, TICK_HZ));
if (!(Number.isInteger(TICK_HZ) && TICK_HZ >= 1 && TICK_HZ <= 60)) throw new Error(`TICK_HZ must be an integer in 1..60, got ${process.env.TICK_HZ}`);
if (!(Number.isInteger(SEND_HZ) && SEND_HZ >= 1 && SEND_HZ <= TICK_HZ)) throw new Error(`SEND_HZ must be an integer in 1..TICK_HZ (${TICK_HZ}), got ${process.env.SEND_HZ}`);

// ---- statistics -------------------------------------------------------------

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}
const median = (xs: number[]) => quantile(xs, 0.5);
const p99 = (xs: number[]) => quantile(xs, 0.99);
const round = (x: number, d = 3) => Number(x.toFixed(d));
const summary = (xs: number[], d = 3) => ({ median: round(median(xs), d), p99: round(p99(xs), d), min: round(Math.min(...xs), d), n: xs.length });

// ---- gate-side ring helpers (what the gate writes and reads) ------------------

function writeJoin(ring: Ring, conn: number, x: number, y: number): boolean {
  const m = encodeJoin(conn, conn, x, y, 1, 0);
  const at = ring.reserve(m.length);
  if (at < 0) return false;
  ring.bytes.set(m, at);
  ring.commit(m.length);
  return true;
}

/**
 * An input carrying the ack, with a direction that changes now and then: as
 * a playing client does. Written in place with the named layout, as the gate
 * does: handing the doubles to writeInput() would box them in the measurement.
 */
function writeInput(ring: Ring, conn: number, seq: number, ackTick: number): boolean {
  const at = ring.reserve(InputLayout.bytes);
  if (at < 0) return false;
  const angle = ((conn * 2654435761 + (seq >>> 6) * 40503) % 6283) / 1000;
  const v = ring.view;
  v.setUint8(at, GateMsg.INPUT);
  v.setUint32(at + InputLayout.conn, conn, true);
  v.setUint32(at + InputLayout.seq, seq, true);
  v.setUint32(at + InputLayout.ackTick, ackTick, true);
  v.setUint8(at + InputLayout.move, 1);
  v.setFloat32(at + InputLayout.a, Math.cos(angle), true);
  v.setFloat32(at + InputLayout.b, Math.sin(angle), true);
  ring.commit(InputLayout.bytes);
  return true;
}

/**
 * Drains a cell's outbound ring like the gate, acknowledging every snapshot
 * with an input to the cell that owns the player. Allocates nothing.
 */
const cellMessage = new CellMessage();
function drainAndAck(out: Ring, gateIn: Ring[], cellOfConn: Int32Array, seqOfConn: Uint32Array, counts: { frames: number; bytes: number }): void {
  const m = cellMessage;
  for (let at = out.peek(); at >= 0; at = out.peek()) {
    m.read(out.view, at, out.messageLength);
    if (m.op === CellMsg.FRAME) {
      counts.frames++;
      counts.bytes += m.bodyEnd - m.bodyStart;
      writeInput(gateIn[cellOfConn[m.conn]], m.conn, ++seqOfConn[m.conn], m.tick);
    } else if (m.op === CellMsg.MOVED) {
      cellOfConn[m.conn] = m.cell;
    }
    out.release();
  }
  out.done();
}

// ---- (a) simulate and replicate per entity, real worker cells -----------------

const ZONE_W = 1024;
const ZONE_H = 768;
const AOI = 16;
const PLAYERS = 2000;
const NPCS = 8000;

interface ZoneRun {
  simulateMs: number[];
  replicateMs: number[];
  entitiesPerCell: number[];
  playersPerCell: number[];
  avgView: number;
  histP50SimulateMs: number;
  histP99SimulateMs: number;
  histP50ReplicateMs: number;
  histP99ReplicateMs: number;
  framesDropped: number;
  overruns: number;
  overrunsPerCell: number[];
  tickRate: number;
  systemUs: Record<string, number>;
  snapshotBytesAvg: number;
}

/** Who is in the zone run: the spread one (players anywhere) or a crowd (every player in one small square, views at the cap). */
interface Population {
  players: number;
  npcs: number;
  /** Side of the square the players join in, centred in cell 0; 0: anywhere in the zone. */
  crowdSide: number;
}
const SPREAD: Population = { players: PLAYERS, npcs: NPCS, crowdSide: 0 };
/** A fight's crowd: 400 players in a 40-unit square (the load bench's fight bots gather around the spawns this way). */
const CROWD: Population = { players: 400, npcs: 2000, crowdSide: 40 };

async function zoneRun(warmupTicks: number, measureTicks: number, seed: number, pop: Population = SPREAD): Promise<ZoneRun> {
  const spec: ZoneSpec = { id: 1, name: 'bench', width: ZONE_W, height: ZONE_H, aoiTile: AOI, cellCols: 2, cellRows: 1, capacity: 12_000, tickHz: TICK_HZ, sendHz: SEND_HZ };
  // The cell threads' young generation as the server sets it (CELL_YOUNG_GENERATION_MB; 0: V8's default).
  const young = Number(process.env.CELL_YOUNG_GENERATION_MB ?? DEFAULT_CELL_YOUNG_GENERATION_MB);
  const sup = new CellSupervisor(pino({ level: 'silent' }), 10_000, undefined, { youngGenerationMb: young || undefined });
  const started = sup.start([
    { spec, map: generateZonePack(spec.name, ZONE_W, ZONE_H, 7), cell: { wanderers: pop.npcs, seed, maxTicks: warmupTicks + measureTicks + 40 } },
  ]);
  // The zone's memory exists as soon as start() is called: queue the joins
  // before the cells' first tick, as a gate holding 2,000 logins would.
  const zone = sup.zones[0];
  const views: ZoneViews = zone.views;
  const g = views.geometry;
  const gateIn = [views.gateToCell(0), views.gateToCell(1)];
  const outs = [views.cellToGate(0), views.cellToGate(1)];
  const cellOfConn = new Int32Array(pop.players + 1);
  const seqOfConn = new Uint32Array(pop.players + 1);
  const rnd = mulberry32(seed);
  for (let conn = 1; conn <= pop.players; conn++) {
    const crowd = pop.crowdSide;
    const x = crowd > 0 ? ZONE_W / 4 - crowd / 2 + rnd() * crowd : 2 + rnd() * (ZONE_W - 4);
    const y = crowd > 0 ? ZONE_H / 2 - crowd / 2 + rnd() * crowd : 2 + rnd() * (ZONE_H - 4);
    const cell = g.cellOf(x, y);
    cellOfConn[conn] = cell;
    if (!writeJoin(gateIn[cell], conn, x, y)) throw new Error('gate ring full while joining');
  }
  for (const r of gateIn) r.flush();
  await started;

  const stats = [views.stats(0), views.stats(1)];
  const counts = { frames: 0, bytes: 0 };
  const last = stats.map(() => ({ simCount: 0, simSum: 0, repCount: 0, repSum: 0 }));
  const simulateMs: number[] = [];
  const replicateMs: number[] = [];
  const entitiesPerCell: number[] = [];
  const playersPerCell: number[] = [];
  const simBase = StatSlot.histSimulate + TICK_BUCKETS_SECONDS.length + 1;
  const repBase = StatSlot.histReplicate + TICK_BUCKETS_SECONDS.length + 1;
  let warm: { sim: Float64Array[]; rep: Float64Array[]; systems: { sum: number; count: number }[]; aoiSum: number; aoiCount: number; frames: number; bytes: number; overruns: number; overrunsPerCell: number[]; at: number; ticks: number } | null = null;
  const deadline = Date.now() + 120_000;
  let measuredRate = 0;
  for (;;) {
    const seen = outs.map((r) => r.signal);
    for (let c = 0; c < 2; c++) drainAndAck(outs[c], gateIn, cellOfConn, seqOfConn, counts);
    for (const r of gateIn) r.flush();
    const tick = Math.min(zone.tickOf(0), zone.tickOf(1));
    if (tick >= warmupTicks && warm === null) {
      warm = {
        sim: stats.map((s) => s.slice(StatSlot.histSimulate, StatSlot.histSimulate + TICK_BUCKETS_SECONDS.length + 3)),
        rep: stats.map((s) => s.slice(StatSlot.histReplicate, StatSlot.histReplicate + TICK_BUCKETS_SECONDS.length + 3)),
        systems: systemSums(stats, zone.systems[0].length),
        aoiSum: stats.reduce((a, s) => a + s[StatSlot.histAoi + AOI_BUCKETS.length + 1], 0),
        aoiCount: stats.reduce((a, s) => a + s[StatSlot.histAoi + AOI_BUCKETS.length + 2], 0),
        frames: counts.frames,
        bytes: counts.bytes,
        overruns: stats.reduce((a, s) => a + s[StatSlot.overruns], 0),
        overrunsPerCell: stats.map((s) => s[StatSlot.overruns]),
        at: performance.now(),
        ticks: tick,
      };
    }
    // Exact per-tick phase times: each tick adds its duration to the
    // histogram's sum; a poll that sees the count move by one sees one tick.
    for (let c = 0; c < 2; c++) {
      const s = stats[c];
      const l = last[c];
      // Counts first, then sums, each read once: observe() adds to the sum
      // before it bumps the count, so a count we see has its sum with it.
      const simCount = s[simBase + 1];
      const repCount = s[repBase + 1];
      const simSum = s[simBase];
      const repSum = s[repBase];
      if (warm && simCount === l.simCount + 1 && repCount === l.repCount + 1 && simSum > l.simSum && repSum > l.repSum) {
        simulateMs.push((simSum - l.simSum) * 1000);
        replicateMs.push((repSum - l.repSum) * 1000);
        entitiesPerCell.push(Atomics.load(views.control, views.cellWord(c, CellControl.entities)));
        playersPerCell.push(Atomics.load(views.control, views.cellWord(c, CellControl.players)));
      }
      l.simCount = simCount;
      l.simSum = simSum;
      l.repCount = repCount;
      l.repSum = repSum;
    }
    if (tick >= warmupTicks + measureTicks) {
      measuredRate = ((tick - warm!.ticks) * 1000) / (performance.now() - warm!.at);
      break;
    }
    if (Date.now() > deadline) throw new Error('zone run did not finish');
    // Sleep until a cell publishes frames (it notifies after replicate).
    await Promise.race(outs.map((r, i) => r.waitAsync(seen[i], 100) ?? Promise.resolve()));
  }
  const hist = (key: 'sim' | 'rep', base: number) => {
    const words = TICK_BUCKETS_SECONDS.length + 3;
    const merged = new Float64Array(words);
    for (let c = 0; c < 2; c++) for (let i = 0; i < words; i++) merged[i] += stats[c][base + i] - warm![key][c][i];
    return readHistogram(merged, 0, TICK_BUCKETS_SECONDS);
  };
  const hs = hist('sim', StatSlot.histSimulate);
  const hr = hist('rep', StatSlot.histReplicate);
  const aoiSum = stats.reduce((a, s) => a + s[StatSlot.histAoi + AOI_BUCKETS.length + 1], 0) - warm!.aoiSum;
  const aoiCount = stats.reduce((a, s) => a + s[StatSlot.histAoi + AOI_BUCKETS.length + 2], 0) - warm!.aoiCount;
  const result: ZoneRun = {
    simulateMs,
    replicateMs,
    entitiesPerCell,
    playersPerCell,
    avgView: aoiSum / aoiCount,
    histP50SimulateMs: histogramQuantile(hs, TICK_BUCKETS_SECONDS, 0.5) * 1000,
    histP99SimulateMs: histogramQuantile(hs, TICK_BUCKETS_SECONDS, 0.99) * 1000,
    histP50ReplicateMs: histogramQuantile(hr, TICK_BUCKETS_SECONDS, 0.5) * 1000,
    histP99ReplicateMs: histogramQuantile(hr, TICK_BUCKETS_SECONDS, 0.99) * 1000,
    framesDropped: stats.reduce((a, s) => a + s[StatSlot.framesDropped], 0),
    overruns: stats.reduce((a, s) => a + s[StatSlot.overruns], 0) - warm!.overruns,
    overrunsPerCell: stats.map((s, c) => s[StatSlot.overruns] - warm!.overrunsPerCell[c]),
    tickRate: measuredRate,
    // Each system's mean time per run (both cells), over the measured ticks: where a phase's time goes.
    systemUs: Object.fromEntries(
      systemSums(stats, zone.systems[0].length).map((x, i) => [zone.systems[0][i], (1e6 * (x.sum - warm!.systems[i].sum)) / Math.max(1, x.count - warm!.systems[i].count)]),
    ),
    snapshotBytesAvg: (counts.bytes - warm!.bytes) / Math.max(1, counts.frames - warm!.frames),
  };
  await sup.stop();
  return result;
}

/** Sum and count of each system's tick-time histogram, added over the cells. */
function systemSums(stats: Float64Array[], n: number): { sum: number; count: number }[] {
  const out: { sum: number; count: number }[] = [];
  const at = TICK_BUCKETS_SECONDS.length + 1;
  for (let i = 0; i < n; i++) {
    const base = systemHistogram(i);
    out.push({ sum: stats.reduce((a, s) => a + s[base + at], 0), count: stats.reduce((a, s) => a + s[base + at + 1], 0) });
  }
  return out;
}

async function benchZone() {
  const runs: ZoneRun[] = [];
  for (let r = 0; r < 3; r++) {
    runs.push(await zoneRun(60, 240, 1 + r));
    process.stdout.write('.');
  }
  const sim = runs.flatMap((r) => r.simulateMs);
  const rep = runs.flatMap((r) => r.replicateMs);
  const simPerEntityUs = runs.flatMap((r) => r.simulateMs.map((ms, i) => (ms * 1000) / r.entitiesPerCell[i]));
  const repPerPlayerUs = runs.flatMap((r) => r.replicateMs.map((ms, i) => (ms * 1000) / Math.max(1, r.playersPerCell[i])));
  const repPerViewedNs = runs.flatMap((r) => r.replicateMs.map((ms, i) => (ms * 1e6) / Math.max(1, r.playersPerCell[i] * r.avgView)));
  const perRunMedian = (f: (r: ZoneRun) => number[]) => runs.map((r) => round(median(f(r)), 3));
  return {
    setup: {
      zone: `${ZONE_W}x${ZONE_H} units, ${AOI}-unit AOI tiles, 2x1 cells (2 worker threads), ${TICK_HZ} Hz ticks, ${SEND_HZ} Hz snapshots`,
      players: PLAYERS,
      npcs: NPCS,
      entities: PLAYERS + NPCS,
      runs: runs.length,
      measuredTicksPerRun: 240,
      avgEntitiesInView: round(median(runs.map((r) => r.avgView)), 1),
      note: 'per-tick phase times of each cell, read exactly from the shared histogram sums; players ack every snapshot with an input, as clients do',
    },
    simulateMsPerCellTick: summary(sim),
    replicateMsPerCellTick: summary(rep),
    simulateUsPerEntity: summary(simPerEntityUs, 4),
    replicateUsPerPlayer: summary(repPerPlayerUs, 3),
    replicateNsPerViewedEntity: summary(repPerViewedNs, 1),
    perRunMedianSimulateMs: perRunMedian((r) => r.simulateMs),
    perRunMedianReplicateMs: perRunMedian((r) => r.replicateMs),
    histogramEstimates: runs.map((r) => ({
      simulateP50Ms: round(r.histP50SimulateMs),
      simulateP99Ms: round(r.histP99SimulateMs),
      replicateP50Ms: round(r.histP50ReplicateMs),
      replicateP99Ms: round(r.histP99ReplicateMs),
    })),
    systemUsPerRun: Object.fromEntries(Object.keys(runs[0].systemUs).map((k) => [k, median(runs.map((r) => round(r.systemUs[k], 1)))])),
    snapshotBytesAvg: round(median(runs.map((r) => r.snapshotBytesAvg)), 1),
    framesDropped: runs.reduce((a, r) => a + r.framesDropped, 0),
    overrunsWhileMeasured: runs.reduce((a, r) => a + r.overruns, 0),
    overrunsPerCellPerRun: runs.map((r) => r.overrunsPerCell),
    cellTicksMeasured: sim.length,
    achievedTickHz: runs.map((r) => round(r.tickRate, 2)),
  };
}

/**
 * The crowded case: every player sees the view cap (Limits.maxViewEntities),
 * so each frame gathers, trims, sorts and diffs a full view. Only cell 0
 * holds players; its replicate time per player is the figure.
 */
async function benchCrowd() {
  const runs: ZoneRun[] = [];
  for (let r = 0; r < 3; r++) {
    runs.push(await zoneRun(60, 240, 11 + r, CROWD));
    process.stdout.write('.');
  }
  const rep = runs.flatMap((r) => r.replicateMs.filter((_, i) => r.playersPerCell[i] > 0));
  const repPerPlayerUs = runs.flatMap((r) => r.replicateMs.flatMap((ms, i) => (r.playersPerCell[i] > 0 ? [(ms * 1000) / r.playersPerCell[i]] : [])));
  return {
    setup: {
      zone: `${ZONE_W}x${ZONE_H} units, ${AOI}-unit AOI tiles, 2x1 cells, ${TICK_HZ} Hz ticks, ${SEND_HZ} Hz snapshots`,
      players: CROWD.players,
      crowd: `every player joins in a ${CROWD.crowdSide}-unit square in cell 0`,
      npcs: CROWD.npcs,
      runs: runs.length,
      measuredTicksPerRun: 240,
      avgEntitiesInView: round(median(runs.map((r) => r.avgView)), 1),
    },
    replicateMsPerCellTick: summary(rep),
    replicateUsPerPlayer: summary(repPerPlayerUs, 3),
    replicateNsPerViewedEntity: summary(
      runs.flatMap((r) => r.replicateMs.flatMap((ms, i) => (r.playersPerCell[i] > 0 ? [(ms * 1e6) / (r.playersPerCell[i] * r.avgView)] : []))),
      1,
    ),
    systemUsPerRun: Object.fromEntries(Object.keys(runs[0].systemUs).map((k) => [k, median(runs.map((r) => round(r.systemUs[k], 1)))])),
    snapshotBytesAvg: round(median(runs.map((r) => r.snapshotBytesAvg)), 1),
    framesDropped: runs.reduce((a, r) => a + r.framesDropped, 0),
  };
}

// ---- (b) bytes allocated per tick in steady state ------------------------------

/** Heap growth of `fn` over a window in which no GC ran, or null when one did. */
function allocatedBytes(fn: () => void): number | null {
  const prof = new v8.GCProfiler();
  prof.start();
  const before = v8.getHeapStatistics().used_heap_size;
  fn();
  const after = v8.getHeapStatistics().used_heap_size;
  const gcs = prof.stop().statistics.length;
  return gcs === 0 ? after - before : null;
}

/** Median bytes per window over GC-free windows, minus an empty window's overhead. */
function bytesPerWindow(fn: () => void, windows: number): { median: number; p99: number; windows: number; discarded: number } {
  const overhead: number[] = [];
  for (let i = 0; i < 20; i++) {
    const b = allocatedBytes(() => {});
    if (b !== null) overhead.push(b);
  }
  const base = median(overhead);
  const xs: number[] = [];
  let discarded = 0;
  for (let i = 0; i < windows; i++) {
    const b = allocatedBytes(fn);
    if (b === null) discarded++;
    else xs.push(Math.max(0, b - base));
  }
  return { median: median(xs), p99: p99(xs), windows: xs.length, discarded };
}

function allocCell(players: number, npcs: number, width: number, height: number) {
  const spec: ZoneSpec = { id: 1, name: 'alloc', width, height, aoiTile: AOI, cellCols: 1, cellRows: 1, capacity: players + npcs + 16, tickHz: TICK_HZ, sendHz: SEND_HZ };
  const init = allocateZoneMemory(spec, generateZonePack(spec.name, width, height, 7));
  const rt = new CellRuntime({ zone: init, cell: 0, wanderers: npcs, seed: 3 });
  const gateIn = [rt.views.gateToCell(0)];
  const out = rt.views.cellToGate(0);
  const cellOfConn = new Int32Array(players + 1);
  const seqOfConn = new Uint32Array(players + 1);
  const rnd = mulberry32(9);
  for (let conn = 1; conn <= players; conn++) writeJoin(gateIn[0], conn, 2 + rnd() * (width - 4), 2 + rnd() * (height - 4));
  gateIn[0].flush();
  const counts = { frames: 0, bytes: 0 };
  const tick = () => {
    rt.runTick();
    drainAndAck(out, gateIn, cellOfConn, seqOfConn, counts);
    gateIn[0].flush();
  };
  return { rt, tick };
}

function benchAllocation() {
  const configs = [
    { players: 0, npcs: 10_000, width: 1024, height: 768 },
    { players: 250, npcs: 2250, width: 512, height: 384 },
    { players: 1000, npcs: 9000, width: 1024, height: 768 },
  ];
  const ticksPerWindow = 20;
  const cells = configs.map((c) => {
    const { rt, tick } = allocCell(c.players, c.npcs, c.width, c.height);
    for (let i = 0; i < 300; i++) tick(); // warm up: JIT, first full snapshots, history tables grown
    const w = bytesPerWindow(() => {
      for (let i = 0; i < ticksPerWindow; i++) tick();
    }, 25);
    // The same cell's phase times, one thread, no barrier partner: exact per tick from the stat sums.
    const s = rt.views.stats(0);
    const simSum = StatSlot.histSimulate + TICK_BUCKETS_SECONDS.length + 1;
    const repSum = StatSlot.histReplicate + TICK_BUCKETS_SECONDS.length + 1;
    const sim: number[] = [];
    const rep: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s0 = s[simSum];
      const r0 = s[repSum];
      tick();
      sim.push((s[simSum] - s0) * 1000);
      rep.push((s[repSum] - r0) * 1000);
    }
    const entities = c.players + c.npcs;
    return {
      entities,
      players: c.players,
      inThreadSimulateMs: summary(sim),
      inThreadReplicateMs: summary(rep),
      inThreadReplicateUsPerPlayer: c.players ? round((median(rep) * 1000) / c.players, 2) : null,
      inThreadSimulateUsPerEntity: round((median(sim) * 1000) / entities, 3),
      bytesPerTick: { median: round(w.median / ticksPerWindow, 1), p99: round(w.p99 / ticksPerWindow, 1) },
      bytesPerTickPerEntity: round(w.median / ticksPerWindow / entities, 4),
      bytesPerTickPerPlayer: c.players ? round(w.median / ticksPerWindow / c.players, 2) : null,
      gcFreeWindows: w.windows,
      windowsDiscardedForGc: w.discarded,
    };
  });
  const [, small, large] = cells;
  const marginalPerEntity = (large.bytesPerTick.median - small.bytesPerTick.median) / (large.entities - small.entities);

  // The codec alone: encode a delta of 30 moving entities, decode it in a ClientView.
  const base = new ViewTable(64);
  const cur = new ViewTable(64);
  fillTable(base, 30, 0, 1);
  fillTable(cur, 30, 3, 2);
  const buf = new Uint8Array(maxSnapshotBytes(Limits.maxViewEntities));
  const w = new Writer();
  const view = new ClientView();
  view.apply(frameOf(w, buf, 1, null, base));
  let tickNo = 1;
  // Views of the frame buffer by length, made once (a subarray per frame would be the bench's own garbage).
  const frames: Uint8Array[] = [];
  const frameView = (len: number): Uint8Array => (frames[len] ??= buf.subarray(0, len));
  const step = () => {
    tickNo++;
    // alternate states so every frame is a real delta against the previous one
    const c = tickNo % 2 ? base : cur;
    c.tick = tickNo;
    w.reset(buf);
    encodeSnapshot(w, tickNo, view.current, c, tickNo, 1);
    view.apply(frameView(w.length));
  };
  for (let i = 0; i < 2000; i++) step();
  const codecWindow = bytesPerWindow(() => {
    for (let i = 0; i < 1000; i++) step();
  }, 25);
  return {
    setup: 'CellRuntime in this thread (1x1 zone, ~30 entities per view), acked every tick; heap growth over 20-tick windows in which v8.GCProfiler saw no collection, minus an empty window',
    cells,
    marginalBytesPerTickPerEntity: round(marginalPerEntity, 4),
    note: 'NPC-only cells allocate a constant ~1 KB per tick (closures and timers of runTick); the per-tick garbage scales with players, not entities',
    codecBytesPerSnapshot: { median: round(codecWindow.median / 1000, 2), p99: round(codecWindow.p99 / 1000, 2), note: 'encodeSnapshot + ClientView.apply of a 30-entity delta' },
  };
}

// ---- (c) ring throughput between two workers ------------------------------------

interface RingWorkerData {
  role: 'producer' | 'consumer';
  ring: SharedArrayBuffer;
  ctl: SharedArrayBuffer;
  count: number;
  size: number;
}
/** Control words of the ring benchmark. */
const RingCtl = { go: 0, progress: 1, words: 2 } as const;

function ringWorker(d: RingWorkerData): void {
  const ring = new Ring(d.ring);
  const ctl = new Int32Array(d.ctl);
  // Park until the main thread says go (after both workers are up).
  while (Atomics.load(ctl, RingCtl.go) === 0) Atomics.wait(ctl, RingCtl.go, 0, 100);
  let checksum = 0;
  if (d.role === 'producer') {
    for (let i = 0; i < d.count; i++) {
      let at = ring.reserve(d.size);
      while (at < 0) {
        // Progress is read before retrying, so a done() in between is not missed.
        const seen = Atomics.load(ctl, RingCtl.progress);
        ring.flush();
        ring.notify();
        at = ring.reserve(d.size);
        if (at < 0) Atomics.wait(ctl, RingCtl.progress, seen, 5);
      }
      ring.view.setUint32(at, i, true);
      ring.commit(d.size);
      if ((i & 63) === 63) {
        ring.flush();
        ring.notify();
      }
    }
    ring.flush();
    ring.notify();
  } else {
    let got = 0;
    while (got < d.count) {
      const seen = ring.signal;
      let n = 0;
      for (let at = ring.peek(); at >= 0; at = ring.peek()) {
        checksum = (checksum + ring.view.getUint32(at, true)) | 0;
        ring.release();
        got++;
        if (++n === 256) break;
      }
      if (n > 0) {
        ring.done();
        Atomics.add(ctl, RingCtl.progress, 1);
        Atomics.notify(ctl, RingCtl.progress);
      } else {
        ring.wait(seen, 5);
      }
    }
  }
  parentPort!.postMessage({ checksum });
}

async function ringRun(size: number, count: number): Promise<number> {
  const ring = Ring.create(1 << 20);
  const ctl = new Int32Array(new SharedArrayBuffer(RingCtl.words * 4));
  const start = (role: RingWorkerData['role']) =>
    new Worker(new URL(import.meta.url), { workerData: { role, ring: ring.buffer, ctl: ctl.buffer, count, size } satisfies RingWorkerData });
  const workers = [start('producer'), start('consumer')];
  const online = workers.map((w) => new Promise((r) => w.once('online', r)));
  await Promise.all(online);
  await new Promise((r) => setTimeout(r, 50));
  const done = new Promise<{ checksum: number }>((resolve, reject) => {
    workers[1].once('message', resolve);
    workers[1].once('error', reject);
  });
  const t0 = performance.now();
  Atomics.store(ctl, RingCtl.go, 1);
  Atomics.notify(ctl, RingCtl.go);
  const { checksum } = await done;
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(workers.map((w) => w.terminate()));
  let want = 0;
  for (let i = 0; i < count; i++) want = (want + i) | 0;
  if (checksum !== want) throw new Error(`ring benchmark lost or corrupted messages (${size} bytes)`);
  return count / seconds;
}

async function benchRing() {
  const out: Record<string, unknown> = {};
  for (const [size, count] of [
    [32, 4_000_000],
    [256, 2_000_000],
  ] as const) {
    const rates: number[] = [];
    for (let r = 0; r < 5; r++) rates.push(await ringRun(size, count));
    out[`${size}B`] = {
      messagesPerSecond: { median: Math.round(median(rates)), min: Math.round(Math.min(...rates)), max: Math.round(Math.max(...rates)) },
      megabytesPerSecond: round((median(rates) * size) / 1e6, 1),
      runs: rates.length,
      messagesPerRun: count,
    };
    process.stdout.write('.');
  }
  return { setup: '1 MiB ring, producer and consumer workers, flush+notify every 64 messages, consumer hands space back every 256; each message carries a u32 sequence (summed and checked), the rest of its payload is not touched, so this is the ring mechanics, not memcpy', ...out };
}

// ---- (d) snapshot encode / decode per entity --------------------------------------

function fillTable(t: ViewTable, n: number, move: number, tick: number): void {
  t.ensure(n);
  for (let i = 0; i < n; i++) {
    t.ids[i] = (i * 7 + 3) | (1 << 20);
    t.kind[i] = i % 7 === 0 ? 1 : 2;
    t.template[i] = i % 13;
    t.x[i] = 1000 + i * 37 + move * ((i % 5) - 2);
    t.y[i] = 2000 + i * 11 + move * ((i % 3) - 1);
    t.hp[i] = 50 + (move && i % 9 === 0 ? 1 : 0);
    t.maxHp[i] = 50;
    t.level[i] = 1;
    t.flags[i] = move ? 1 : 0;
  }
  t.count = n;
  t.tick = tick;
}

function frameOf(w: Writer, buf: Uint8Array, tick: number, base: ViewTable | null, cur: ViewTable): Uint8Array {
  w.reset(buf);
  encodeSnapshot(w, tick, base, cur, 0, 1);
  return buf.subarray(0, w.length);
}

function benchCodec() {
  const w = new Writer();
  const buf = new Uint8Array(maxSnapshotBytes(Limits.maxViewEntities));
  const result: Record<string, unknown> = {};
  for (const n of [30, Limits.maxViewEntities]) {
    const base = new ViewTable(n);
    const cur = new ViewTable(n);
    fillTable(base, n, 0, 1);
    fillTable(cur, n, 3, 2);
    const fullBytes = frameOf(w, buf, 1, null, base).length;
    const deltaBytes = frameOf(w, buf, 2, base, cur).length;
    const batch = Math.max(200, Math.round(60_000 / n));
    const time = (fn: () => void) => {
      const xs: number[] = [];
      for (let rep = 0; rep < 60; rep++) {
        const t0 = performance.now();
        for (let i = 0; i < batch; i++) fn();
        xs.push(((performance.now() - t0) * 1e6) / batch / n);
      }
      return summary(xs.slice(10), 2); // first batches warm the JIT
    };
    const encFull = time(() => frameOf(w, buf, 1, null, base));
    const encDelta = time(() => frameOf(w, buf, 2, base, cur));
    // Decoding, as ClientView.apply does it, minus its history bookkeeping:
    // the body against the baseline, into a reused table.
    const fullFrame = frameOf(w, buf, 1, null, base).slice();
    const deltaFrame = frameOf(w, buf, 2, base, cur).slice();
    const r = new Reader();
    const out = new ViewTable(n);
    const header = { tick: 0, baseTick: 0, lastInputSeq: 0, you: 0 };
    const resolve = (tick: number) => (tick === 0 ? null : base);
    const decode = (frame: Uint8Array) => {
      r.reset(frame).u8();
      decodeSnapshotBody(r, resolve, out, header);
    };
    const decFull = time(() => decode(fullFrame));
    const decDelta = time(() => decode(deltaFrame));
    if (out.count !== n || out.x[n - 1] !== cur.x[n - 1]) throw new Error('codec benchmark decoded the wrong state');
    result[`${n}entities`] = {
      fullBytes,
      deltaBytes,
      encodeFullNsPerEntity: encFull,
      encodeDeltaNsPerEntity: encDelta,
      decodeFullNsPerEntity: decFull,
      decodeDeltaNsPerEntity: decDelta,
    };
  }
  return { setup: 'in-thread; delta = every entity moved a few quanta, some hp and flags changed; ns per entity per frame over 50 batches', ...result };
}

// ---- main -------------------------------------------------------------------------

async function main() {
  const date = new Date().toISOString();
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date,
    // Which code the figures are of (a dirty tree says so).
    commit: commitOf(),
    // The box is shared: its load when the run began says how noisy the figures are.
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
    tickHz: TICK_HZ,
    sendHz: SEND_HZ,
  };
  console.log(`core benchmark on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}`);
  // `npm run bench:core -- codec ring` runs only those parts.
  const only = process.argv.slice(2);
  const want = (part: string) => only.length === 0 || only.includes(part);
  const results: Record<string, unknown> = { machine };
  for (const [part, run] of [
    ['zone', benchZone],
    ['crowd', benchCrowd],
    ['allocation', benchAllocation],
    ['ring', benchRing],
    ['codec', benchCodec],
  ] as const) {
    if (!want(part)) continue;
    process.stdout.write(`${part} `);
    results[part] = await run();
  }
  console.log();
  (results.machine as Record<string, unknown>).loadAverageAtEnd = os.loadavg().map((x) => round(x, 2));
  console.log(JSON.stringify(results, null, 2));
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const rates = TICK_HZ === 20 && SEND_HZ === 20 ? '' : `-tick${TICK_HZ}-send${SEND_HZ}`;
  const file = new URL(`core-${date.replace(/[:.]/g, '-')}${rates}.json`, dir);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`written ${file.pathname}`);
}

if (isMainThread) {
  await main();
} else {
  ringWorker(workerData as RingWorkerData);
}
