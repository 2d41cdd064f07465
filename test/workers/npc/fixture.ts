/**
 * A small two-cell zone (64×32, border at x = 32) with NPCs from content:
 * a wall at x = 20 from y = 8 down to the bottom edge (the way round is over
 * its top), a spawn area of three wolves west of it, a guard patrolling a
 * square loop in the east cell, and a safe area in the north-east corner.
 */
import { encodeContentPack } from '../../../src/content/pack/content-pack.ts';
import { encodeZonePack } from '../../../src/content/pack/zone-pack.ts';
import { FILE_SCHEMAS, type Content } from '../../../src/content/schema/index.ts';
import { Terrain } from '../../../src/content/map-format.ts';
import type { ZoneMap } from '../../../src/content/zone-map.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { CellMsg, JoinStatus } from '../../../src/shared/messages/cell-to-gate.ts';
import { EntityKind, SlotState } from '../../../src/shared/layout.ts';
import type { SystemFactory } from '../../../src/workers/system.ts';
import { InThreadZone } from '../fixtures/in-thread-zone.ts';

export const W = 64;
export const H = 32;
export const WALL_X = 20;
export const WALL_TOP = 8;
export const WOLF_AREA = { name: 'wolves', x: 12, y: 20, width: 5, height: 5, npc: 'npc.wolf', count: 3, respawnSeconds: 4, jitterSeconds: 0 };
export const PATROL = [
  { name: 'p#0', x: 44.5, y: 12.5 },
  { name: 'p#1', x: 54.5, y: 12.5 },
  { name: 'p#2', x: 54.5, y: 22.5 },
  { name: 'p#3', x: 44.5, y: 22.5 },
  { name: 'p#4', x: 44.5, y: 12.5 },
];
export const SAFE = { name: 'camp', x: 56, y: 0, width: 8, height: 8 };

export function zoneMap(): ZoneMap {
  const tiles = new Uint8Array(W * H);
  for (let y = WALL_TOP; y < H; y++) tiles[y * W + WALL_X] = Terrain.ROCK;
  return {
    file: 'npc-fixture',
    width: W,
    height: H,
    tiles,
    spawnPoints: [{ name: 'start', x: 30, y: 4 }],
    points: [],
    spawnAreas: [WOLF_AREA],
    npcs: [{ name: 'guard', x: 44.5, y: 12.5, npc: 'npc.guard', patrol: PATROL }],
    portals: [],
    safeAreas: [SAFE],
    warnings: [],
  };
}

export function content(): Content {
  const npcs = FILE_SCHEMAS.npcs.parse({
    npcs: [
      {
        id: 'npc.wolf', name: 'Wolf', level: 2, stats: { health: 60 }, speed: 4, ai: 'wander', hostility: 'aggressive',
        aggroRadius: 6, leashRadius: 26, attack: { damage: { min: 3, max: 5 }, intervalMs: 1000, range: 1.5 }, respawnSeconds: 4,
      },
      { id: 'npc.guard', name: 'Guard', level: 10, stats: { health: 500 }, speed: 3, ai: 'patrol', hostility: 'friendly', aggroRadius: 0, leashRadius: 0, respawnSeconds: 60 },
    ],
  }).npcs;
  return { npcs, items: [], loot: [], skills: [], classes: [], quests: [], events: [] };
}

export const WOLF = 1;
export const GUARD = 2;

export function npcZone(extra: SystemFactory[] = []): InThreadZone {
  const bytes = encodeContentPack(content());
  const sab = new SharedArrayBuffer(bytes.length);
  new Uint8Array(sab).set(bytes);
  return new InThreadZone({
    spec: { width: W, height: H, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: 256 },
    pack: encodeZonePack(zoneMap(), 't'),
    cell: { content: sab },
    extra,
  });
}

/** Live NPC slots of a template. */
export function npcSlots(z: InThreadZone, template: number): number[] {
  const f = z.views.store.f;
  const out: number[] = [];
  for (let s = 0; s < z.views.store.capacity; s++) {
    if (Atomics.load(f.state, s) === SlotState.ALIVE && f.kind[s] === EntityKind.NPC && f.template[s] === template) out.push(s);
  }
  return out;
}

/** Joins a player through the gate ring and returns its handle. */
export function joinPlayer(z: InThreadZone, conn: number, x: number, y: number): number {
  const cell = z.views.geometry.cellOf(x, y);
  z.join(cell, conn, x, y);
  z.gateIn[cell].flush();
  z.tick();
  const joined = z.drain(cell).find((m) => m.op === CellMsg.JOINED && m.conn === conn);
  if (!joined || joined.status !== JoinStatus.OK) throw new Error('join refused');
  return joined.handle;
}

/** The cell that owns an entity now. */
export function ownerCell(z: InThreadZone, handle: number) {
  return z.cells[z.ownerOf(handle)];
}

export const slotOf = indexOf;
