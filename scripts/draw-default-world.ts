/**
 * Draws the default world's two zones, data/maps/town.tmx and
 * data/maps/field.tmx, as Tiled 1.10 saves them (CSV layer data, the
 * external tileset ../tilesets/terrain.tsx). The TMX files are the source
 * of truth once committed: a designer opens and edits them in Tiled, and
 * this script is only how the first version was laid out. Re-running it
 * overwrites the maps (deterministically: a seeded generator, the same
 * bytes every time), so do that only to start over:
 *
 *   npm run content:draw-world     # npx node scripts/draw-default-world.ts
 *
 * Layers: "ground" (grass, paths, floors, water: deep water blocks),
 * "walls" (walls, trees, rocks, doors: what blocks says so with the tile
 * property `collides`), "above" (roofs and tree crowns the client draws over
 * entities; nothing there blocks), and two object layers: "zones" (spawn
 * points, named points, portals, safe areas) and "npcs" (spawn areas, NPC
 * placements, patrol paths). docs/content.md says what each object means.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../src/shared/random.ts';
import { TERRAIN, TILE, tilesOf } from './build-tilesets.ts';

const OUT = join(import.meta.dirname, '..', 'data', 'maps');

/** Deterministic generator. */
const rng = mulberry32;

/** Tile ids (not gids) of each terrain type. */
const T = (type: string) => tilesOf(TERRAIN, type);
const COLLIDES = new Set(TERRAIN.flatMap((d, i) => (d.collides ? [i] : [])));

type Props = Record<string, string | number | { type: 'int' | 'object'; value: number }>;
interface MapObject {
  id?: number;
  name: string;
  type: string;
  /** Pixels. */
  x: number;
  y: number;
  width?: number;
  height?: number;
  point?: boolean;
  polyline?: [number, number][];
  properties?: Props;
}

class Drawing {
  readonly ground: Int32Array;
  readonly walls: Int32Array;
  readonly above: Int32Array;
  readonly layers: { zones: MapObject[]; npcs: MapObject[] } = { zones: [], npcs: [] };
  private nextId = 1;
  readonly random: () => number;
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** The map's `title` property: the zone's name as the client shows it. */
  readonly title: string;

  constructor(name: string, title: string, width: number, height: number, seed: number) {
    this.name = name;
    this.title = title;
    this.width = width;
    this.height = height;
    const n = width * height;
    this.ground = new Int32Array(n).fill(-1);
    this.walls = new Int32Array(n).fill(-1);
    this.above = new Int32Array(n).fill(-1);
    this.random = rng(seed);
  }

  inside(x: number, y: number): boolean {
    return x >= 0 && y >= 0 && x < this.width && y < this.height;
  }

  pick(ids: readonly number[]): number {
    return ids[Math.floor(this.random() * ids.length)]!;
  }

  /** Paints a layer over a rectangle of tiles (x0..x1, y0..y1 inclusive) with a random variant of `type`. */
  fill(layer: Int32Array, x0: number, y0: number, x1: number, y1: number, type: string | null): void {
    const ids = type === null ? [-1] : T(type);
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (this.inside(x, y)) layer[y * this.width + x] = this.pick(ids);
  }

  set(layer: Int32Array, x: number, y: number, type: string | null): void {
    this.fill(layer, x, y, x, y, type);
  }

  get(layer: Int32Array, x: number, y: number): string | null {
    if (!this.inside(x, y)) return null;
    const id = layer[y * this.width + x]!;
    return id < 0 ? null : TERRAIN[id]!.type;
  }

  /** True when nothing on any layer blocks the tile. */
  walkable(x: number, y: number): boolean {
    if (!this.inside(x, y)) return false;
    const i = y * this.width + x;
    return !COLLIDES.has(this.ground[i]!) && !COLLIDES.has(this.walls[i]!);
  }

  /** A walled building: walls around, a floor inside, the roof on the above layer over all but the front (south) wall. */
  building(x0: number, y0: number, x1: number, y1: number, o: { wall?: string; floor: string; roof: string; doors?: [number, number][]; fronts?: [number, number, string][] }): void {
    this.fill(this.ground, x0, y0, x1, y1, o.floor);
    this.fill(this.walls, x0, y0, x1, y0, o.wall ?? 'house-wall');
    this.fill(this.walls, x0, y1, x1, y1, o.wall ?? 'house-wall');
    this.fill(this.walls, x0, y0, x0, y1, o.wall ?? 'house-wall');
    this.fill(this.walls, x1, y0, x1, y1, o.wall ?? 'house-wall');
    this.fill(this.walls, x0 + 1, y0 + 1, x1 - 1, y1 - 1, null);
    for (const [x, y] of o.doors ?? []) this.set(this.walls, x, y, 'door-open');
    for (const [x, y, type] of o.fronts ?? []) this.set(this.walls, x, y, type);
    this.fill(this.above, x0, y0, x1, y1 - 1, o.roof);
  }

  /** A sandy path of the given half-width along a polyline of tile points (ground layer). */
  road(points: [number, number][], half: number, type = 'path'): void {
    for (let k = 1; k < points.length; k++) {
      const [ax, ay] = points[k - 1]!;
      const [bx, by] = points[k]!;
      const steps = Math.max(Math.abs(bx - ax), Math.abs(by - ay));
      for (let s = 0; s <= steps; s++) {
        const cx = Math.round(ax + ((bx - ax) * s) / steps);
        const cy = Math.round(ay + ((by - ay) * s) / steps);
        for (let dy = -half; dy <= half; dy++) {
          for (let dx = -half; dx <= half; dx++) {
            if (!this.inside(cx + dx, cy + dy)) continue;
            const g = this.get(this.ground, cx + dx, cy + dy);
            if (g === 'deep-water' || g === 'shallow-water') this.set(this.ground, cx + dx, cy + dy, 'shallow-water');
            else this.set(this.ground, cx + dx, cy + dy, type);
            this.set(this.walls, cx + dx, cy + dy, null);
          }
        }
      }
    }
  }

  /** Gives sandy path tiles their grass edges: the side that borders grass, meadow or flowers. */
  edgePaths(): void {
    const grassy = (x: number, y: number) => {
      const g = this.get(this.ground, x, y);
      return g === 'grass' || g === 'meadow' || g === 'flowers' || g === 'forest-floor';
    };
    const isPath = (x: number, y: number) => (this.get(this.ground, x, y) ?? '').startsWith('path');
    const out = this.ground.slice();
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        if (!isPath(x, y)) continue;
        const n = grassy(x, y - 1), s = grassy(x, y + 1), w = grassy(x - 1, y), e = grassy(x + 1, y);
        let type = 'path';
        if ((n && s) || (w && e)) type = 'path';
        else if (n && w) type = 'path-nw';
        else if (n && e) type = 'path-ne';
        else if (s && w) type = 'path-sw';
        else if (s && e) type = 'path-se';
        else if (n) type = 'path-n';
        else if (s) type = 'path-s';
        else if (w) type = 'path-w';
        else if (e) type = 'path-e';
        out[y * this.width + x] = T(type)[0]!;
      }
    }
    this.ground.set(out);
  }

  private add(layer: 'zones' | 'npcs', o: MapObject): MapObject {
    const obj = { ...o, id: this.nextId++ };
    this.layers[layer].push(obj);
    return obj;
  }

  /** A point object at the centre of tile (x, y). */
  point(layer: 'zones' | 'npcs', type: string, name: string, x: number, y: number, properties?: Props): MapObject {
    const at = [x, y] as const;
    if (!this.walkable(at[0], at[1])) throw new Error(`${this.name}: ${type} ${name} at ${x},${y} is on a blocked tile`);
    return this.add(layer, { name, type, x: (x + 0.5) * TILE, y: (y + 0.5) * TILE, point: true, ...(properties ? { properties } : {}) });
  }

  /** A rectangle object covering tiles x0..x1, y0..y1 inclusive. */
  area(layer: 'zones' | 'npcs', type: string, name: string, x0: number, y0: number, x1: number, y1: number, properties?: Props): MapObject {
    return this.add(layer, { name, type, x: x0 * TILE, y: y0 * TILE, width: (x1 - x0 + 1) * TILE, height: (y1 - y0 + 1) * TILE, ...(properties ? { properties } : {}) });
  }

  /** A polyline through the centres of the given tiles (a patrol path, or an NPC walking it). */
  polyline(layer: 'zones' | 'npcs', type: string, name: string, tiles: [number, number][], properties?: Props): MapObject {
    for (const [x, y] of tiles) if (!this.walkable(x, y)) throw new Error(`${this.name}: ${name} passes blocked tile ${x},${y}`);
    const [x0, y0] = tiles[0]!;
    const ox = (x0 + 0.5) * TILE;
    const oy = (y0 + 0.5) * TILE;
    return this.add(layer, { name, type, x: ox, y: oy, polyline: tiles.map(([x, y]) => [(x + 0.5) * TILE - ox, (y + 0.5) * TILE - oy]), ...(properties ? { properties } : {}) });
  }

  toTmx(): string {
    const gid = (id: number) => (id < 0 ? 0 : id + 1);
    const csv = (layer: Int32Array) => {
      const rows: string[] = [];
      for (let y = 0; y < this.height; y++) rows.push(Array.from(layer.subarray(y * this.width, (y + 1) * this.width), gid).join(','));
      return rows.join(',\n');
    };
    const lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<map version="1.10" tiledversion="1.10.2" orientation="orthogonal" renderorder="right-down" width="${this.width}" height="${this.height}" tilewidth="${TILE}" tileheight="${TILE}" infinite="0" nextlayerid="6" nextobjectid="${this.nextId}">`,
      ' <properties>',
      `  <property name="title" value="${this.title}"/>`,
      ' </properties>',
      ' <tileset firstgid="1" source="../tilesets/terrain.tsx"/>',
    ];
    const tileLayers: [string, Int32Array][] = [['ground', this.ground], ['walls', this.walls], ['above', this.above]];
    tileLayers.forEach(([name, layer], i) => {
      lines.push(` <layer id="${i + 1}" name="${name}" width="${this.width}" height="${this.height}">`, '  <data encoding="csv">', csv(layer), '</data>', ' </layer>');
    });
    (['zones', 'npcs'] as const).forEach((name, i) => {
      lines.push(` <objectgroup id="${i + 4}" name="${name}">`);
      for (const o of this.layers[name]) lines.push(...objectXml(o));
      lines.push(' </objectgroup>');
    });
    lines.push('</map>', '');
    return lines.join('\n');
  }
}

const num = (v: number) => String(Math.round(v * 1000) / 1000);

function objectXml(o: MapObject): string[] {
  const size = o.width !== undefined ? ` width="${num(o.width)}" height="${num(o.height!)}"` : '';
  const head = `  <object id="${o.id}" name="${o.name}" type="${o.type}" x="${num(o.x)}" y="${num(o.y)}"${size}`;
  const body: string[] = [];
  const props = Object.entries(o.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (props.length > 0) {
    body.push('   <properties>');
    for (const [name, v] of props) {
      if (typeof v === 'string') body.push(`    <property name="${name}" value="${v}"/>`);
      else if (typeof v === 'number') body.push(`    <property name="${name}" type="int" value="${v}"/>`);
      else body.push(`    <property name="${name}" type="${v.type}" value="${v.value}"/>`);
    }
    body.push('   </properties>');
  }
  if (o.point) body.push('   <point/>');
  if (o.polyline) body.push(`   <polyline points="${o.polyline.map(([x, y]) => `${num(x)},${num(y)}`).join(' ')}"/>`);
  return body.length === 0 ? [`${head}/>`] : [`${head}>`, ...body, '  </object>'];
}

// ---------------------------------------------------------------------------------------------- town

/**
 * The town of Emberwick, 64×64: a walled square town with a gate in the
 * south wall. Streets cross at a fountain square; the Elder's hall north of
 * it, the inn north-east, the market and the barracks west, the herbalist's
 * cottage east, houses and a small graveyard. The whole map is a safe area.
 */
export function drawTown(): Drawing {
  const d = new Drawing('town.tmx', 'Emberwick', 64, 64, 9001);
  const { ground, walls } = d;
  // Grass everywhere, a few flowers, a wood around the walls.
  d.fill(ground, 0, 0, 63, 63, 'grass');
  for (let i = 0; i < 120; i++) d.set(ground, Math.floor(d.random() * 64), Math.floor(d.random() * 64), 'flowers');
  for (let y = 0; y < 64; y++) {
    for (let x = 0; x < 64; x++) {
      const edge = Math.min(x, y, 63 - x, 63 - y);
      if (edge <= 1 || (edge === 2 && d.random() < 0.5)) d.set(walls, x, y, d.random() < 0.25 ? 'pine' : 'tree');
    }
  }
  // The road from the gate south to the map's edge (the portal to the field).
  d.fill(walls, 29, 59, 34, 63, null);
  d.fill(ground, 30, 59, 33, 63, 'street');
  // Town wall with the gate.
  d.fill(walls, 4, 4, 59, 4, 'town-wall');
  d.fill(walls, 4, 59, 59, 59, 'town-wall');
  d.fill(walls, 4, 4, 4, 59, 'town-wall');
  d.fill(walls, 59, 4, 59, 59, 'town-wall');
  d.set(walls, 30, 59, 'gate-left');
  d.set(walls, 31, 59, 'gate-middle');
  d.set(walls, 32, 59, 'gate-middle');
  d.set(walls, 33, 59, 'gate-right');
  // Streets: north-south and east-west, and the square.
  d.fill(ground, 30, 5, 33, 58, 'street');
  d.fill(ground, 5, 30, 58, 33, 'street');
  d.fill(ground, 24, 24, 39, 39, 'street');
  d.set(walls, 31, 31, 'fountain');
  d.set(walls, 32, 32, 'fountain');
  // The Elder's hall, north of the square.
  d.building(25, 9, 38, 20, { floor: 'floor-marble', roof: 'roof-red', doors: [[31, 20], [32, 20]] });
  d.set(walls, 29, 21, 'statue');
  d.set(walls, 34, 21, 'statue');
  // The inn, north-east.
  d.building(43, 9, 55, 19, { floor: 'floor-wood', roof: 'roof-thatch', doors: [[49, 19]] });
  d.fill(ground, 49, 20, 49, 29, 'street');
  // The market, west of the square on the east-west street.
  d.building(8, 21, 21, 28, { floor: 'floor-wood', roof: 'roof-red', doors: [[14, 28]], fronts: [[10, 28, 'shop-general'], [12, 28, 'shop-weapons'], [16, 28, 'shop-armour'], [18, 28, 'shop-potions']] });
  d.fill(ground, 8, 29, 21, 29, 'street');
  // The barracks, south-west; door on its east side.
  d.building(8, 40, 20, 50, { floor: 'floor-stone', roof: 'roof-red', doors: [[20, 45]] });
  d.fill(ground, 21, 45, 29, 45, 'street');
  // The herbalist's cottage, east; door on its west side, a garden before it.
  d.building(45, 40, 54, 48, { floor: 'floor-wood', roof: 'roof-thatch', doors: [[45, 44]] });
  d.fill(ground, 34, 44, 44, 44, 'street');
  for (const [x, y] of [[41, 41], [43, 41], [41, 47], [43, 47]] as const) d.set(walls, x, y, 'bush');
  // Houses (shut).
  for (const [x0, y0, x1, y1, roof] of [
    [8, 8, 13, 12, 'roof-thatch'],
    [15, 8, 20, 12, 'roof-red'],
    [8, 14, 13, 18, 'roof-red'],
    [43, 22, 48, 27, 'roof-thatch'],
    [50, 22, 55, 27, 'roof-red'],
    [43, 52, 48, 56, 'roof-red'],
    [50, 52, 55, 56, 'roof-thatch'],
    [8, 53, 13, 56, 'roof-thatch'],
  ] as const) {
    d.building(x0, y0, x1, y1, { floor: 'floor-wood', roof });
    d.set(walls, Math.floor((x0 + x1) / 2), y1, 'door-closed');
  }
  // The graveyard, south-west of the gate road.
  d.fill(ground, 17, 52, 26, 57, 'moss');
  for (let y = 53; y <= 56; y += 2) for (let x = 18; x <= 25; x += 2) d.set(walls, x, y, 'grave');
  // Trees in the town's corners.
  for (const [x, y] of [[23, 9], [40, 9], [6, 36], [57, 36], [38, 52], [57, 47]] as const) d.set(walls, x, y, 'tree');

  // Where players are: spawn points on the square, the arrival from the field, the portal, the safe area.
  d.point('zones', 'spawn', 'town_square', 28, 35);
  d.point('zones', 'spawn', 'town_square_east', 35, 35);
  d.point('zones', 'spawn', 'town_square_north', 28, 28);
  d.point('zones', 'point', 'from_field', 31, 56);
  d.area('zones', 'portal', 'to_field', 30, 62, 33, 63, { target: 'from_town', zone: 'field' });
  d.area('zones', 'safe-area', 'emberwick', 0, 0, 63, 63);

  // NPCs: quest givers, the merchant, two guards (one walks a path object, the other its own line).
  d.point('npcs', 'npc', 'elder_maren', 31, 14, { npc: 'npc.elder_maren' });
  d.point('npcs', 'npc', 'captain_hale', 14, 45, { npc: 'npc.captain_hale' });
  d.point('npcs', 'npc', 'merchant_odo', 14, 30, { npc: 'npc.merchant_odo' });
  d.point('npcs', 'npc', 'herbalist_lina', 42, 44, { npc: 'npc.herbalist_lina' });
  const round = d.polyline('npcs', 'path', 'square_round', [[25, 25], [38, 25], [38, 38], [25, 38], [25, 25]]);
  d.point('npcs', 'npc', 'guard_square', 25, 25, { npc: 'npc.town_guard', patrol: { type: 'object', value: round.id! } });
  d.polyline('npcs', 'npc', 'guard_gate', [[33, 57], [33, 41]], { npc: 'npc.town_guard' });
  d.edgePaths();
  return d;
}

// ---------------------------------------------------------------------------------------------- field

/**
 * The Ashen Fields, 128×96, east of the town: a road from the town's portal
 * on the west edge across a river (two fords), meadows with wolves and
 * boars, the Thornwood (trees, a bear glade, a trail under the canopy), a
 * rocky ridge with one pass, a bandit camp behind a palisade, the scout's
 * camp, and the barrow ruins in the north-east where the Barrow King rises.
 */
export function drawField(): Drawing {
  const W = 128;
  const H = 96;
  const d = new Drawing('field.tmx', 'The Ashen Fields', W, H, 4242);
  const { ground, walls, above } = d;
  d.fill(ground, 0, 0, W - 1, H - 1, 'grass');
  for (let i = 0; i < 300; i++) d.set(ground, Math.floor(d.random() * W), Math.floor(d.random() * H), 'flowers');
  // Patches of meadow.
  for (let i = 0; i < 14; i++) {
    const cx = 6 + Math.floor(d.random() * (W - 12));
    const cy = 6 + Math.floor(d.random() * (H - 12));
    const r = 2 + Math.floor(d.random() * 4);
    for (let y = cy - r; y <= cy + r; y++) for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r + d.random() * r) d.set(ground, x, y, 'meadow');
  }
  // Trees along the edges, two deep.
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const edge = Math.min(x, y, W - 1 - x, H - 1 - y);
      if (edge <= 1 || (edge === 2 && d.random() < 0.4)) d.set(walls, x, y, d.random() < 0.3 ? 'pine' : 'tree');
    }
  }
  // The river, three wide, winding north to south around x = 37.
  for (let y = 0; y < H; y++) {
    const cx = 37 + Math.round(2 * Math.sin(y / 9));
    d.fill(ground, cx - 1, y, cx + 1, y, 'deep-water');
    d.fill(walls, cx - 1, y, cx + 1, y, null);
  }
  // The Thornwood: dense trees north of the road between the river and the ruins.
  for (let y = 3; y <= 38; y++) {
    for (let x = 44; x <= 76; x++) {
      d.set(ground, x, y, 'forest-floor');
      if (d.random() < 0.62) d.set(walls, x, y, d.random() < 0.35 ? 'pine' : d.random() < 0.2 ? 'tree-autumn' : 'tree');
    }
  }
  // The bear glade inside it.
  d.fill(walls, 57, 13, 67, 22, null);
  d.fill(ground, 57, 13, 67, 22, 'meadow');
  // The trail into the wood, under the canopy.
  const trail: [number, number][] = [[46, 42], [47, 36], [52, 31], [55, 26], [58, 22]];
  d.road(trail, 1, 'forest-floor');
  for (let k = 1; k < trail.length; k++) {
    const [ax, ay] = trail[k - 1]!;
    const [bx, by] = trail[k]!;
    const steps = Math.max(Math.abs(bx - ax), Math.abs(by - ay));
    for (let s = 0; s <= steps; s++) {
      const x = Math.round(ax + ((bx - ax) * s) / steps);
      const y = Math.round(ay + ((by - ay) * s) / steps);
      for (const dx of [-1, 1]) if (y < 38 && d.random() < 0.7) d.set(above, x + dx, y, 'canopy');
    }
  }
  // A few gaps at the wood's southern edge (so it is not a wall).
  for (const x of [50, 61, 70]) d.fill(walls, x - 1, 34, x + 1, 38, null);
  // The rocky ridge south of the road, with one pass.
  for (let y = 54; y <= 92; y++) {
    if (y >= 70 && y <= 72) continue;
    const cx = 58 + Math.round(Math.sin(y / 5));
    for (let x = cx - 1; x <= cx + 1; x++) if (d.random() < 0.9) d.set(walls, x, y, d.random() < 0.7 ? 'boulder' : 'rock');
  }
  // Copses in the meadows.
  for (const [cx, cy, r] of [[20, 22, 3], [26, 66, 2], [14, 88, 2], [100, 56, 3], [116, 80, 3], [68, 90, 2]] as const) {
    for (let y = cy - r; y <= cy + r; y++) for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r && d.random() < 0.8) d.set(walls, x, y, d.random() < 0.3 ? 'tree-autumn' : 'tree');
  }
  // Scattered rocks in the meadows.
  for (const [x, y] of [[14, 40], [15, 40], [22, 62], [23, 62], [23, 63], [10, 75], [28, 80], [48, 60], [49, 60], [66, 56], [104, 60], [105, 61], [118, 70], [46, 84]] as const) d.set(walls, x, y, 'boulder');
  // The road east from the town's portal, with fords where it crosses the river.
  d.road([[0, 48], [30, 48], [44, 47], [70, 47], [96, 47], [110, 47], [118, 47]], 1);
  d.road([[110, 47], [110, 41]], 1);
  d.road([[81, 47], [81, 64]], 1);
  d.road([[58, 71], [46, 80], [30, 83], [12, 83]], 0, 'dirt');
  // The bandit camp: a palisade with a gap in its north side, huts inside.
  d.fill(ground, 72, 64, 94, 88, 'dirt');
  d.fill(walls, 72, 64, 94, 64, 'palisade');
  d.fill(walls, 72, 88, 94, 88, 'palisade');
  d.fill(walls, 72, 64, 72, 88, 'palisade');
  d.fill(walls, 94, 64, 94, 88, 'palisade');
  d.fill(walls, 80, 64, 82, 64, null);
  d.building(76, 70, 81, 74, { floor: 'floor-wood', roof: 'roof-thatch', doors: [[78, 74]] });
  d.building(86, 70, 91, 74, { floor: 'floor-wood', roof: 'roof-thatch', doors: [[88, 74]] });
  d.building(84, 80, 90, 85, { floor: 'floor-wood', roof: 'roof-thatch', doors: [[84, 82]] });
  // The scout's camp beside the road, short of the ruins.
  d.fill(ground, 86, 40, 94, 44, 'dirt');
  for (const [x, y] of [[86, 39], [94, 39]] as const) d.set(walls, x, y, 'bush');
  // The barrow ruins: broken outer walls, a crypt inside, the throne room at the top.
  d.fill(ground, 98, 5, 123, 40, 'cobbles');
  d.fill(walls, 98, 5, 123, 40, null);
  const ruin = (x0: number, y0: number, x1: number, y1: number, gaps: number) => {
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        if (x !== x0 && x !== x1 && y !== y0 && y !== y1) continue;
        if (d.random() < gaps) continue;
        d.set(walls, x, y, 'ruin-wall');
      }
    }
  };
  ruin(98, 5, 123, 40, 0.18);
  d.fill(walls, 109, 40, 111, 40, null);
  d.set(walls, 110, 40, 'arch');
  // The crypt: solid walls, one door south, corridors to the throne room.
  d.fill(ground, 103, 7, 119, 21, 'floor-crypt');
  for (let y = 7; y <= 21; y++) for (let x = 103; x <= 119; x++) if (x === 103 || x === 119 || y === 7 || y === 21) d.set(walls, x, y, 'crypt-wall');
  d.set(walls, 111, 21, 'door-crypt');
  d.fill(walls, 104, 15, 109, 15, 'crypt-wall');
  d.fill(walls, 113, 15, 118, 15, 'crypt-wall');
  d.fill(ground, 108, 8, 114, 12, 'floor-tomb');
  d.set(walls, 108, 8, 'statue');
  d.set(walls, 114, 8, 'statue');
  // Broken pillars in the outer court.
  for (const [x, y] of [[101, 25], [106, 30], [115, 27], [120, 33], [102, 35], [117, 37]] as const) d.set(walls, x, y, 'ruin-wall');
  d.edgePaths();

  // Players: the zone's spawn (at the road's start), the arrival from town, the portal back, the boss spot, the scout camp.
  d.point('zones', 'spawn', 'field_road', 5, 48);
  d.point('zones', 'point', 'from_town', 4, 48);
  d.area('zones', 'portal', 'to_town', 0, 46, 1, 50, { target: 'from_field', zone: 'town' });
  d.point('zones', 'point', 'barrow_throne', 111, 10);
  d.area('zones', 'safe-area', 'scout_camp', 86, 40, 94, 44);

  // NPCs.
  d.area('npcs', 'spawn-area', 'wolf_meadow', 10, 12, 32, 34, { count: 6, jitter: 15, npc: 'npc.wolf', respawn: 45 });
  d.area('npcs', 'spawn-area', 'boar_fields', 8, 56, 32, 80, { count: 6, jitter: 10, npc: 'npc.boar', respawn: 40 });
  d.area('npcs', 'spawn-area', 'thornwood_edge', 44, 28, 60, 42, { count: 3, jitter: 30, npc: 'npc.dire_wolf', respawn: 90 });
  d.area('npcs', 'spawn-area', 'bear_glade', 58, 14, 66, 21, { count: 2, jitter: 30, npc: 'npc.black_bear', respawn: 120 });
  d.area('npcs', 'spawn-area', 'bandit_camp', 74, 66, 92, 86, { count: 5, jitter: 30, npc: 'npc.bandit', respawn: 90 });
  d.area('npcs', 'spawn-area', 'bandit_huts', 77, 71, 90, 84, { count: 2, jitter: 30, npc: 'npc.bandit_brute', respawn: 150 });
  d.area('npcs', 'spawn-area', 'ruins_court', 100, 23, 121, 38, { count: 6, jitter: 20, npc: 'npc.skeleton', respawn: 60 });
  d.area('npcs', 'spawn-area', 'crypt', 104, 16, 118, 20, { count: 3, jitter: 30, npc: 'npc.skeleton_warrior', respawn: 120 });
  d.point('npcs', 'npc', 'scout_bryn', 90, 42, { npc: 'npc.scout_bryn' });
  return d;
}

function main(): void {
  for (const d of [drawTown(), drawField()]) {
    writeFileSync(join(OUT, d.name), d.toTmx());
    console.log(`data/maps/${d.name}: ${d.width}x${d.height}, ${d.layers.zones.length + d.layers.npcs.length} objects`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
