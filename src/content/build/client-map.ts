import { GID_FLAG_SHIFT, type Layer, type Properties, type TiledImage, type TiledMap, type TiledObject } from '../tiled/model.ts';
import { ObjectClass, type ZoneMap } from '../zone-map.ts';

/**
 * A zone's map as the browser draws it (client/<hash>/maps/<zone>.json): the
 * tile layers in drawing order with their visibility and offsets, the
 * tilesets with their image, tile size, columns and animations, the object
 * and image layers Tessera gives no meaning to, and the terrain for
 * client-side prediction. Objects of Tessera's classes (spawns, portals...)
 * are the server's and left out.
 *
 * Tile layer `data` and `terrain` are base64: tile layers as little-endian
 * u32 global tile ids with Tiled's flip bits in the top four bits (the same
 * encoding as a Tiled file), terrain one byte per tile (map-format.ts).
 */
export const CLIENT_MAP_FORMAT = 1;

export interface ClientImage {
  /** Path relative to client/<hash>/. */
  path: string;
  width: number;
  height: number;
  transparentColor: string;
}

export interface ClientTileset {
  firstGid: number;
  name: string;
  tileWidth: number;
  tileHeight: number;
  columns: number;
  tileCount: number;
  spacing: number;
  margin: number;
  tileOffsetX: number;
  tileOffsetY: number;
  image: ClientImage | null;
  /** Tiles with their own image (image-collection tilesets). */
  images: { id: number; image: ClientImage }[];
  animations: { id: number; frames: { tileId: number; duration: number }[] }[];
}

interface ClientLayerCommon {
  id: number;
  name: string;
  /** Group path ("world/ground"). */
  path: string;
  /** Composed along the groups, as Tiled draws them. */
  visible: boolean;
  opacity: number;
  offsetX: number;
  offsetY: number;
  parallaxX: number;
  parallaxY: number;
  tintColor: string;
  properties: Properties;
}

export type ClientLayer =
  | (ClientLayerCommon & { kind: 'tile'; data: string })
  | (ClientLayerCommon & { kind: 'object'; color: string; drawOrder: string; objects: TiledObject[] })
  | (ClientLayerCommon & { kind: 'image'; image: ClientImage | null; repeatX: boolean; repeatY: boolean });

export interface ClientMap {
  format: number;
  name: string;
  width: number;
  height: number;
  tileWidth: number;
  tileHeight: number;
  backgroundColor: string;
  properties: Properties;
  tilesets: ClientTileset[];
  layers: ClientLayer[];
  /** Base64 terrain per tile (GRASS 0 walkable; others block). */
  terrain: string;
}

/** Maps a Tiled image to where the build put it. */
export type ImagePlacer = (image: TiledImage) => ClientImage;

const TESSERA_CLASSES = new Set<string>(Object.values(ObjectClass));

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Raw Tiled gids (flags back in the top bits), little-endian. */
function tileData(gids: Uint32Array, flags: Uint8Array): string {
  const out = new Uint32Array(gids.length);
  for (let i = 0; i < gids.length; i++) out[i] = (gids[i] | (flags[i] << GID_FLAG_SHIFT)) >>> 0;
  return base64(new Uint8Array(out.buffer));
}

function layerOf(layer: Layer, place: ImagePlacer): ClientLayer | null {
  const e = layer.effective;
  const common: ClientLayerCommon = {
    id: layer.id,
    name: layer.name,
    path: layer.path,
    visible: e.visible,
    opacity: e.opacity,
    offsetX: e.offsetX,
    offsetY: e.offsetY,
    parallaxX: e.parallaxX,
    parallaxY: e.parallaxY,
    tintColor: layer.tintColor,
    properties: layer.properties,
  };
  switch (layer.kind) {
    case 'tile':
      return { ...common, kind: 'tile', data: tileData(layer.gids, layer.flags) };
    case 'object': {
      const objects = layer.objects.filter((o) => !TESSERA_CLASSES.has(o.class.toLowerCase()));
      // A layer of server objects only (spawns, portals...) means nothing to draw.
      if (objects.length === 0 && layer.objects.length > 0) return null;
      // Template paths are the build machine's; the client has the merged object already.
      return { ...common, kind: 'object', color: layer.color, drawOrder: layer.drawOrder, objects: objects.map(({ template: _, ...o }) => ({ ...o, template: '' })) };
    }
    case 'image':
      return { ...common, kind: 'image', image: layer.image ? place(layer.image) : null, repeatX: layer.repeatX, repeatY: layer.repeatY };
  }
}

/** The browser's view of one zone's map. */
export function clientMapOf(name: string, map: TiledMap, zone: ZoneMap, place: ImagePlacer): ClientMap {
  return {
    format: CLIENT_MAP_FORMAT,
    name,
    width: map.width,
    height: map.height,
    tileWidth: map.tileWidth,
    tileHeight: map.tileHeight,
    backgroundColor: map.backgroundColor,
    properties: map.properties,
    tilesets: map.tilesets.map((ts) => ({
      firstGid: ts.firstGid,
      name: ts.name,
      tileWidth: ts.tileWidth,
      tileHeight: ts.tileHeight,
      columns: ts.columns,
      tileCount: ts.tileCount,
      spacing: ts.spacing,
      margin: ts.margin,
      tileOffsetX: ts.tileOffsetX,
      tileOffsetY: ts.tileOffsetY,
      image: ts.image ? place(ts.image) : null,
      images: ts.tiles.flatMap((t) => (t.image ? [{ id: t.id, image: place(t.image) }] : [])),
      animations: ts.tiles.filter((t) => t.animation.length > 0).map((t) => ({ id: t.id, frames: t.animation.map((f) => ({ tileId: f.tileId, duration: f.duration })) })),
    })),
    layers: map.layers.flatMap((l) => layerOf(l, place) ?? []),
    terrain: base64(zone.tiles),
  };
}

/** Every image a map draws with (tilesets, image-collection tiles, image layers). */
export function imagesOf(map: TiledMap): TiledImage[] {
  const out: TiledImage[] = [];
  for (const ts of map.tilesets) {
    if (ts.image) out.push(ts.image);
    for (const t of ts.tiles) if (t.image) out.push(t.image);
  }
  for (const l of map.layers) if (l.kind === 'image' && l.image) out.push(l.image);
  return out;
}
