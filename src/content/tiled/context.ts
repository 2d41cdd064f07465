import type { Where } from './errors.ts';
import type { TileBudget } from './layer-data.ts';
import type { TiledLoader } from './loader.ts';
import type { ObjectShape, Point, Properties, TiledLimits, Tileset } from './model.ts';

/** A tileset as read from its own file or element, before the map gives it a firstGid. */
export type TilesetBody = Omit<Tileset, 'firstGid' | 'source'>;

/**
 * An object as written, before template merging: absent fields are
 * `undefined` so an instance overrides only what it sets.
 */
export interface RawObject {
  where: Where;
  id: number | undefined;
  name: string | undefined;
  class: string | undefined;
  x: number | undefined;
  y: number | undefined;
  width: number | undefined;
  height: number | undefined;
  rotation: number | undefined;
  visible: boolean | undefined;
  shape: Exclude<ObjectShape, 'rectangle' | 'tile'> | undefined;
  points: Point[] | undefined;
  /** Raw gid with flag bits. */
  gid: number | undefined;
  text: string | undefined;
  /** Resolved template path. */
  template: string | undefined;
  properties: Properties;
}

export interface RawTemplate {
  file: string;
  object: RawObject;
  /** The tileset a tile template's gid refers to, with the template's own firstGid. */
  tileset: { firstGid: number; source: string; where: Where } | null;
}

/** State of one map reading, shared by the TMX and TMJ readers. */
export interface ReadContext {
  loader: TiledLoader;
  limits: TiledLimits;
  budget: TileBudget;
  /** Loads (once) the external tileset at `path`, which `from` refers to. */
  tileset(path: string, from: Where): TilesetBody;
  /** Loads (once) the object template at `path`, which `from` refers to. */
  template(path: string, from: Where): RawTemplate;
}

export function emptyRawObject(where: Where): RawObject {
  return {
    where,
    id: undefined,
    name: undefined,
    class: undefined,
    x: undefined,
    y: undefined,
    width: undefined,
    height: undefined,
    rotation: undefined,
    visible: undefined,
    shape: undefined,
    points: undefined,
    gid: undefined,
    text: undefined,
    template: undefined,
    properties: Object.create(null) as Properties,
  };
}
