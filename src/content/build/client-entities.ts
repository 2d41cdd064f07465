import type { Content } from '../schema/kinds.ts';
import type { Tileset } from '../tiled/model.ts';
import type { ClientImage, ImagePlacer } from './client-map.ts';

/**
 * What the browser client needs to draw and label entities
 * (client/<hash>/entities.json): the sprite atlas named by world.json's
 * `sprites` with each sprite's tile, and the names of the NPC templates,
 * classes and items in the order the wire numbers them (an NPC's `template`
 * n is `npcs[n - 1]`: the order of npcs.json, as the cells number them).
 */
export const CLIENT_ENTITIES_FORMAT = 1;
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
  npcs: { id: string; name: string; level: number }[];
  classes: { id: string; name: string }[];
  items: { id: string; name: string }[];
}

/** The tile property naming what a sprite stands for. */
export const SPRITE_PROPERTY = 'sprite';

/**
 * Builds the client's entity catalogue. Problems (a sprite named twice, a
 * sprite naming an id the content lacks) come back as warnings: a missing
 * sprite is drawn as a marker, never a failed build.
 */
export function clientEntitiesOf(content: Content, sprites: Tileset | null, place: ImagePlacer, warn: (message: string) => void): ClientEntities {
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
    npcs: content.npcs.map((n) => ({ id: n.id, name: n.name, level: n.level })),
    classes: content.classes.map((c) => ({ id: c.id, name: c.name })),
    items: content.items.map((i) => ({ id: i.id, name: i.name })),
  };
}
