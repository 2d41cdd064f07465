import type { ClientLayerJson, ClientMapJson, ClientTilesetJson } from './types.ts';

/**
 * Tiled's tile data as the client map carries it: base64 little-endian u32
 * global tile ids with the flip bits in the top four (horizontal 8,
 * vertical 4, diagonal 2, hexagonal 1 once shifted down), and the terrain
 * as one byte per tile.
 */
export const GID_MASK = 0x0fffffff;
export const FLIP_H = 8;
export const FLIP_V = 4;
export const FLIP_D = 2;

export function base64Bytes(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A tile layer's gids (flags included), `width × height` of them. */
export function layerGids(data: string, width: number, height: number): Uint32Array {
  const bytes = base64Bytes(data);
  if (bytes.length !== width * height * 4) throw new Error(`tile layer has ${bytes.length} bytes, expected ${width * height * 4}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

/**
 * The PixiJS groupD8 rotation that draws a tile as Tiled does with these
 * flags (diagonal flip first, then horizontal, then vertical; checked
 * against groupD8's corner mapping in test/web/client/content/tile-data.test.ts).
 */
export function d8OfFlags(flags: number): number {
  const h = (flags & FLIP_H) !== 0;
  const v = (flags & FLIP_V) !== 0;
  const d = (flags & FLIP_D) !== 0;
  if (!d) return h ? (v ? 4 : 12) : v ? 8 : 0;
  return h ? (v ? 14 : 6) : v ? 2 : 10;
}

/**
 * The same flips as a 2×2 matrix [a, b, c, d] (x' = a·x + c·y,
 * y' = b·x + d·y) about the tile's centre, for tiles drawn as sprites.
 */
export function flipMatrix(flags: number): [number, number, number, number] {
  const fh = (flags & FLIP_H) !== 0 ? -1 : 1;
  const fv = (flags & FLIP_V) !== 0 ? -1 : 1;
  return (flags & FLIP_D) !== 0 ? [0, fv, fh, 0] : [fh, 0, 0, fv];
}

/** The tileset a gid (flags stripped) belongs to, or undefined (0 is empty). */
export function tilesetOf(tilesets: readonly ClientTilesetJson[], gid: number): ClientTilesetJson | undefined {
  if (gid === 0) return undefined;
  let found: ClientTilesetJson | undefined;
  for (const ts of tilesets) if (ts.firstGid <= gid && (found === undefined || ts.firstGid > found.firstGid)) found = ts;
  return found && gid - found.firstGid < found.tileCount ? found : undefined;
}

/** Where a tile's picture is in its tileset image (pixels). */
export function tileFrame(ts: ClientTilesetJson, id: number): { x: number; y: number; w: number; h: number } {
  const cols = Math.max(1, ts.columns);
  return {
    x: ts.margin + (id % cols) * (ts.tileWidth + ts.spacing),
    y: ts.margin + Math.floor(id / cols) * (ts.tileHeight + ts.spacing),
    w: ts.tileWidth,
    h: ts.tileHeight,
  };
}

/** True for the layer that starts what is drawn over entities: named "above", or with the bool property above. */
function startsAbove(l: ClientLayerJson): boolean {
  const p = l.properties.above;
  return l.name.toLowerCase() === 'above' || (p?.type === 'bool' && p.value === true);
}

/** Index of the first layer drawn over entities (layers.length when none is). */
export function aboveFrom(map: ClientMapJson): number {
  const i = map.layers.findIndex(startsAbove);
  return i < 0 ? map.layers.length : i;
}

/** A zone's title: the map's string property `title`, else its name with a capital. */
export function zoneTitle(map: Pick<ClientMapJson, 'name' | 'properties'>): string {
  const t = map.properties.title;
  if (t?.type === 'string' && typeof t.value === 'string' && t.value.trim() !== '') return t.value;
  return map.name.charAt(0).toUpperCase() + map.name.slice(1);
}

/** Milliseconds into an animation of `frames` at time `now`: the frame shown (Tiled loops every animation from time 0). */
export function animationFrame(frames: readonly { tileId: number; duration: number }[], now: number): number {
  let total = 0;
  for (const f of frames) total += Math.max(1, f.duration);
  let t = now % total;
  for (const f of frames) {
    t -= Math.max(1, f.duration);
    if (t < 0) return f.tileId;
  }
  return frames[frames.length - 1].tileId;
}
