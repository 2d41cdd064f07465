import type { Content } from '../schema/kinds.ts';
import type { Tileset } from '../tiled/model.ts';
import type { ClientImage, ImagePlacer } from './client-map.ts';

/**
 * What the browser client needs to draw and label entities
 * (client/<hash>/entities.json): the sprite atlas named by world.json's
 * `sprites` with each sprite's tile, and the names of the NPC templates,
 * classes and items in the order the wire numbers them (an NPC's `template`
 * n is `npcs[n - 1]`: the order of npcs.json, as the cells number them), and
 * what the HUD shows of combat: whether an NPC can be fought, each class's
 * resource and skills, each skill's name, target, cast, cooldown, cost and
 * range (skill n is `skills[n - 1]`, as ACTION and the self record number
 * them).
 */
export const CLIENT_ENTITIES_FORMAT = 2;
export const CLIENT_ENTITIES_FILE = 'entities.json';

export interface ClientSpriteAtlas {
  image: ClientImage;
  tileWidth: number;
  tileHeight: number;
  columns: number;
  spacing: number;
  margin: number;
  tileOffsetX: number;
  tileOffsetY: number;
  /** Sprite name (a class, NPC or item id, or `corpse`, `corpse.<kind>`, `gold`) → local tile id. */
  tiles: Record<string, number>;
}

export interface ClientEntities {
  format: number;
  /** Null when world.json names no sprite tileset: the client draws markers. */
  sprites: ClientSpriteAtlas | null;
  npcs: { id: string; name: string; level: number; hostility: 'aggressive' | 'defensive' | 'passive' | 'friendly' }[];
  classes: { id: string; name: string; resource: 'mana' | 'energy' | 'rage'; skills: { skill: number; level: number }[] }[];
  items: { id: string; name: string }[];
  skills: ClientSkill[];
}

/** A skill as the HUD shows it (the numbers the server checks live in the content pack). */
export interface ClientSkill {
  id: string;
  name: string;
  description: string;
  target: 'self' | 'enemy' | 'ally' | 'point';
  castMs: number;
  cooldownMs: number;
  cost: number;
  range: number;
  /** The school of its first damaging effect ('physical' for a skill without one): the icon's colour. */
  school: string;
  /** Its effects' kinds (damage, heal, buff...), in order. */
  effects: string[];
}

/** The tile property naming what a sprite stands for. */
export const SPRITE_PROPERTY = 'sprite';

/**
 * Builds the client's entity catalogue. Problems (a sprite named twice, a
 * sprite naming an id the content lacks) come back as warnings: a missing
 * sprite is drawn as a marker, never a failed build.
 */
export function clientEntitiesOf(content: Content, sprites: Tileset | null, place: ImagePlacer, warn: (message: string) => void): ClientEntities {
  // Skills are numbered from 1 in skills.json order (src/content/skill-table.ts), as on the wire.
  const skillNumber = new Map(content.skills.map((s, i) => [s.id, i + 1]));
  let atlas: ClientSpriteAtlas | null = null;
  if (sprites) {
    if (!sprites.image) warn(`sprite tileset ${sprites.name}: has no single atlas image; sprites are drawn as markers`);
    else {
      const known = new Set<string>([...content.npcs.map((n) => n.id), ...content.classes.map((c) => c.id), ...content.items.map((i) => i.id)]);
      const tiles: Record<string, number> = {};
      for (const t of sprites.tiles) {
        const p = t.properties[SPRITE_PROPERTY];
        if (!p || p.type !== 'string' || typeof p.value !== 'string' || p.value === '') continue;
        const name = p.value;
        if (Object.hasOwn(tiles, name)) warn(`sprite tileset ${sprites.name}: tile ${t.id} names sprite "${name}" again (tile ${tiles[name]} keeps it)`);
        else tiles[name] = t.id;
        if (/^(class|npc|item)\./.test(name) && !known.has(name)) warn(`sprite tileset ${sprites.name}: tile ${t.id} names "${name}", which no class, NPC template or item has`);
      }
      atlas = {
        image: place(sprites.image),
        tileWidth: sprites.tileWidth,
        tileHeight: sprites.tileHeight,
        columns: sprites.columns,
        spacing: sprites.spacing,
        margin: sprites.margin,
        tileOffsetX: sprites.tileOffsetX,
        tileOffsetY: sprites.tileOffsetY,
        tiles,
      };
    }
  }
  return {
    format: CLIENT_ENTITIES_FORMAT,
    sprites: atlas,
    npcs: content.npcs.map((n) => ({ id: n.id, name: n.name, level: n.level, hostility: n.hostility })),
    classes: content.classes.map((c) => ({
      id: c.id,
      name: c.name,
      resource: c.resource,
      skills: c.skills.map((s) => ({ skill: skillNumber.get(s.skill) ?? 0, level: s.level })).filter((s) => s.skill > 0),
    })),
    items: content.items.map((i) => ({ id: i.id, name: i.name })),
    skills: content.skills.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description ?? '',
      target: s.target,
      castMs: s.castMs,
      cooldownMs: s.cooldownMs,
      cost: s.cost,
      range: s.range,
      school: s.effects.map((e) => ('school' in e ? e.school : undefined)).find((x) => x !== undefined) ?? 'physical',
      effects: s.effects.map((e) => e.type),
    })),
  };
}
