/**
 * A* benchmark (`npm run bench:astar`): the cost of one path search on a
 * 1024×1024 generated map (about 20 % of it rock and water in patches), for
 * searches an NPC makes while chasing (goals within 32 tiles) and long ones
 * (anywhere on the map, capped at 20,000 nodes). Per search: time, nodes
 * expanded, nodes per ms; bytes allocated per search after warm-up. Five
 * runs of each; medians and p99 over all searches, and each run's median.
 * Writes bench/results/astar-<ISO date>.json with the machine and its load.
 */
import { Terrain } from '../src/content/map-format.ts';
import { generateMap } from '../src/content/map-generate.ts';
import { mulberry32 } from '../src/shared/random.ts';
import { Pathfinder } from '../src/workers/pathfinding.ts';
import { allocatedBytes, machine as machineNow, quantile, round, writeResults } from './lib/stats.ts';

const SIZE = 1024;
const RUNS = 5;
const SEARCHES = 400;


const map = generateMap(SIZE, SIZE, 11, 0.2);
const walkable: number[] = [];
for (let i = 0; i < map.tiles.length; i++) if (map.tiles[i] === Terrain.GRASS) walkable.push(i);

function pairs(seed: number, near: boolean): Int32Array {
  const rnd = mulberry32(seed);
  const out = new Int32Array(SEARCHES * 4);
  for (let k = 0; k < SEARCHES; k++) {
    const s = walkable[Math.floor(rnd() * walkable.length)];
    const sx = s % SIZE;
    const sy = (s - sx) / SIZE;
    let gx: number;
    let gy: number;
    do {
      if (near) {
        gx = sx + Math.floor(rnd() * 65) - 32;
        gy = sy + Math.floor(rnd() * 65) - 32;
      } else {
        const g = walkable[Math.floor(rnd() * walkable.length)];
        gx = g % SIZE;
        gy = (g - gx) / SIZE;
      }
    } while (gx < 0 || gy < 0 || gx >= SIZE || gy >= SIZE || map.tiles[gy * SIZE + gx] !== Terrain.GRASS);
    out.set([sx, sy, gx, gy], k * 4);
  }
  return out;
}

function run(kind: 'near' | 'far') {
  let found = 0;
  const pf = new Pathfinder(map, (_id, ok) => void (ok && found++), { maxNodes: 20_000, maxPath: 4096 });
  const times: number[] = [];
  const nodes: number[] = [];
  const perRun: number[] = [];
  let straight = 0;
  for (let r = 0; r < RUNS; r++) {
    const p = pairs(1000 + r, kind === 'near');
    const runTimes: number[] = [];
    for (let k = 0; k < SEARCHES; k++) {
      const before = pf.nodesTotal;
      const t0 = performance.now();
      pf.request(k, p[k * 4], p[k * 4 + 1], p[k * 4 + 2], p[k * 4 + 3]);
      pf.step(1 << 30);
      const dt = performance.now() - t0;
      const n = pf.nodesTotal - before;
      if (n === 0) straight++;
      runTimes.push(dt * 1000);
      nodes.push(n);
    }
    times.push(...runTimes);
    perRun.push(round(quantile(runTimes, 0.5), 1));
  }
  const totalMs = times.reduce((a, b) => a + b, 0) / 1000;
  const totalNodes = nodes.reduce((a, b) => a + b, 0);
  return {
    searches: RUNS * SEARCHES,
    found,
    answeredByStraightLine: straight,
    usPerSearch: { median: round(quantile(times, 0.5), 1), p99: round(quantile(times, 0.99), 1), perRunMedians: perRun },
    nodesPerSearch: { median: quantile(nodes, 0.5), p99: quantile(nodes, 0.99) },
    nodesPerMs: Math.round(totalNodes / totalMs),
  };
}

/** Bytes allocated per search after warm-up, over GC-free windows. */
function allocation(): number {
  const pf = new Pathfinder(map, () => {}, { maxNodes: 20_000 });
  const p = pairs(7, true);
  let k = 0;
  const one = () => {
    const i = (k++ % SEARCHES) * 4;
    pf.request(k, p[i], p[i + 1], p[i + 2], p[i + 3]);
    pf.step(1 << 30);
  };
  for (let i = 0; i < 2000; i++) one();
  const xs: number[] = [];
  for (let w = 0; w < 15; w++) {
    const b = allocatedBytes(() => {
      for (let i = 0; i < 200; i++) one();
    });
    if (b !== null) xs.push(b / 200);
  }
  return xs.length > 0 ? round(quantile(xs, 0.5), 2) : NaN;
}

const machine = machineNow();
const results = {
  machine,
  setup: `${SIZE}x${SIZE} generated map (seed 11, 20 % obstacles in patches), ${RUNS} runs x ${SEARCHES} searches each; near: goal within 32 tiles; far: anywhere, capped at 20,000 nodes`,
  near: run('near'),
  far: run('far'),
  bytesPerSearch: allocation(),
};
machine.finish();
console.log(JSON.stringify(results, null, 2));
writeResults('astar', machine.date, results);
