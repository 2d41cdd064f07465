/**
 * The normalised, plain-data model of a Tiled map, the same whether the map
 * was saved as TMX (XML) or TMJ (JSON). Everything here is data: no classes,
 * no methods, so the content compiler can walk it, snapshot it in tests and
 * compare two readings with deep equality.
 *
 * Coordinates: tile layers are dense grids of `map.width × map.height` cells,
 * row-major. For an infinite map the grid is the bounding box of all chunks
 * and cell (0, 0) is Tiled tile (`originX`, `originY`), which may be negative;
 * object coordinates stay in Tiled's pixels, so subtract
 * `originX * tileWidth` / `originY * tileHeight` to put them on the grid.
 */

/**
 * Flag bits of a raw global tile id, shifted down by {@link GID_FLAG_SHIFT}
 * into the per-cell `flags` arrays (so `flags = raw >>> 28`).
 */
export const TileFlag = {
  /** 0x80000000 in the raw gid. */
  FLIP_HORIZONTAL: 0b1000,
  /** 0x40000000 in the raw gid. */
  FLIP_VERTICAL: 0b0100,
  /** 0x20000000 in the raw gid: swap x and y (with the two above, rotation). */
  FLIP_DIAGONAL: 0b0010,
  /** 0x10000000 in the raw gid: 120° rotation on hexagonal maps. */
  ROTATE_HEX_120: 0b0001,
} as const;
export type TileFlagValue = (typeof TileFlag)[keyof typeof TileFlag];

/** Raw gid bits above this shift are {@link TileFlag}s. */
export const GID_FLAG_SHIFT = 28;
/** Mask of the tile-id part of a raw gid. */
export const GID_MASK = 0x0fff_ffff;

/** Caps that keep a hostile or mistaken file from exhausting memory. */
export interface TiledLimits {
  /** Largest grid (width × height in tiles) of a map or an infinite map's bounding box. */
  maxMapTiles: number;
  /** Largest sum of tile cells over all tile layers and chunks of one map. */
  maxTotalTiles: number;
  /** Deepest nesting of group layers. */
  maxGroupDepth: number;
  /** Deepest nesting of class-typed property values. */
  maxPropertyDepth: number;
  /** Largest file the loader may hand over, in bytes. */
  maxFileBytes: number;
}

export const DEFAULT_TILED_LIMITS: Readonly<TiledLimits> = {
  maxMapTiles: 4096 * 4096,
  maxTotalTiles: 4 * 4096 * 4096,
  maxGroupDepth: 32,
  maxPropertyDepth: 16,
  maxFileBytes: 256 * 1024 * 1024,
};

/** One typed custom property. `propertyType` names a custom enum or class type, '' when none. */
export type PropertyValue =
  | { type: 'string' | 'color' | 'file'; value: string; propertyType: string }
  | { type: 'int' | 'float' | 'object'; value: number; propertyType: string }
  | { type: 'bool'; value: boolean; propertyType: string }
  | { type: 'class'; value: Properties; propertyType: string };
export type PropertyType = PropertyValue['type'];

/**
 * Custom properties by name. The records have no prototype, so a property
 * named `constructor` or `__proto__` is just a property.
 */
export type Properties = { [name: string]: PropertyValue };

export interface Point {
  x: number;
  y: number;
}

export interface TiledImage {
  /** As written in the file. */
  source: string;
  /** Resolved against the file that names it (map or tileset). */
  path: string;
  width: number;
  height: number;
  /** `#rrggbb` colour treated as transparent, '' when none. */
  transparentColor: string;
}

export interface AnimationFrame {
  tileId: number;
  /** Milliseconds. */
  duration: number;
}

/** A tile of a tileset that carries data (properties, animation, image, collision shapes). */
export interface TilesetTile {
  /** Local id within the tileset. */
  id: number;
  /** From `type` (Tiled ≤1.8 and ≥1.10) or `class` (Tiled 1.9). */
  class: string;
  probability: number;
  properties: Properties;
  animation: AnimationFrame[];
  /** Image of an image-collection tileset's tile. */
  image: TiledImage | null;
  /** Collision shapes drawn in the tile collision editor. */
  objects: TiledObject[];
}

export interface Tileset {
  firstGid: number;
  /** Resolved path of the external TSX/TSJ file, '' for an embedded tileset. */
  source: string;
  name: string;
  class: string;
  tileWidth: number;
  tileHeight: number;
  spacing: number;
  margin: number;
  tileCount: number;
  columns: number;
  tileOffsetX: number;
  tileOffsetY: number;
  objectAlignment: string;
  image: TiledImage | null;
  properties: Properties;
  /** Tiles with data, sorted by id. */
  tiles: TilesetTile[];
}

export type ObjectShape = 'rectangle' | 'point' | 'ellipse' | 'polygon' | 'polyline' | 'text' | 'tile';

export interface TiledObject {
  id: number;
  name: string;
  /** From `type` (Tiled ≤1.8 and ≥1.10) or `class` (Tiled 1.9). */
  class: string;
  /** Pixels; for tile objects the bottom-left corner, as Tiled stores it. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Degrees clockwise. */
  rotation: number;
  visible: boolean;
  shape: ObjectShape;
  /** Polygon/polyline vertices relative to (x, y); empty for other shapes. */
  points: Point[];
  /** Global tile id of a tile object (flags removed), 0 otherwise. */
  gid: number;
  /** {@link TileFlag} bits of a tile object's gid. */
  flags: number;
  /** Text of a text object, '' otherwise. */
  text: string;
  /** Resolved path of the template this object was made from, '' when none. */
  template: string;
  /** The template's properties overlaid with the instance's. */
  properties: Properties;
}

/** Values composed along the chain of enclosing groups, as Tiled renders them. */
export interface EffectiveLayerState {
  visible: boolean;
  opacity: number;
  offsetX: number;
  offsetY: number;
  parallaxX: number;
  parallaxY: number;
}

export interface LayerCommon {
  id: number;
  name: string;
  class: string;
  /** As written on this layer alone; see `effective` for the composed values. */
  visible: boolean;
  opacity: number;
  offsetX: number;
  offsetY: number;
  parallaxX: number;
  parallaxY: number;
  tintColor: string;
  properties: Properties;
  /** Index of the enclosing group in `TiledMap.groups`, -1 at top level. */
  parent: number;
  /** Names of the enclosing groups and this layer, joined by '/'. */
  path: string;
  effective: EffectiveLayerState;
}

export interface TileLayer extends LayerCommon {
  kind: 'tile';
  /** Global tile ids without flag bits, `map.width × map.height`, row-major; 0 = empty. */
  gids: Uint32Array;
  /** {@link TileFlag} bits per cell. */
  flags: Uint8Array;
}

export interface ObjectLayer extends LayerCommon {
  kind: 'object';
  color: string;
  drawOrder: 'topdown' | 'index';
  objects: TiledObject[];
}

export interface ImageLayer extends LayerCommon {
  kind: 'image';
  image: TiledImage | null;
  repeatX: boolean;
  repeatY: boolean;
}

export interface GroupLayer extends LayerCommon {
  kind: 'group';
}

/** A leaf layer after group flattening, in drawing order. */
export type Layer = TileLayer | ObjectLayer | ImageLayer;

export type Orientation = 'orthogonal' | 'isometric' | 'staggered' | 'hexagonal';
/** Every orientation Tiled writes. */
export const ORIENTATIONS: readonly string[] = ['orthogonal', 'isometric', 'staggered', 'hexagonal'] satisfies Orientation[];

export interface TiledMap {
  /** The path the map was read from. */
  file: string;
  format: 'tmx' | 'tmj';
  version: string;
  tiledVersion: string;
  class: string;
  orientation: Orientation;
  renderOrder: string;
  /** Grid size in tiles (for an infinite map, the chunks' bounding box). */
  width: number;
  height: number;
  tileWidth: number;
  tileHeight: number;
  infinite: boolean;
  /** Tiled tile coordinates of grid cell (0, 0); both 0 for a finite map. */
  originX: number;
  originY: number;
  backgroundColor: string;
  properties: Properties;
  /** Sorted by firstGid. */
  tilesets: Tileset[];
  /** Leaf layers, group layers flattened, in drawing order (bottom first). */
  layers: Layer[];
  /** Every group layer, parents before children. */
  groups: GroupLayer[];
}

/** A global tile id resolved to its tileset. */
export interface TileRef {
  /** Index into `TiledMap.tilesets`. */
  tileset: number;
  localId: number;
}
