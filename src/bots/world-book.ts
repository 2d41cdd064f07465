import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadContent } from '../content/schema/load.ts';
import { EQUIP_SLOTS } from '../content/schema/items.ts';
import type { Content } from '../content/schema/kinds.ts';
import { parseWorldFile, WORLD_FILE } from '../content/schema/world.ts';
import { readTiledMap, TiledError } from '../content/tiled/index.ts';
import { namedAreasOf } from '../content/zone-areas.ts';
import { zoneMapOf, type Rect, type ZoneMap } from '../content/zone-map.ts';

/**
 * What questing and looting bots know of the world the server plays, as
 * plain data (it travels to the bot workers in workerData): each zone's
 * walkability, portals, NPC placements, spawn areas and named areas; the
 * quests a bot can do (kill, reach and talk objectives; collect quests are
 * left out); and how each item is worn or used. Numbers are the wire's:
 * NPC templates and items 1-based in file order, quests 0-based.
 */
export interface WorldBook {
  zones: BookZone[];
  quests: BookQuest[];
  /** items[template]; null for 0 and for items a bot neither wears nor uses. */
  items: (BookItem | null)[];
  /** Classes in the content: account bots create characters of class 1 to this. */
  classes: number;
}

export interface BookZone {
  name: string;
  width: number;
  height: number;
  /** Terrain per tile, row-major (map-format.ts): 0 walkable. */
  tiles: Uint8Array;
  portals: (Rect & { zone: string })[];
  /** Placed NPCs (quest givers and the like): template number, tile position. */
  npcs: { template: number; x: number; y: number }[];
  /** Spawn areas: the template they hold and how many at once. */
  spawnAreas: (Rect & { template: number; count: number })[];
  /** Areas a `reach` objective names (zone-areas.ts). */
  areas: (Rect & { name: string })[];
}

/** One objective a bot can carry out: kill N of a template, reach an area, or talk to an NPC. */
export type BookObjective =
  | { type: 'kill'; template: number; count: number }
  | { type: 'reach'; zone: string; area: Rect }
  | { type: 'talk'; template: number };

export interface BookQuest {
  number: number;
  /** Template of the NPC that gives it, and of the one that takes it back. */
  giver: number;
  turnIn: number;
  minLevel: number;
  /** Quest numbers that must be done first. */
  prerequisites: number[];
  repeatable: boolean;
  objectives: BookObjective[];
}

export interface BookItem {
  /** Index in EQUIP_SLOTS (the EQUIPMENT container's slot); -1: not worn. */
  slot: number;
  levelRequired: number;
  /** Class numbers that may wear it (1-based, classes.json order); empty: all. */
  classes: number[];
  /** How good it is to wear: its stats summed, a weapon's damage per second added. */
  score: number;
  /** A consumable whose use heals: drunk when low on health. */
  heals: boolean;
  cooldownMs: number;
}

/** Where an NPC template stands (its first placement), and where one is hunted (its first spawn area). */
export interface Place {
  zone: string;
  x: number;
  y: number;
}

export interface Hunt {
  zone: string;
  area: Rect;
}

/** Template → where it stands, over the book's zones. */
export function placesOf(book: WorldBook): Map<number, Place> {
  const out = new Map<number, Place>();
  for (const z of book.zones) for (const n of z.npcs) if (!out.has(n.template)) out.set(n.template, { zone: z.name, x: n.x, y: n.y });
  return out;
}

/** Template → where it is hunted, over the book's zones. */
export function huntsOf(book: WorldBook): Map<number, Hunt> {
  const out = new Map<number, Hunt>();
  for (const z of book.zones) for (const a of z.spawnAreas) if (!out.has(a.template)) out.set(a.template, { zone: z.name, area: a });
  return out;
}

/** Stats counted in hundredths (a chance of 100 is 1 %). */
const HUNDREDTHS = new Set(['critChance', 'dodgeChance']);

function itemOf(it: Content['items'][number], content: Content): BookItem | null {
  if (it.slot !== undefined) {
    let score = 0;
    for (const [k, v] of Object.entries(it.stats ?? {})) score += HUNDREDTHS.has(k) ? (v as number) / 100 : (v as number);
    if (it.weapon) score += ((it.weapon.damage.min + it.weapon.damage.max) / 2 / it.weapon.intervalMs) * 1000;
    const classes = (it.classes ?? []).map((id) => content.classes.findIndex((c) => c.id === id) + 1).filter((n) => n > 0);
    return { slot: EQUIP_SLOTS.indexOf(it.slot), levelRequired: it.levelRequired ?? 1, classes, score, heals: false, cooldownMs: 0 };
  }
  if (it.use) {
    const skill = content.skills.find((s) => s.id === it.use!.skill);
    const heals = skill?.effects.some((e) => e.type === 'heal' || e.type === 'healOverTime') ?? false;
    if (heals) return { slot: -1, levelRequired: it.levelRequired ?? 1, classes: [], score: 0, heals, cooldownMs: it.use.cooldownMs };
  }
  return null;
}

/** The book of validated content and the zones' maps (by zone name). */
export function worldBookOf(content: Content, zones: { name: string; map: ZoneMap }[]): WorldBook {
  const template = (id: string): number => content.npcs.findIndex((n) => n.id === id) + 1;
  const quests: BookQuest[] = [];
  content.quests.forEach((q, number) => {
    const objectives: BookObjective[] = [];
    for (const o of q.objectives) {
      if (o.type === 'kill') objectives.push({ type: 'kill', template: template(o.npc), count: o.count });
      else if (o.type === 'talk') objectives.push({ type: 'talk', template: template(o.npc) });
      else if (o.type === 'reach') {
        const z = zones.find((x) => x.name === o.map);
        const area = z ? namedAreasOf(z.map).find((a) => a.name === o.area) : undefined;
        if (!area) return;
        objectives.push({ type: 'reach', zone: o.map, area: { x: area.x, y: area.y, width: area.width, height: area.height } });
      } else return; // collect: the bot would have to know what drops what; not done.
    }
    const prerequisites = q.prerequisites.map((id) => content.quests.findIndex((p) => p.id === id));
    quests.push({
      number,
      giver: template(q.giver),
      turnIn: template(q.turnIn ?? q.giver),
      minLevel: q.minLevel ?? 1,
      prerequisites,
      repeatable: q.repeatable,
      objectives,
    });
  });
  return {
    zones: zones.map(({ name, map }) => ({
      name,
      width: map.width,
      height: map.height,
      tiles: map.tiles,
      portals: map.portals.map((p) => ({ zone: p.zone, x: p.x, y: p.y, width: p.width, height: p.height })),
      npcs: map.npcs.map((n) => ({ template: template(n.npc), x: n.x, y: n.y })),
      spawnAreas: map.spawnAreas.map((a) => ({ template: template(a.npc), count: a.count, x: a.x, y: a.y, width: a.width, height: a.height })),
      areas: namedAreasOf(map).map((a) => ({ name: a.name, x: a.x, y: a.y, width: a.width, height: a.height })),
    })),
    quests,
    items: [null, ...content.items.map((it) => itemOf(it, content))],
    classes: content.classes.length,
  };
}

/**
 * Reads the world in content folder `dir` (world.json, its content files and
 * maps, validated as the compiler does), or null when it has no world.json
 * (the server then plays a generated map: questers fight instead). Throws
 * naming the file on content that does not load.
 */
export function loadWorldBook(dir: string): WorldBook | null {
  const worldFile = join(dir, WORLD_FILE);
  if (!existsSync(worldFile)) return null;
  const parsed = parseWorldFile(readFileSync(worldFile, 'utf8'));
  if (!parsed.ok) throw new Error(`--content ${dir}: ${WORLD_FILE} ${parsed.errors[0].path}: ${parsed.errors[0].message}`);
  const world = parsed.world;
  const contentDir = resolve(dir, world.content);
  const r = loadContent((name) => {
    try {
      return readFileSync(join(contentDir, name), 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return undefined;
      throw err;
    }
  });
  if (!r.ok) throw new Error(`--content ${dir}: ${r.errors.length} problem(s), the first: ${r.errors[0].file} ${r.errors[0].path}: ${r.errors[0].message}`);
  const zones = world.zones.map((z) => {
    try {
      return { name: z.name, map: zoneMapOf(readTiledMap(resolve(dir, z.map))) };
    } catch (err) {
      if (err instanceof TiledError) throw new Error(`--content ${dir}: zone ${z.name}: ${err.message}`);
      throw err;
    }
  });
  return worldBookOf(r.content, zones);
}
