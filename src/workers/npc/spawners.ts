import type { ZoneMap } from '../../content/zone-map.ts';
import { npcNumber, type NpcTable } from '../../content/npc-table.ts';
import type { ZoneGeometry } from '../../shared/zone-geometry.ts';
import { Spawner } from './memory.ts';

/** One NPC a cell spawns at start: its template, spawner and first position. */
export interface InitialSpawn {
  template: number;
  spawnKind: number;
  spawnIndex: number;
  x: number;
  y: number;
}

/** Tries at a random walkable point of an area before settling for its centre. */
const POINT_TRIES = 24;

/**
 * The zone map's spawn areas and NPC placements, seen from one cell. Each
 * spawner belongs to the cell that owns its anchor (an area's centre, a
 * placement's point): that cell spawns its NPCs at start, wherever in the
 * area they land (the handoff phase gives each to the cell it stands in).
 * After that each NPC carries its spawner in its AI memory and respawns
 * itself, so no cell keeps counts another cell would have to update.
 */
export class NpcSpawners {
  private readonly zone: ZoneMap;
  private readonly npcs: NpcTable;
  private readonly walkable: (tx: number, ty: number) => boolean;
  private readonly rnd: () => number;
  /** Spawners naming a template the content does not have (skipped). */
  readonly unknown: string[] = [];

  constructor(zone: ZoneMap, npcs: NpcTable, walkable: (tx: number, ty: number) => boolean, rnd: () => number) {
    this.zone = zone;
    this.npcs = npcs;
    this.walkable = walkable;
    this.rnd = rnd;
  }

  /** The NPCs `cell` spawns at start. */
  initial(geometry: ZoneGeometry, cell: number): InitialSpawn[] {
    const out: InitialSpawn[] = [];
    this.zone.spawnAreas.forEach((a, i) => {
      if (geometry.cellOf(a.x + a.width / 2, a.y + a.height / 2) !== cell) return;
      const template = this.template(a.npc, `spawn area ${a.name || i}`);
      if (template === 0) return;
      for (let k = 0; k < a.count; k++) {
        this.point(Spawner.AREA, i);
        out.push({ template, spawnKind: Spawner.AREA, spawnIndex: i, x: this.px, y: this.py });
      }
    });
    this.zone.npcs.forEach((p, i) => {
      if (geometry.cellOf(p.x, p.y) !== cell) return;
      const template = this.template(p.npc, `NPC ${p.name || i}`);
      if (template !== 0) out.push({ template, spawnKind: Spawner.PLACEMENT, spawnIndex: i, x: p.x, y: p.y });
    });
    return out;
  }

  /** Last point picked by point(). */
  px = 0;
  py = 0;

  /**
   * Picks where a spawner's NPC (re)appears into px/py: a random walkable
   * point of an area, a placement's own point. Allocates nothing.
   */
  point(kind: number, index: number): void {
    if (kind === Spawner.AREA) {
      const a = this.zone.spawnAreas[index];
      if (a) {
        for (let i = 0; i < POINT_TRIES; i++) {
          const x = a.x + this.rnd() * a.width;
          const y = a.y + this.rnd() * a.height;
          if (this.walkable(Math.floor(x), Math.floor(y))) {
            this.px = x;
            this.py = y;
            return;
          }
        }
        this.px = a.x + a.width / 2;
        this.py = a.y + a.height / 2;
        return;
      }
    } else if (kind === Spawner.PLACEMENT) {
      const p = this.zone.npcs[index];
      if (p) {
        this.px = p.x;
        this.py = p.y;
        return;
      }
    }
  }

  /**
   * After a cell restart the AI memory is gone: the spawner of an NPC is the
   * area of its template that holds (x, y), or else the nearest placement of
   * its template. Returns [kind, index] in `found`.
   */
  recover(template: number, x: number, y: number, found: Int32Array): void {
    const id = this.npcs.ids[template];
    found[0] = Spawner.NONE;
    found[1] = -1;
    this.zone.spawnAreas.forEach((a, i) => {
      if (found[0] === Spawner.NONE && a.npc === id && x >= a.x && y >= a.y && x < a.x + a.width && y < a.y + a.height) {
        found[0] = Spawner.AREA;
        found[1] = i;
      }
    });
    if (found[0] !== Spawner.NONE) return;
    let best = Infinity;
    this.zone.npcs.forEach((p, i) => {
      const d = (p.x - x) ** 2 + (p.y - y) ** 2;
      if (p.npc === id && d < best) {
        best = d;
        found[0] = Spawner.PLACEMENT;
        found[1] = i;
      }
    });
  }

  /** Patrol path of a placement (empty when it has none). */
  patrol(kind: number, index: number): ZoneMap['npcs'][number]['patrol'] {
    return kind === Spawner.PLACEMENT ? (this.zone.npcs[index]?.patrol ?? []) : [];
  }

  /** Wander bounds of an area: the area itself. Undefined for placements. */
  area(kind: number, index: number): ZoneMap['spawnAreas'][number] | undefined {
    return kind === Spawner.AREA ? this.zone.spawnAreas[index] : undefined;
  }

  private template(id: string, what: string): number {
    const t = npcNumber(this.npcs, id);
    if (t === 0) this.unknown.push(`${what} names NPC template "${id}", which the content does not have`);
    return t;
  }
}
