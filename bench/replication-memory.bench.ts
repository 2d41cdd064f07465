/**
 * Replication memory (`npm run bench:replication-memory`): what the snapshot
 * rate apart from the tick rate costs in memory.
 *
 *   - the shared combat and say logs per cell, which keep a window of ticks
 *     (twice the longest paced interval) instead of one;
 *   - a player's baselines on the server (up to baselinesPerClient views of
 *     ids and references into the cell's shared entity rows) and a client's
 *     history (ClientView), measured as heap plus ArrayBuffer growth over
 *     many of them, views of ~30 entities (the load benchmark's) and of 256
 *     (a crowd at maxViewEntities);
 *   - the shared entity rows of a cell (workers/entity-rows.ts) as they grow
 *     for a thousand moving entities under clients whose acks lag 4, 15 and
 *     128 ticks, per player of the cell.
 *
 * Prints a table and writes bench/results/replication-memory-<ISO date>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { ClientView } from '../src/protocol/client-view.ts';
import { ViewHistory, type ViewTable } from '../src/protocol/view-table.ts';
import { CombatLogHeader, CombatLogRecord, COMBAT_LOG_CAPACITY, combatLogCellWords, SAY_LOG_CAPACITY, sayLogCellWords, SayLogHeader, SayLogRecord } from '../src/shared/layout.ts';
import { baselinesPerClient, logWindowTicks, sendInterval } from '../src/shared/send-rate.ts';
import { ZoneGeometry } from '../src/shared/zone-geometry.ts';
import { PlayerState } from '../src/workers/player-state.ts';
import type { BaselineHistory } from '../src/workers/baselines.ts';
import { EntityRows } from '../src/workers/entity-rows.ts';
import { DEFAULT_SCHEMA } from '../src/protocol/fields.ts';

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function gc(): void {
  // Several passes: a typed array's backing store goes with a later one.
  for (let i = 0; i < 4; i++) (globalThis as { gc?: () => void }).gc?.();
}

function used(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Bytes per player of `make()` over `n` of them, each view filled with `rows` rows in every table. */
function perItem<T>(n: number, make: () => T, fill: (x: T) => void): number {
  const keep: T[] = [];
  const before = used();
  for (let i = 0; i < n; i++) {
    const x = make();
    fill(x);
    keep.push(x);
  }
  const after = used();
  if (keep.length !== n) throw new Error('lost items');
  return (after - before) / n;
}

/** Claims `n` views of `rows` rows (none acknowledged: a history holds as many as it may). */
function fillHistory(h: { claim(tick: number): ViewTable }, rows: number, n: number): void {
  for (let k = 0; k < n; k++) {
    const t = h.claim(k + 1);
    t.ensure(rows);
    for (let i = 0; i < rows; i++) t.ids[i] = i + 1;
    t.count = rows;
  }
}

/**
 * The same for a server's baselines, whose views share one table
 * (workers/baselines.ts); `rows` 0: views of 20 to 45 rows, as the load
 * bench's at 2,000 players (33 on average), in a fixed order.
 */
function fillBaselines(h: BaselineHistory, rows: number, n: number): void {
  for (let k = 0; k < n; k++) {
    const count = rows > 0 ? rows : 20 + ((k * 7) % 26);
    const t = h.claim(k + 1, 0, count);
    for (let i = 0; i < count; i++) h.slab.ids[t.row + i] = i + 1;
    t.count = count;
  }
}

/**
 * A cell's shared entity rows after `ticks` ticks of `players` viewers, each
 * seeing 30 of `entities` entities that all move every tick (the load bench's
 * wandering bots), the clients' acks `lag` ticks behind (the rows of the view
 * of `lag` ticks ago kept with need(), as the replicator does).
 */
function sharedRows(entities: number, players: number, lag: number, ticks: number): { rows: number; bytes: number; bytesPerPlayer: number } {
  const schema = DEFAULT_SCHEMA;
  const x = new Float32Array(entities);
  const from = schema.fields.map((f) => (f.name === 'x' ? x : new Float32Array(entities)));
  const rows = new EntityRows(schema, 4);
  const slots = new Int32Array(30);
  const ids = new Uint32Array(30);
  const out = new Uint32Array(30);
  // Per player, the oldest reference of each of its last `lag` + 1 views.
  const oldest = new Uint32Array(players * (lag + 1));
  for (let tick = 1; tick <= ticks; tick++) {
    for (let e = 0; e < entities; e++) x[e] = tick + e;
    for (let p = 0; p < players; p++) {
      for (let i = 0; i < 30; i++) {
        slots[i] = (p + i * 7) % entities;
        ids[i] = slots[i] + 1;
      }
      oldest[p * (lag + 1) + (tick % (lag + 1))] = rows.refs(from, slots, ids, 30, tick, out, 0);
      // The oldest view it may still acknowledge: the one of `lag` ticks ago (the first, before that).
      rows.need(oldest[p * (lag + 1) + (Math.max(1, tick - lag) % (lag + 1))]);
    }
  }
  const bytes = rows.capacity * schema.rowBytes;
  return { rows: rows.capacity, bytes, bytesPerPlayer: Math.round(bytes / players) };
}

function main(): void {
  if (!(globalThis as { gc?: unknown }).gc) console.warn('run with --expose-gc for exact figures (npm run bench:replication-memory does)');
  // The default zone: 256×256 units, 16-unit AOI tiles, 2×1 cells.
  const g = new ZoneGeometry({ width: 256, height: 256, aoiTile: 16, cellCols: 2, cellRows: 1 });
  const oldCombat = (CombatLogHeader.words + 2 * g.tileCount + COMBAT_LOG_CAPACITY * CombatLogRecord.words) * 4;
  const oldSay = (SayLogHeader.words + SAY_LOG_CAPACITY * SayLogRecord.words) * 4;
  const logs = [
    [20, 20],
    [60, 20],
    [60, 60],
    [30, 20],
  ].map(([tickHz, sendHz]) => {
    const window = logWindowTicks(sendInterval(tickHz, sendHz));
    return {
      tickHz,
      sendHz,
      windowTicks: window,
      combatLogBytesPerCell: combatLogCellWords(g.tileCount, window) * 4,
      sayLogBytesPerCell: sayLogCellWords(window) * 4,
      baselinesPerClient: baselinesPerClient(tickHz, sendHz),
    };
  });
  const N = 2000;
  // Before: 10 views, all allocated up front (a ring of ViewTables).
  const before = [30, 256].map((rows) => ({
    baselines: 10,
    held: 10,
    rowsPerView: rows,
    bytesPerPlayer: Math.round(perItem(N / (rows > 100 ? 4 : 1), () => new ViewHistory(10, 32), (h) => fillHistory(h, rows, 10))),
  }));
  // Now: up to `baselines`, held as the lag needs: a prompt client (acks within ~4 frames), a lagging one (all of them);
  // the rows the views refer to are the cell's (entityRows below), shared by every player there.
  const shared = new EntityRows();
  const baselines = [32].flatMap((count) =>
    [4, 8, count].flatMap((held) =>
      [30, 256, 0].map((rows) => ({
        baselines: count,
        held,
        rowsPerView: rows > 0 ? String(rows) : '20-45',
        bytesPerPlayer: Math.round(perItem(N / (rows > 100 ? 4 : 1), () => new PlayerState(1, 1, 1, shared, count), (p) => fillBaselines(p.history, rows, held))),
      })),
    ),
  );
  const entityRows = [4, 15, 128].map((lag) => ({ entities: 1000, players: 1000, ackLagTicks: lag, ...sharedRows(1000, 1000, lag, 200) }));
  const clients = [16, 32].map((size) => ({
    states: size,
    rowsPerView: 30,
    bytesPerClient: Math.round(perItem(N / 4, () => new ClientView(size), (v) => fillHistory(v.history, 30, size))),
  }));
  const results = {
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, date: new Date().toISOString(), loadAverage: os.loadavg().map((x) => round(x, 2)) },
    zone: '256x256 units, 16-unit AOI tiles (256 tiles), 2x1 cells',
    logsBefore: { combatLogBytesPerCell: oldCombat, sayLogBytesPerCell: oldSay, windowTicks: 1 },
    logs,
    baselinesBefore: before,
    baselines,
    entityRows,
    clients,
  };
  console.log(JSON.stringify(results, null, 2));
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`replication-memory-${results.machine.date.replace(/[:.]/g, '-')}.json`, dir);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`written ${file.pathname}`);
}

main();
