import { GID_FLAG_SHIFT, GID_MASK, type TileRef, type Tileset } from './model.ts';

/** Number of local ids a tileset spans: its tile count, or past its highest tile id for image collections with gaps. */
export function tilesetSpan(tileset: Tileset): number {
  const last = tileset.tiles.at(-1);
  return Math.max(tileset.tileCount, last === undefined ? 0 : last.id + 1);
}

/**
 * Resolves a global tile id (flag bits are ignored) to its tileset and local
 * id via firstGid; null for 0 (empty) or an id no tileset covers.
 * `tilesets` must be sorted by firstGid, as `TiledMap.tilesets` is.
 */
export function resolveGid(tilesets: readonly Tileset[], gid: number): TileRef | null {
  const id = gid & GID_MASK;
  if (id === 0) return null;
  let lo = 0;
  let hi = tilesets.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tilesets[mid]!.firstGid <= id) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) return null;
  const tileset = tilesets[found]!;
  const localId = id - tileset.firstGid;
  return localId < tilesetSpan(tileset) ? { tileset: found, localId } : null;
}

/** Flag bits ({@link TileFlag}) of a raw gid. */
export function gidFlags(raw: number): number {
  return raw >>> GID_FLAG_SHIFT;
}

/** Tile id part of a raw gid. */
export function gidId(raw: number): number {
  return raw & GID_MASK;
}
