/**
 * NPC AI benchmark (`npm run bench:npc`): what the AI costs per NPC per
 * tick, and what it allocates. A 1024×768 zone of two cells (generated map,
 * 4 % obstacles) with 10,000 content NPCs in 40 spawn areas (aggressive
 * wanderers), driven in this thread tick by tick as the zone's barriers
 * would (both simulate halves, then both replicate halves). Two set-ups:
 * no players (the AI's floor: wandering, pauses, paths), and 400 players
 * standing among the NPCs (scans find them: aggro, chases on A* paths under
 * the node budget, attacks, leashes as players are moved away now and then).
 * The npc-ai and npc-senses systems' own times come from the cells' system
 * histograms (sum per tick). Allocation: heap growth over GC-free 20-tick
 * windows at 5,000 and 10,000 NPCs; the difference over the extra NPCs is
 * the per-NPC cost (target: none). Several runs; medians and p99s; the
 * machine's load at start and end. Writes bench/results/npc-<date>.json.
 */
import { generateMap } from '../src/content/map-generate.ts';
import { encodeContentPack } from '../src/content/pack/content-pack.ts';
import { encodeZonePack } from '../src/content/pack/zone-pack.ts';
import { FILE_SCHEMAS, type Content } from '../src/content/schema/index.ts';
import type { SpawnArea, ZoneMap } from '../src/content/zone-map.ts';
import { mulberry32 } from '../src/shared/random.ts';
import { encodeJoin } from '../src/shared/messages/gate-to-cell.ts';
import { EntityFlags, EntityKind, StatSlot, systemHistogram, TICK_BUCKETS_SECONDS } from '../src/shared/layout.ts';
import { allocateZoneMemory, ZoneViews, type ZoneSpec } from '../src/shared/zone-memory.ts';
import { CellRuntime } from '../src/workers/cell-runtime.ts';
import { allocatedBytes, machine as machineNow, median, round, summary, writeResults } from './lib/stats.ts';

const W = 1024;
const H = 768;
const AREAS = 40;
const RUNS = 3;
const MEASURE_TICKS = 400;


function content(): Content {
  const npcs = FILE_SCHEMAS.npcs.parse({
    npcs: [
      {
        id: 'npc.wolf', name: 'Wolf', level: 3, stats: { health: 80 }, speed: 4, ai: 'wander', hostility: 'aggressive',
        aggroRadius: 8, leashRadius: 30, attack: { damage: { min: 2, max: 6 }, intervalMs: 1500, range: 1.5 }, respawnSeconds: 30,
      },
    ],
  }).npcs;
  return { npcs, items: [], loot: [], skills: [], classes: [], quests: [], events: [] };
}

/** The zone: a generated map with AREAS spawn areas of `perArea` wolves, spread over both cells. */
function zone(npcs: number): { map: ZoneMap; areas: SpawnArea[] } {
  const g = generateMap(W, H, 7);
  const rnd = mulberry32(5);
  const areas: SpawnArea[] = [];
  for (let i = 0; i < AREAS; i++) {
    const x = 16 + Math.floor(rnd() * (W - 64));
    const y = 16 + Math.floor(rnd() * (H - 64));
    areas.push({ name: `a${i}`, x, y, width: 32, height: 32, npc: 'npc.wolf', count: Math.round(npcs / AREAS), respawnSeconds: 30, jitterSeconds: 5 });
  }
  const map: ZoneMap = {
    file: 'bench', width: W, height: H, tiles: g.tiles, spawnPoints: [{ name: 's', x: g.spawnX, y: g.spawnY }], points: [],
    spawnAreas: areas, npcs: [], portals: [], safeAreas: [], warnings: [],
  };
  return { map, areas };
}

interface Zone {
  cells: CellRuntime[];
  views: ZoneViews;
  tick(): void;
}

function makeZone(npcs: number, players: number, seed: number): Zone {
  const { map, areas } = zone(npcs);
  const spec: ZoneSpec = { id: 1, name: 'bench', width: W, height: H, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: npcs + players + 64, tickHz: 20 };
  const init = allocateZoneMemory(spec, encodeZonePack(map, 'bench'));
  const bytes = encodeContentPack(content());
  const sab = new SharedArrayBuffer(bytes.length);
  new Uint8Array(sab).set(bytes);
  const cells = [0, 1].map((cell) => new CellRuntime({ zone: init, cell, content: sab, seed }));
  const views = cells[0].views;
  const rnd = mulberry32(seed);
  // Players stand in the spawn areas, among the wolves.
  for (let conn = 1; conn <= players; conn++) {
    const a = areas[conn % areas.length];
    const x = a.x + rnd() * a.width;
    const y = a.y + rnd() * a.height;
    const ring = views.gateToCell(views.geometry.cellOf(x, y));
    ring.push(encodeJoin(conn, conn, x, y, 1, 100));
    ring.flush();
  }
  let ticks = 0;
  const tick = () => {
    for (const c of cells) c.simulateHalf();
    for (const c of cells) c.replicateHalf();
    for (const c of cells) c.endTick();
    CellRuntime.endZoneTick(views);
    // Drop what the cells sent the gate (frames): nobody reads them here.
    for (let c = 0; c < 2; c++) {
      const out = views.cellToGate(c);
      while (out.peek() >= 0) out.release();
      out.done();
    }
    // Every 10 s, move each player elsewhere in its area's neighbourhood, so chases and leashes go on.
    if (++ticks % 200 === 0 && players > 0) {
      const f = views.store.f;
      for (const c of cells) {
        const list = c.owned.list;
        for (let i = 0; i < c.owned.count; i++) {
          const s = list[i];
          if (f.kind[s] === EntityKind.PLAYER) c.lifecycle.teleport(s, f.x[s] + (rnd() - 0.5) * 60, f.y[s] + (rnd() - 0.5) * 60);
        }
      }
    }
  };
  return { cells, views, tick };
}

/** Per-tick times (ms) of one system across both cells, from the system histograms' sums. */
function systemMs(z: Zone, name: string, ticks: number): number[] {
  const idx = z.cells.map((c) => c.systemNames.indexOf(name));
  const sumAt = (c: number) => systemHistogram(idx[c]) + TICK_BUCKETS_SECONDS.length + 1;
  const out: number[] = [];
  for (let t = 0; t < ticks; t++) {
    const before = z.cells.map((c, i) => c.stats[sumAt(i)]);
    z.tick();
    out.push(z.cells.reduce((a, c, i) => a + (c.stats[sumAt(i)] - before[i]) * 1000, 0));
  }
  return out;
}

function states(z: Zone): Record<string, number> {
  const f = z.views.store.f;
  let combat = 0;
  let evading = 0;
  let dead = 0;
  let npcs = 0;
  for (const c of z.cells) {
    for (let i = 0; i < c.owned.count; i++) {
      const s = c.owned.list[i];
      if (f.kind[s] !== EntityKind.NPC) continue;
      npcs++;
      if (f.flags[s] & EntityFlags.IN_COMBAT) combat++;
      if (f.flags[s] & EntityFlags.EVADING) evading++;
      if (f.flags[s] & EntityFlags.DEAD) dead++;
    }
  }
  return { npcs, inCombat: combat, evading, dead };
}

function cost(npcs: number, players: number) {
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const z = makeZone(npcs, players, 11 + r);
    for (let i = 0; i < 300; i++) z.tick(); // spawn, warm the JIT, fights begin
    const ai = systemMs(z, 'npc-ai', MEASURE_TICKS);
    const senses = systemMs(z, 'npc-senses', MEASURE_TICKS);
    const paths = z.cells.reduce((a, c) => a + c.stats[StatSlot.ticks], 0);
    runs.push({ ai, senses, states: states(z), cellTicks: paths });
  }
  const ai = runs.flatMap((r) => r.ai);
  const senses = runs.flatMap((r) => r.senses);
  return {
    npcs,
    players,
    npcAiMsPerTick: summary(ai),
    npcSensesMsPerTick: summary(senses),
    usPerNpcPerTick: round((median(ai) * 1000) / npcs, 4),
    runMediansMs: runs.map((r) => round(median(r.ai), 3)),
    statesAtEnd: runs.map((r) => r.states),
  };
}

function allocation(npcs: number, players: number) {
  const z = makeZone(npcs, players, 3);
  for (let i = 0; i < 600; i++) z.tick();
  const empty: number[] = [];
  for (let i = 0; i < 20; i++) {
    const b = allocatedBytes(() => {});
    if (b !== null) empty.push(b);
  }
  const base = median(empty);
  const xs: number[] = [];
  let discarded = 0;
  for (let i = 0; i < 25; i++) {
    const b = allocatedBytes(() => {
      for (let t = 0; t < 20; t++) z.tick();
    });
    if (b === null) discarded++;
    else xs.push(Math.max(0, b - base) / 20);
  }
  return { npcs, players, bytesPerTick: summary(xs, 1), windows: xs.length, discarded };
}

const machine = machineNow();
const idle = cost(10_000, 0);
const busy = cost(10_000, 400);
const allocSmall = allocation(5_000, 200);
const allocLarge = allocation(10_000, 200);
const results = {
  machine,
  setup: `${W}x${H} zone, 2 cells in one thread, ${AREAS} spawn areas of aggressive wanderers; ${RUNS} runs x ${MEASURE_TICKS} ticks after 300 warm-up ticks; times from the system histograms`,
  idle,
  busy,
  allocation: {
    small: allocSmall,
    large: allocLarge,
    marginalBytesPerNpcPerTick: round((allocLarge.bytesPerTick.median - allocSmall.bytesPerTick.median) / 5_000, 4),
  },
};
machine.finish();
console.log(JSON.stringify(results, null, 2));
writeResults('npc', machine.date, results);
