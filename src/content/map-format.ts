import { crc32 } from 'node:zlib';

/**
 * Binary map format, version 1 (little-endian):
 *   "TSMP" | u16 version | u16 width | u16 height | u16 spawnX | u16 spawnY
 *   | u32 crc32(tiles) | width × height tile bytes (Terrain), row-major.
 * Positions are in world units; one tile is one unit.
 */
export const MAP_MAGIC = 0x504d5354; // "TSMP" read as little-endian u32
export const MAP_VERSION = 1;
export const MAP_HEADER_BYTES = 18;
/** Largest edge: positions travel as u16 in 1/16 units. */
export const MAP_MAX_EDGE = 4095;

export const Terrain = { GRASS: 0, ROCK: 1, WATER: 2 } as const;

export class MapFormatError extends Error {
  constructor(message: string) {
    super(`map: ${message}`);
    this.name = 'MapFormatError';
  }
}

export interface GameMap {
  width: number;
  height: number;
  spawnX: number;
  spawnY: number;
  tiles: Uint8Array;
}

/** True when a tile blocks movement. */
export function isBlocked(map: GameMap, tx: number, ty: number): boolean {
  if (tx < 0 || ty < 0 || tx >= map.width || ty >= map.height) return true;
  return map.tiles[ty * map.width + tx] !== Terrain.GRASS;
}

export function encodeMap(map: GameMap): Uint8Array {
  if (map.tiles.length !== map.width * map.height) throw new MapFormatError('tile count does not match width × height');
  const out = new Uint8Array(MAP_HEADER_BYTES + map.tiles.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, MAP_MAGIC, true);
  v.setUint16(4, MAP_VERSION, true);
  v.setUint16(6, map.width, true);
  v.setUint16(8, map.height, true);
  v.setUint16(10, map.spawnX, true);
  v.setUint16(12, map.spawnY, true);
  v.setUint32(14, crc32(map.tiles), true);
  out.set(map.tiles, MAP_HEADER_BYTES);
  return out;
}

/** Decodes and validates a map; throws MapFormatError naming what is wrong. */
export function decodeMap(bytes: Uint8Array): GameMap {
  if (bytes.length < MAP_HEADER_BYTES) throw new MapFormatError(`file of ${bytes.length} bytes is shorter than the header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0, true) !== MAP_MAGIC) throw new MapFormatError('bad magic: not a Tessera map');
  const version = v.getUint16(4, true);
  if (version !== MAP_VERSION) throw new MapFormatError(`unsupported version ${version} (expected ${MAP_VERSION})`);
  const width = v.getUint16(6, true);
  const height = v.getUint16(8, true);
  if (width < 1 || height < 1 || width > MAP_MAX_EDGE || height > MAP_MAX_EDGE) {
    throw new MapFormatError(`size ${width}x${height} out of 1..${MAP_MAX_EDGE}`);
  }
  const expected = MAP_HEADER_BYTES + width * height;
  if (bytes.length !== expected) throw new MapFormatError(`expected ${expected} bytes for ${width}x${height}, got ${bytes.length}`);
  const tiles = bytes.subarray(MAP_HEADER_BYTES);
  if (crc32(tiles) !== v.getUint32(14, true)) throw new MapFormatError('tile checksum mismatch (corrupt file)');
  for (let i = 0; i < tiles.length; i++) {
    if (tiles[i] > Terrain.WATER) throw new MapFormatError(`unknown terrain ${tiles[i]} at tile ${i % width},${Math.floor(i / width)}`);
  }
  const map = { width, height, spawnX: v.getUint16(10, true), spawnY: v.getUint16(12, true), tiles };
  if (isBlocked(map, map.spawnX, map.spawnY)) throw new MapFormatError(`spawn ${map.spawnX},${map.spawnY} is not walkable`);
  return map;
}
