/**
 * Content benchmark (`npm run bench:content`): compiling a world with one
 * 1024×1024 Tiled map (bench/content-world.ts) into its build, and loading
 * that build as a start does; also the staleness check `npm start` makes and
 * a cell's decode of its zone pack. Several runs of each; medians and p99
 * (with this few runs, p99 is the slowest run). The compile's parts (read
 * the TMX, derive the zone map, encode the zone pack, the client's map JSON)
 * are timed once per run beside the whole. Writes
 * bench/results/content-<ISO date>.json with the machine and its load.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { clientMapOf } from '../src/content/build/client-map.ts';
import { staleReason } from '../src/content/build/stale.ts';
import { compileContent } from '../src/content/compile.ts';
import { loadWorld } from '../src/content/load-world.ts';
import { decodeZonePack, encodeZonePack } from '../src/content/pack/zone-pack.ts';
import { readTiledMap } from '../src/content/tiled/index.ts';
import { zoneMapOf } from '../src/content/zone-map.ts';
import { writeBigWorld } from './content-world.ts';
import { machine as machineNow, quantile, writeResults } from './lib/stats.ts';

const SIZE = 1024;
const COMPILE_RUNS = Number(process.env.COMPILE_RUNS ?? 9);
const LOAD_RUNS = Number(process.env.LOAD_RUNS ?? 21);

const round = (x: number, d = 1) => Number(x.toFixed(d));
const stats = (xs: number[]) => ({ medianMs: round(quantile(xs, 0.5)), p99Ms: round(quantile(xs, 0.99)), runsMs: xs.map((x) => round(x)) });
function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const out = fn();
  return [out, performance.now() - t0];
}

const machine = machineNow();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);

const root = mkdtempSync(join(os.tmpdir(), 'tessera-content-bench-'));
try {
  const dataDir = join(root, 'data');
  const buildDir = join(root, 'build', 'content');
  const tmxBytes = writeBigWorld(dataDir, SIZE);
  const mapFile = join(dataDir, 'maps/big.tmx');

  const compile: number[] = [];
  const parts = { readTmx: [] as number[], zoneMap: [] as number[], encodePack: [] as number[], clientJson: [] as number[] };
  let hash = '';
  let buildBytes = 0;
  for (let r = 0; r < COMPILE_RUNS; r++) {
    const [res, ms] = timed(() => compileContent({ dataDir, buildDir }));
    if (!res.ok) throw new Error(`the generated world does not compile: ${res.errors[0].message}`);
    compile.push(ms);
    hash = res.hash;
    buildBytes = res.bytes;
    const [tiled, tRead] = timed(() => readTiledMap(mapFile));
    const [zone, tZone] = timed(() => zoneMapOf(tiled));
    const [, tPack] = timed(() => encodeZonePack(zone, 'big'));
    const [, tJson] = timed(() => JSON.stringify(clientMapOf('big', tiled, zone, (i) => ({ path: i.source, width: i.width, height: i.height, transparentColor: '' }))));
    parts.readTmx.push(tRead);
    parts.zoneMap.push(tZone);
    parts.encodePack.push(tPack);
    parts.clientJson.push(tJson);
    console.log(`compile run ${r + 1}: ${round(ms)} ms (read ${round(tRead)}, zone map ${round(tZone)}, pack ${round(tPack)}, client JSON ${round(tJson)})`);
  }

  const load: number[] = [];
  const stale: number[] = [];
  const decode: number[] = [];
  for (let r = 0; r < LOAD_RUNS; r++) {
    const [reason, tStale] = timed(() => staleReason(dataDir, buildDir));
    if (reason !== undefined) throw new Error(`fresh build reported stale: ${reason}`);
    const [world, tLoad] = timed(() => loadWorld(buildDir));
    const [, tDecode] = timed(() => decodeZonePack(new Uint8Array(world.zones[0].pack)));
    stale.push(tStale);
    load.push(tLoad);
    decode.push(tDecode);
  }
  machine.finish();

  const results = {
    machine,
    setup: `one zone on a ${SIZE}x${SIZE} TMX (16-px tiles; ground, decoration and collision layers in base64+zlib; ${(tmxBytes / 1024 / 1024).toFixed(1)} MiB), 890 server objects and 500 client objects, one external tileset with an image; ${COMPILE_RUNS} compiles, ${LOAD_RUNS} loads`,
    build: { hash, bytes: buildBytes, zonePackBytes: statSync(join(buildDir, 'zones/big.tpak')).size },
    compile: stats(compile),
    compileParts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, stats(v)])),
    load: stats(load),
    stalenessCheck: stats(stale),
    cellDecodeZonePack: stats(decode),
  };
  console.log(JSON.stringify({ ...results, compile: { ...results.compile, runsMs: undefined } }, null, 2));
  writeResults('content', machine.date, results);
} finally {
  rmSync(root, { recursive: true, force: true });
}
