/**
 * Metrics benchmark (issue 5): the cost of one /metrics scrape with 2,000
 * players online, and the cells' tick cost with scraping on vs off.
 *
 *   node_modules/.bin/node bench/metrics.bench.ts
 *
 * Load: one zone of 256x256 units in 2 cells (the default layout), 100
 * wandering NPCs and 2,000 players joined through the gate rings by a
 * stand-in gate (test/main/metrics/fake-gate.ts) that steers every player
 * once a second and drains the cells' outbound frames, so the cells simulate
 * and replicate for 2,000 real players; no sockets (the gate's own cost is
 * not the subject here).
 *
 * Tick cost on vs off: alternating windows without scrapes and with a scrape
 * every 100 ms (150 times Prometheus's default 15 s), the tick duration read
 * from the cells' own histogram slots over each window. Writes
 * bench/results/metrics-<date>.json.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { createMetrics } from '../src/main/metrics/registry.ts';
import { PromGateMetrics } from '../src/main/metrics/gate.ts';
import { CellSupervisor } from '../src/main/zones/supervisor.ts';
import { CellControl, StatSlot, TICK_BUCKETS_SECONDS } from '../src/shared/layout.ts';
import { histogramQuantile, readHistogram, type HistogramSnapshot } from '../src/shared/stats.ts';
import { FakeGate } from '../test/main/metrics/fake-gate.ts';
import { silentLog, testZone } from '../test/helpers/zone.ts';

const PLAYERS = 2000;
const SCRAPES = 300;
const WINDOW_MS = 5000;
const WINDOW_PAIRS = 3;
const SCRAPE_EVERY_MS = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const round = (n: number, d = 3) => Number(n.toFixed(d));

const sup = new CellSupervisor(silentLog, 60_000);
const metrics = createMetrics({
  supervisor: sup,
  persistence: { stats: () => ({ saveQueueDepth: 0, saveFailures: 0, savesTotal: 0, loginsOk: 0, loginsFailed: 0 }) },
});
await sup.start([testZone({ name: 'bench', width: 256, height: 256, capacity: 16384, cellCols: 2, cellRows: 1 }, { wanderers: 100 })]);
const zone = sup.zones[0];
const gate = new FakeGate(zone);
let joined = 0;
for (let i = 0; i < 20 && joined < PLAYERS; i++) {
  joined += gate.join(PLAYERS - joined);
  gate.drain();
  await sleep(50);
}
const stopGate = gate.run(5, 1000);
const playersOnline = (): number => {
  let n = 0;
  for (let c = 0; c < zone.views.geometry.cellCount; c++) n += Atomics.load(zone.views.control, zone.views.cellWord(c, CellControl.players));
  return n;
};
// Let every join land and the tick settle (at least 2 s).
for (let i = 0; i < 100; i++) {
  await sleep(100);
  if (playersOnline() >= PLAYERS && i >= 20) break;
}

// ---- 1. one scrape -----------------------------------------------------------
const durations: number[] = [];
let bytes = 0;
for (let i = 0; i < SCRAPES; i++) {
  const t0 = performance.now();
  const text = await metrics.registry.metrics();
  durations.push(performance.now() - t0);
  bytes = text.length;
  await sleep(10);
}
durations.sort((a, b) => a - b);
const lines = (await metrics.registry.metrics()).split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
const scrape = {
  scrapes: SCRAPES,
  medianMs: round(quantile(durations, 0.5)),
  p99Ms: round(quantile(durations, 0.99)),
  maxMs: round(durations[durations.length - 1]),
  bodyBytes: bytes,
  samples: lines,
  playersOnline: playersOnline(),
};
console.log('scrape', scrape);

// ---- 2. tick cost, scraping on vs off ----------------------------------------
const cells = zone.views.geometry.cellCount;
const stats = Array.from({ length: cells }, (_, c) => zone.views.stats(c));
const snap = (): { tick: HistogramSnapshot[]; overruns: number } => ({
  tick: stats.map((s) => readHistogram(s, StatSlot.histTick, TICK_BUCKETS_SECONDS)),
  overruns: stats.reduce((a, s) => a + s[StatSlot.overruns], 0),
});
/** The tick histogram of every cell over a window, merged. */
function windowOf(a: ReturnType<typeof snap>, b: ReturnType<typeof snap>) {
  const cumulative = new Array<number>(TICK_BUCKETS_SECONDS.length + 1).fill(0);
  let sum = 0;
  let count = 0;
  for (let c = 0; c < cells; c++) {
    for (let i = 0; i < cumulative.length; i++) cumulative[i] += b.tick[c].cumulative[i] - a.tick[c].cumulative[i];
    sum += b.tick[c].sum - a.tick[c].sum;
    count += b.tick[c].count - a.tick[c].count;
  }
  return { cumulative, sum, count, overruns: b.overruns - a.overruns };
}
const totals = { off: { sum: 0, count: 0, overruns: 0, cumulative: new Array<number>(TICK_BUCKETS_SECONDS.length + 1).fill(0), scrapes: 0 }, on: { sum: 0, count: 0, overruns: 0, cumulative: new Array<number>(TICK_BUCKETS_SECONDS.length + 1).fill(0), scrapes: 0 } };
for (let pair = 0; pair < WINDOW_PAIRS; pair++) {
  for (const mode of ['off', 'on'] as const) {
    const a = snap();
    const end = performance.now() + WINDOW_MS;
    let scrapes = 0;
    while (performance.now() < end) {
      if (mode === 'on') {
        await metrics.registry.metrics();
        scrapes++;
      }
      await sleep(SCRAPE_EVERY_MS);
    }
    const w = windowOf(a, snap());
    const t = totals[mode];
    t.sum += w.sum;
    t.count += w.count;
    t.overruns += w.overruns;
    t.scrapes += scrapes;
    for (let i = 0; i < t.cumulative.length; i++) t.cumulative[i] += w.cumulative[i];
  }
}
const summary = (t: (typeof totals)['on']) => ({
  ticks: t.count,
  meanTickMs: round((t.sum / t.count) * 1000),
  p99TickMs: round(histogramQuantile({ cumulative: t.cumulative, sum: t.sum, count: t.count }, TICK_BUCKETS_SECONDS, 0.99) * 1000),
  overruns: t.overruns,
  scrapes: t.scrapes,
});
const off = summary(totals.off);
const on = summary(totals.on);
const tick = { windowMs: WINDOW_MS, windowPairs: WINDOW_PAIRS, scrapeEveryMs: SCRAPE_EVERY_MS, off, on, meanRatioOnOverOff: round(on.meanTickMs / off.meanTickMs) };
console.log('tick', tick);

// ---- 3. the gate's per-message counting --------------------------------------
const g = new PromGateMetrics();
const calls = 2_000_000;
const t0 = performance.now();
for (let i = 0; i < calls; i++) g.messageOut('snapshot', 200);
const gateNsPerCall = round(((performance.now() - t0) * 1e6) / calls, 1);
console.log('gate messageOut', gateNsPerCall, 'ns/call');

stopGate();
metrics.close();
await sup.stop();

const date = new Date().toISOString();
const result = {
  bench: 'metrics',
  date,
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version, loadAverageAtEnd: loadavg().map((l) => round(l, 2)) },
  load: { players: PLAYERS, npcs: 100, zone: '256x256 units, 2x1 cells, 20 Hz', gate: 'stand-in (rings only, no sockets)' },
  scrape,
  tick,
  gateMessageOutNsPerCall: gateNsPerCall,
};
// One file per run (date and UTC time): runs on a shared box differ, keep them all.
const file = new URL(`results/metrics-${date.slice(0, 16).replace(':', '')}.json`, import.meta.url);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log('wrote', file.pathname);
process.exit(0);
