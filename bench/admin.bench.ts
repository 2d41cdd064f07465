/**
 * Operator console benchmark (`npm run bench:admin`): the cost of one live
 * refresh of the console on the coordinator's event loop at 2,000 players
 * online: LiveViews.build (walk the gate's connections, read each player's
 * entity from the shared store, count per zone and cell, read the cells'
 * stat slots) plus JSON.stringify of the answer, for the console's usual
 * query (first 100 players), a name filter, and the largest page (500).
 * The zone is real shared memory (a 2x1 zone's store and stat slots) with
 * 2,000 published player entities; the connections are the gate's own
 * Connection objects over a stand-in socket (no cells run: a refresh reads
 * only memory). Prints medians and p99s and writes bench/results/admin-*.json.
 */
import { pino } from 'pino';
import type { WebSocket } from 'ws';
import { generateZonePack } from '../src/content/map-generate.ts';
import { LiveViews, type LiveQuery } from '../src/main/admin/live-view.ts';
import { Connection } from '../src/main/gate/connection.ts';
import type { Gate } from '../src/main/gate/gate.ts';
import { GateOperator } from '../src/main/gate/operator.ts';
import { ZoneHandle } from '../src/main/zones/supervisor.ts';
import { EntityKind } from '../src/shared/layout.ts';
import { indexOf } from '../src/shared/entity-store.ts';
import type { ZoneSpec } from '../src/shared/zone-memory.ts';
import { machine, round, summary, writeResults } from './lib/stats.ts';

const PLAYERS = Number(process.env.PLAYERS ?? 2000);
const RUNS = Number(process.env.RUNS ?? 400);

const spec: ZoneSpec = { id: 1, name: 'meadow', width: 256, height: 256, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: 8192, tickHz: 20 };
const zone = new ZoneHandle({ spec, map: generateZonePack(spec.name, spec.width, spec.height, 7, 0.04) });
zone.health.fill('running');
const store = zone.views.store;
const log = pino({ level: 'silent' });
const socket = { bufferedAmount: 0 } as unknown as WebSocket;
const connections = new Map<number, Connection>();
for (let i = 1; i <= PLAYERS; i++) {
  const handle = store.allocate();
  const slot = indexOf(handle);
  store.f.kind[slot] = EntityKind.PLAYER;
  store.f.x[slot] = (i * 7.3) % 256;
  store.f.y[slot] = (i * 3.1) % 256;
  store.f.level[slot] = 1 + (i % 30);
  store.publish(handle);
  const c = new Connection(i, socket, '127.0.0.1', log);
  c.phase = 'playing';
  c.handle = handle;
  c.name = `bot-${i}`;
  c.characterId = i;
  c.cell = store.f.x[slot] < 128 ? 0 : 1;
  c.bytesIn = 1000 * i;
  c.bytesOut = 50_000 * i;
  c.rttMs = i % 40;
  connections.set(i, c);
}
// A refresh reads only the gate's connections and the zone's memory: the gate itself is not needed.
const op = new GateOperator(undefined as unknown as Gate, [zone]);
const live = new LiveViews([zone], () => connections.values(), op);

function measure(q: LiveQuery): { buildMs: ReturnType<typeof summary>; withJsonMs: ReturnType<typeof summary>; bytes: number } {
  for (let i = 0; i < 50; i++) JSON.stringify(live.build(q));
  const build: number[] = [];
  const total: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const v = live.build(q);
    const t1 = performance.now();
    const text = JSON.stringify(v);
    const t2 = performance.now();
    build.push(t1 - t0);
    total.push(t2 - t0);
    bytes = Buffer.byteLength(text);
  }
  return { buildMs: summary(build, 4), withJsonMs: summary(total, 4), bytes };
}

const m = machine();
const results = {
  players: PLAYERS,
  runs: RUNS,
  firstHundred: measure({ limit: 100 }),
  nameFilter: measure({ name: 'bot-19', limit: 100 }),
  largestPage: measure({ limit: 500 }),
};
m.finish();
console.log(`one console refresh at ${PLAYERS} players online (coordinator event loop, ms):`);
for (const [k, r] of Object.entries(results)) {
  if (typeof r !== 'object') continue;
  console.log(`  ${k.padEnd(12)} build median ${r.buildMs.median} p99 ${r.buildMs.p99}; with JSON median ${r.withJsonMs.median} p99 ${r.withJsonMs.p99}; ${round(r.bytes / 1024, 1)} KiB`);
}
console.log(`  at 4 refreshes a second per open console: ${round(results.firstHundred.withJsonMs.median * 4 / 10, 3)}% of one core`);
writeResults('admin', m.date, { machine: m, ...results });
