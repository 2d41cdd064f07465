/**
 * Combat benchmark (`npm run bench:combat`): what combat costs per fighting
 * entity per tick, and what it allocates. A 512×256 zone of two cells
 * (generated map, 3 % obstacles) with the default world's classes and
 * skills (data/classes.json, data/skills.json): P players, each beside its
 * own sparring NPC (aggressive, a small hit every 3 s, health enough for
 * the run), half of them warriors auto-attacking and using Heroic Strike
 * when their rage allows, half mages casting Fireball back to back. Every
 * player's client acknowledges its frames and sends its actions through the
 * gate rings (written in place). Both cells are driven in one thread tick
 * by tick as the barriers would. Times: the combat systems' own histograms
 * (combat, combat-log, combat-senses) summed over both cells, per tick, and
 * per fighting entity (players and NPCs, 2P); the replicate system's too
 * (it now writes each player's events and self record). Allocation: heap
 * growth over GC-free 20-tick windows at P and 2P players; the difference
 * per extra fighter is the per-fighter cost (target: none). Several runs;
 * medians and p99s; the machine's load at start and end. Writes
 * bench/results/combat-<date>.json.
 */
import { readFileSync } from 'node:fs';
import { generateMap } from '../src/content/map-generate.ts';
import { encodeContentPack } from '../src/content/pack/content-pack.ts';
import { encodeZonePack } from '../src/content/pack/zone-pack.ts';
import { FILE_SCHEMAS, type Content } from '../src/content/schema/index.ts';
import type { NpcPlacement, ZoneMap } from '../src/content/zone-map.ts';
import { ActionKind } from '../src/protocol/combat-codes.ts';
import { mulberry32 } from '../src/shared/random.ts';
import { CellMessage, CellMsg } from '../src/shared/messages/cell-to-gate.ts';
import { AckLayout, ActionLayout, encodeJoin, GateMsg } from '../src/shared/messages/gate-to-cell.ts';
import { EntityFlags, EntityKind, StatSlot, systemHistogram, TICK_BUCKETS_SECONDS } from '../src/shared/layout.ts';
import type { Ring } from '../src/shared/ring.ts';
import { allocateZoneMemory, ZoneViews, type ZoneSpec } from '../src/shared/zone-memory.ts';
import { CellRuntime } from '../src/workers/cell-runtime.ts';
import { allocatedBytes, machine as machineNow, median, round, summary, writeResults } from './lib/stats.ts';

const W = 512;
const H = 256;
const RUNS = 3;
const MEASURE_TICKS = 400;
const COMBAT_SYSTEMS = ['combat', 'combat-log', 'combat-senses'];

function content(): Content {
  const data = (name: string) => JSON.parse(readFileSync(new URL(`../data/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  const skills = FILE_SCHEMAS.skills.parse({ skills: data('skills').skills }).skills;
  const classes = FILE_SCHEMAS.classes.parse({ classes: data('classes').classes }).classes.map((k) => ({ ...k, startingItems: [] }));
  const npcs = FILE_SCHEMAS.npcs.parse({
    npcs: [
      {
        id: 'npc.sparring', name: 'Sparring Partner', level: 1, stats: { health: 1_000_000, armor: 5 }, speed: 3, ai: 'idle', hostility: 'aggressive',
        aggroRadius: 4, leashRadius: 40, attack: { damage: { min: 1, max: 1 }, intervalMs: 3000, range: 1.5 }, experience: 10, respawnSeconds: 30,
      },
    ],
  }).npcs;
  return { npcs, items: [], loot: [], skills, classes, quests: [], events: [] };
}

interface Zone {
  cells: CellRuntime[];
  views: ZoneViews;
  tick(): void;
}

function makeZone(players: number, seed: number): Zone {
  const g = generateMap(W, H, 3);
  const rnd = mulberry32(seed);
  const spots: { x: number; y: number }[] = [];
  const npcs: NpcPlacement[] = [];
  const free = (x: number, y: number) => g.tiles[Math.floor(y) * W + Math.floor(x)] === 0;
  while (spots.length < players) {
    const x = 4 + rnd() * (W - 8);
    const y = 4 + rnd() * (H - 8);
    if (!free(x, y) || !free(x + 1, y)) continue;
    spots.push({ x, y });
    npcs.push({ name: `s${spots.length}`, npc: 'npc.sparring', x: x + 1, y, patrol: [] });
  }
  const map: ZoneMap = { file: 'bench', width: W, height: H, tiles: g.tiles, spawnPoints: [{ name: 's', x: g.spawnX, y: g.spawnY }], points: [], spawnAreas: [], npcs, portals: [], safeAreas: [], warnings: [] };
  const spec: ZoneSpec = { id: 1, name: 'bench', width: W, height: H, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: players * 2 + 64, tickHz: 20 };
  const init = allocateZoneMemory(spec, encodeZonePack(map, 'bench'));
  const bytes = encodeContentPack(content());
  const sab = new SharedArrayBuffer(bytes.length);
  new Uint8Array(sab).set(bytes);
  const cells = [0, 1].map((cell) => new CellRuntime({ zone: init, cell, content: sab, seed }));
  const views = cells[0].views;
  const gateIn = [0, 1].map((c) => views.gateToCell(c));
  // Odd connections are warriors (class 1), even ones mages (class 2).
  spots.forEach((p, i) => {
    const ring = gateIn[views.geometry.cellOf(p.x, p.y)];
    ring.push(encodeJoin(i + 1, i + 1, p.x, p.y, (i + 1) % 2 === 1 ? 1 : 2, 0));
    ring.flush();
  });
  // Each player's sparring partner, found once the NPCs exist (the nearest NPC to its spot).
  const partner = new Uint32Array(players + 1);
  const m = new CellMessage();
  let seq = 0;
  let ticks = 0;
  const f = views.store.f;
  const action = (ring: Ring, conn: number, kind: number, target: number, skill: number) => {
    const o = ring.reserve(ActionLayout.bytes);
    if (o < 0) return;
    const v = ring.view;
    v.setUint8(o, GateMsg.ACTION);
    v.setUint32(o + ActionLayout.conn, conn, true);
    v.setUint16(o + ActionLayout.seq, ++seq & 0xffff, true);
    v.setUint8(o + ActionLayout.kind, kind);
    v.setUint32(o + ActionLayout.target, target, true);
    v.setUint16(o + ActionLayout.skill, skill, true);
    v.setFloat32(o + ActionLayout.x, 0, true);
    v.setFloat32(o + ActionLayout.y, 0, true);
    ring.commit(ActionLayout.bytes);
  };
  const findPartners = () => {
    const byTile = new Map<string, number[]>();
    for (let s = 0; s < views.store.capacity; s++) {
      if (f.kind[s] !== EntityKind.NPC) continue;
      const key = `${Math.floor(f.x[s])},${Math.floor(f.y[s])}`;
      byTile.set(key, [...(byTile.get(key) ?? []), s]);
    }
    spots.forEach((p, i) => {
      const s = byTile.get(`${Math.floor(p.x + 1)},${Math.floor(p.y)}`)?.[0];
      if (s !== undefined) partner[i + 1] = views.store.handleAt(s);
    });
  };
  const tick = () => {
    for (const c of cells) c.simulateHalf();
    for (const c of cells) c.replicateHalf();
    for (const c of cells) c.endTick();
    CellRuntime.endZoneTick(views);
    ticks++;
    if (ticks === 2) findPartners();
    // The clients: ack every frame; warriors attack and strike every 6 s, mages cast a fireball every 2.2 s.
    for (let c = 0; c < 2; c++) {
      const out = views.cellToGate(c);
      for (let at = out.peek(); at >= 0; at = out.peek()) {
        m.read(out.view, at, out.messageLength);
        if (m.op === CellMsg.FRAME) {
          const conn = m.conn;
          const ring = gateIn[c];
          const o = ring.reserve(AckLayout.bytes);
          if (o >= 0) {
            ring.view.setUint8(o, GateMsg.ACK);
            ring.view.setUint32(o + AckLayout.conn, conn, true);
            ring.view.setUint32(o + AckLayout.ackTick, m.tick, true);
            ring.commit(AckLayout.bytes);
          }
          const target = partner[conn];
          if (target !== 0 && ticks > 3) {
            if (conn % 2 === 1) {
              if ((ticks + conn) % 200 === 0) action(ring, conn, ActionKind.ATTACK, target, 1);
              if ((ticks + conn) % 120 === 0) action(ring, conn, ActionKind.SKILL, target, 1);
            } else if ((ticks + conn) % 44 === 0) action(ring, conn, ActionKind.SKILL, target, 4);
          }
          if (ticks === 4) action(ring, conn, ActionKind.ATTACK, target, 1);
        }
        out.release();
      }
      out.done();
      gateIn[c].flush();
    }
  };
  return { cells, views, tick };
}

/** Per-tick times (ms) of some systems across both cells, from the system histograms' sums. */
function systemsMs(z: Zone, names: string[], ticks: number): number[] {
  const sums = z.cells.map((c) => names.map((n) => systemHistogram(c.systemNames.indexOf(n)) + TICK_BUCKETS_SECONDS.length + 1));
  const total = () => z.cells.reduce((a, c, i) => a + sums[i].reduce((b, at) => b + c.stats[at], 0), 0);
  const out: number[] = [];
  for (let t = 0; t < ticks; t++) {
    const before = total();
    z.tick();
    out.push((total() - before) * 1000);
  }
  return out;
}

function fighting(z: Zone): Record<string, number> {
  const f = z.views.store.f;
  let players = 0;
  let npcsInCombat = 0;
  let dead = 0;
  for (const c of z.cells) {
    for (let i = 0; i < c.owned.count; i++) {
      const s = c.owned.list[i];
      if (f.kind[s] === EntityKind.PLAYER) players++;
      if (f.kind[s] === EntityKind.NPC && (f.flags[s] & EntityFlags.IN_COMBAT) !== 0) npcsInCombat++;
      if ((f.flags[s] & EntityFlags.DEAD) !== 0) dead++;
    }
  }
  const logged = z.cells.reduce((a, c) => a + c.stats[StatSlot.combatLogged], 0);
  return { players, npcsInCombat, dead, eventsLogged: logged };
}

function cost(players: number) {
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const z = makeZone(players, 11 + r);
    for (let i = 0; i < 300; i++) z.tick(); // spawn, warm the JIT, the fights begin
    const logged = z.cells.reduce((a, c) => a + c.stats[StatSlot.combatLogged], 0);
    const combat = systemsMs(z, COMBAT_SYSTEMS, MEASURE_TICKS);
    const replicate = systemsMs(z, ['replicate'], MEASURE_TICKS);
    const state = fighting(z);
    runs.push({ combat, replicate, state, eventsPerTick: round((state.eventsLogged - logged) / (2 * MEASURE_TICKS), 1) });
  }
  const combat = runs.flatMap((r) => r.combat);
  const replicate = runs.flatMap((r) => r.replicate);
  return {
    players,
    fightingEntities: players * 2,
    combatMsPerTick: summary(combat),
    usPerFighterPerTick: round((median(combat) * 1000) / (players * 2), 4),
    replicateMsPerTick: summary(replicate),
    replicateUsPerPlayerPerTick: round((median(replicate) * 1000) / players, 3),
    runMediansMs: runs.map((r) => round(median(r.combat), 3)),
    eventsLoggedPerTick: runs.map((r) => r.eventsPerTick),
    stateAtEnd: runs.map((r) => r.state),
  };
}

function allocation(players: number) {
  const z = makeZone(players, 3);
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
  return { players, bytesPerTick: summary(xs, 1), windows: xs.length, discarded };
}

const machine = machineNow();
const small = cost(500);
const large = cost(1000);
const allocSmall = allocation(500);
const allocLarge = allocation(1000);
const results = {
  machine,
  setup: `${W}x${H} zone, 2 cells in one thread; each player beside its own sparring NPC (aggressive, 1 damage every 3 s); warriors auto-attack and Heroic Strike, mages cast Fireball; ${RUNS} runs x ${MEASURE_TICKS} ticks after 300 warm-up ticks; times from the system histograms`,
  small,
  large,
  allocation: {
    small: allocSmall,
    large: allocLarge,
    marginalBytesPerFighterPerTick: round((allocLarge.bytesPerTick.median - allocSmall.bytesPerTick.median) / 1000, 4),
  },
};
machine.finish();
console.log(JSON.stringify(results, null, 2));
writeResults('combat', machine.date, results);
