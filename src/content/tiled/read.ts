import { assembleMap } from './assemble.ts';
import type { RawTemplate, ReadContext, TilesetBody } from './context.ts';
import type { Where } from './errors.ts';
import { fsLoader, loadDocument, type TiledLoader } from './loader.ts';
import { basename } from 'node:path';
import { DEFAULT_TILED_LIMITS, type Tileset, type TiledLimits, type TiledMap } from './model.ts';
import { jsonTilesetBody, readTjTemplate, readTmjMap } from './tmj.ts';
import { readTmxMap, readTxTemplate, xmlTilesetBody } from './tmx.ts';

export interface ReadTiledOptions {
  /** Where bytes come from; defaults to the file system. */
  loader?: TiledLoader;
  /** Overrides of {@link DEFAULT_TILED_LIMITS}. */
  limits?: Partial<TiledLimits>;
}

function checkLimits(limits: Partial<TiledLimits> | undefined): TiledLimits {
  const out: TiledLimits = { ...DEFAULT_TILED_LIMITS };
  for (const key of Object.keys(DEFAULT_TILED_LIMITS) as (keyof TiledLimits)[]) {
    const v = limits?.[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`options.limits.${key} must be a positive integer, got ${String(v)}`);
    out[key] = v;
  }
  return out;
}

/**
 * Reads a Tiled map (TMX or TMJ, told apart by content) with its external
 * tilesets and object templates into the normalised {@link TiledMap}.
 * Any problem with the files — malformed, truncated, inconsistent, too large,
 * missing — is a {@link TiledError} naming the file and the position in it.
 */
export function readTiledMap(path: string, options: ReadTiledOptions = {}): TiledMap {
  const loader = options.loader ?? fsLoader;
  const limits = checkLimits(options.limits);
  const tilesets = new Map<string, TilesetBody>();
  const templates = new Map<string, RawTemplate>();
  const ctx: ReadContext = {
    loader,
    limits,
    budget: { maxMapTiles: limits.maxMapTiles, maxTotalTiles: limits.maxTotalTiles, used: 0 },
    tileset(file: string, from: Where): TilesetBody {
      let body = tilesets.get(file);
      if (body === undefined) {
        const doc = loadDocument(loader, limits, file, from);
        body = doc.kind === 'xml' ? xmlTilesetBody(ctx, doc.root) : jsonTilesetBody(ctx, doc.root);
        tilesets.set(file, body);
      }
      return body;
    },
    template(file: string, from: Where): RawTemplate {
      let tpl = templates.get(file);
      if (tpl === undefined) {
        const doc = loadDocument(loader, limits, file, from);
        tpl = doc.kind === 'xml' ? readTxTemplate(ctx, doc.root) : readTjTemplate(ctx, doc.root);
        templates.set(file, tpl);
      }
      return tpl;
    },
  };
  const doc = loadDocument(loader, limits, path, null);
  const raw = doc.kind === 'xml' ? readTmxMap(ctx, doc.root) : readTmjMap(ctx, doc.root);
  return assembleMap(ctx, raw);
}

/**
 * Reads one external tileset (TSX or TSJ) on its own, with the same checks
 * and model as a map's: it is read as the only tileset of an empty 1×1 map
 * that the loader answers for, so every rule of the map reader holds.
 */
export function readTiledTileset(path: string, options: ReadTiledOptions = {}): Tileset {
  const loader = options.loader ?? fsLoader;
  const host = `${path}.tileset-host.tmj`;
  const map = JSON.stringify({
    type: 'map',
    orientation: 'orthogonal',
    renderorder: 'right-down',
    width: 1,
    height: 1,
    tilewidth: 1,
    tileheight: 1,
    infinite: false,
    layers: [],
    tilesets: [{ firstgid: 1, source: basename(path) }],
  });
  const tiled = readTiledMap(host, { ...options, loader: (p) => (p === host ? map : loader(p)) });
  return tiled.tilesets[0];
}
