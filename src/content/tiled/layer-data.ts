import { gunzipSync, inflateSync } from 'node:zlib';
import { fail, messageOf, type Where } from './errors.ts';

/**
 * Raw tile ids (flag bits still set) of one rectangle of a tile layer: the
 * whole layer of a finite map, or one chunk of an infinite one. Coordinates
 * are Tiled tile coordinates.
 */
export interface RawChunk {
  x: number;
  y: number;
  width: number;
  height: number;
  values: Uint32Array;
  where: Where;
}

/** Bounds and budget shared by every chunk of one map reading. */
export interface TileBudget {
  maxMapTiles: number;
  maxTotalTiles: number;
  used: number;
}

/**
 * Checks a declared rectangle against the caps before anything is allocated,
 * and charges it to the map's budget.
 */
export function reserveTiles(budget: TileBudget, width: number, height: number, where: Where): number {
  const count = width * height;
  if (count > budget.maxMapTiles) {
    fail(where, `${width}×${height} tiles is more than the ${budget.maxMapTiles} allowed`);
  }
  budget.used += count;
  if (budget.used > budget.maxTotalTiles) {
    fail(where, `tile layers hold more than the ${budget.maxTotalTiles} tiles allowed in one map`);
  }
  return count;
}

/** Parses Tiled's CSV layer data ("1,2,3,\n4,5,6"); a trailing comma is accepted. */
export function decodeCsv(text: string, count: number, where: Where): Uint32Array {
  const out = new Uint32Array(count);
  let n = 0;
  let value = 0;
  let digits = 0;
  let ended = false;
  const push = (): void => {
    if (n >= count) fail(where, `CSV data has more than the ${count} tiles expected`);
    out[n++] = value;
    value = 0;
    digits = 0;
    ended = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (ended) fail(where, `CSV value ${n + 1}: missing comma between numbers`);
      value = value * 10 + (c - 48);
      digits++;
      if (value > 0xffff_ffff) fail(where, `CSV value ${n + 1} does not fit in 32 bits`);
    } else if (c === 44) {
      if (digits === 0) fail(where, `CSV value ${n + 1} is empty`);
      push();
    } else if (c === 32 || c === 10 || c === 13 || c === 9) {
      if (digits > 0) ended = true;
    } else {
      fail(where, `CSV value ${n + 1}: unexpected character ${JSON.stringify(text[i])}`);
    }
  }
  if (digits > 0) push();
  if (n !== count) fail(where, `CSV data has ${n} tiles, expected ${count}`);
  return out;
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes base64 layer data, inflating zlib or gzip; validates the length against `count` tiles. */
export function decodeBase64(text: string, compression: string, count: number, where: Where): Uint32Array {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64_RE.test(compact)) {
    fail(where, 'layer data is not valid base64 (truncated or stray characters)');
  }
  const packed = Buffer.from(compact, 'base64');
  const expected = count * 4;
  let bytes: Uint8Array;
  switch (compression) {
    case '':
      bytes = packed;
      break;
    case 'zlib':
    case 'gzip':
      bytes = inflate(packed, compression, expected, where);
      break;
    case 'zstd':
      return fail(where, 'zstd-compressed layer data is not supported; in Tiled set the map\'s Tile Layer Format to "Base64 (zlib compressed)", "Base64 (gzip compressed)" or "CSV" and save again');
    default:
      return fail(where, `unknown layer data compression "${compression}" (supported: zlib, gzip, or none)`);
  }
  if (bytes.byteLength !== expected) {
    fail(where, `layer data is ${bytes.byteLength} bytes, expected ${count} tiles × 4 = ${expected}`);
  }
  return littleEndianU32(bytes, count);
}

function inflate(packed: Buffer, kind: 'zlib' | 'gzip', expected: number, where: Where): Uint8Array {
  if (expected === 0) return packed.byteLength === 0 ? packed : fail(where, `${kind} data given for a layer with no tiles`);
  try {
    // maxOutputLength stops a decompression bomb at the size the layer can hold.
    return kind === 'zlib' ? inflateSync(packed, { maxOutputLength: expected }) : gunzipSync(packed, { maxOutputLength: expected });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      return fail(where, `${kind} layer data inflates to more than the ${expected} bytes (tiles × 4) expected`, err);
    }
    return fail(where, `corrupt ${kind} layer data: ${messageOf(err)}`, err);
  }
}

function littleEndianU32(bytes: Uint8Array, count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let i = 0, o = 0; i < count; i++, o += 4) {
    out[i] = (bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24)) >>> 0;
  }
  return out;
}

/** Validates a JSON array of raw gids. */
export function decodeJsonArray(data: unknown[], count: number, where: Where): Uint32Array {
  if (data.length !== count) fail(where, `layer data has ${data.length} tiles, expected ${count}`);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff) {
      fail({ file: where.file, position: `${where.position}[${i}]` }, `tile id must be an integer in [0, 4294967295], got ${JSON.stringify(v)}`);
    }
    out[i] = v;
  }
  return out;
}
