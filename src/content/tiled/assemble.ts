import type { RawObject, ReadContext } from './context.ts';
import { fail, type Where } from './errors.ts';
import { resolveGid, tilesetSpan } from './gids.ts';
import type { RawChunk } from './layer-data.ts';
import {
  GID_FLAG_SHIFT,
  GID_MASK,
  type EffectiveLayerState,
  type GroupLayer,
  type Layer,
  type LayerCommon,
  type Orientation,
  type Properties,
  type TiledImage,
  type TiledMap,
  type Tileset,
} from './model.ts';
import { finishObject } from './objects.ts';

/** Layer fields as written, shared by every layer kind (before groups are composed). */
export type RawLayerCommon = Omit<LayerCommon, 'parent' | 'path' | 'effective'> & { where: Where };

export type RawLayer =
  | { kind: 'tile'; common: RawLayerCommon; chunks: RawChunk[] }
  | { kind: 'object'; common: RawLayerCommon; color: string; drawOrder: 'topdown' | 'index'; objects: RawObject[] }
  | { kind: 'image'; common: RawLayerCommon; image: TiledImage | null; repeatX: boolean; repeatY: boolean }
  | { kind: 'group'; common: RawLayerCommon; layers: RawLayer[] };

/** A map as either reader produces it, before grids are built and groups flattened. */
export interface RawMap {
  where: Where;
  format: 'tmx' | 'tmj';
  version: string;
  tiledVersion: string;
  class: string;
  orientation: Orientation;
  renderOrder: string;
  width: number;
  height: number;
  tileWidth: number;
  tileHeight: number;
  infinite: boolean;
  backgroundColor: string;
  properties: Properties;
  tilesets: Tileset[];
  layers: RawLayer[];
}

interface Grid {
  originX: number;
  originY: number;
  width: number;
  height: number;
}

/** Builds the model: one dense grid per tile layer, groups flattened, objects finished. */
export function assembleMap(ctx: ReadContext, raw: RawMap): TiledMap {
  checkTilesets(raw);
  const grid = raw.infinite ? boundingGrid(raw.layers) : { originX: 0, originY: 0, width: raw.width, height: raw.height };
  const cells = grid.width * grid.height;
  if (cells > ctx.limits.maxMapTiles) {
    fail(raw.where, `infinite map's chunks span ${grid.width}×${grid.height} tiles, more than the ${ctx.limits.maxMapTiles} allowed`);
  }
  if (raw.infinite && cells * countTileLayers(raw.layers) > ctx.limits.maxTotalTiles) {
    fail(raw.where, `tile layers of ${grid.width}×${grid.height} tiles exceed the ${ctx.limits.maxTotalTiles} tiles allowed in one map`);
  }
  const map: TiledMap = {
    file: raw.where.file,
    format: raw.format,
    version: raw.version,
    tiledVersion: raw.tiledVersion,
    class: raw.class,
    orientation: raw.orientation,
    renderOrder: raw.renderOrder,
    width: grid.width,
    height: grid.height,
    tileWidth: raw.tileWidth,
    tileHeight: raw.tileHeight,
    infinite: raw.infinite,
    originX: grid.originX,
    originY: grid.originY,
    backgroundColor: raw.backgroundColor,
    properties: raw.properties,
    tilesets: raw.tilesets,
    layers: [],
    groups: [],
  };
  const top: EffectiveLayerState = { visible: true, opacity: 1, offsetX: 0, offsetY: 0, parallaxX: 1, parallaxY: 1 };
  flatten(ctx, map, grid, raw.layers, -1, '', top);
  return map;
}

function checkTilesets(raw: RawMap): void {
  raw.tilesets.sort((a, b) => a.firstGid - b.firstGid);
  for (let i = 1; i < raw.tilesets.length; i++) {
    const prev = raw.tilesets[i - 1]!;
    const cur = raw.tilesets[i]!;
    if (prev.firstGid + tilesetSpan(prev) > cur.firstGid) {
      fail(raw.where, `tileset "${cur.name}" (firstgid ${cur.firstGid}) overlaps tileset "${prev.name}" (firstgid ${prev.firstGid}, ${tilesetSpan(prev)} tiles)`);
    }
  }
}

function boundingGrid(layers: readonly RawLayer[]): Grid {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const visit = (list: readonly RawLayer[]): void => {
    for (const layer of list) {
      if (layer.kind === 'group') visit(layer.layers);
      if (layer.kind !== 'tile') continue;
      for (const c of layer.chunks) {
        minX = Math.min(minX, c.x);
        minY = Math.min(minY, c.y);
        maxX = Math.max(maxX, c.x + c.width);
        maxY = Math.max(maxY, c.y + c.height);
      }
    }
  };
  visit(layers);
  if (minX === Infinity) return { originX: 0, originY: 0, width: 0, height: 0 };
  return { originX: minX, originY: minY, width: maxX - minX, height: maxY - minY };
}

function countTileLayers(layers: readonly RawLayer[]): number {
  let n = 0;
  for (const layer of layers) {
    if (layer.kind === 'tile') n++;
    else if (layer.kind === 'group') n += countTileLayers(layer.layers);
  }
  return n;
}

function flatten(ctx: ReadContext, map: TiledMap, grid: Grid, layers: readonly RawLayer[], parent: number, prefix: string, outer: EffectiveLayerState): void {
  for (const layer of layers) {
    const c = layer.common;
    const effective: EffectiveLayerState = {
      visible: outer.visible && c.visible,
      opacity: outer.opacity * c.opacity,
      offsetX: outer.offsetX + c.offsetX,
      offsetY: outer.offsetY + c.offsetY,
      parallaxX: outer.parallaxX * c.parallaxX,
      parallaxY: outer.parallaxY * c.parallaxY,
    };
    const common: LayerCommon = {
      id: c.id,
      name: c.name,
      class: c.class,
      visible: c.visible,
      opacity: c.opacity,
      offsetX: c.offsetX,
      offsetY: c.offsetY,
      parallaxX: c.parallaxX,
      parallaxY: c.parallaxY,
      tintColor: c.tintColor,
      properties: c.properties,
      parent,
      path: prefix + c.name,
      effective,
    };
    let out: Layer;
    switch (layer.kind) {
      case 'group': {
        const group: GroupLayer = { kind: 'group', ...common };
        map.groups.push(group);
        flatten(ctx, map, grid, layer.layers, map.groups.length - 1, `${common.path}/`, effective);
        continue;
      }
      case 'tile':
        out = { kind: 'tile', ...common, ...buildTileGrid(map.tilesets, grid, layer.chunks) };
        break;
      case 'object':
        out = {
          kind: 'object',
          ...common,
          color: layer.color,
          drawOrder: layer.drawOrder,
          objects: layer.objects.map((o) => finishObject(ctx, o, map.tilesets)),
        };
        break;
      case 'image':
        out = { kind: 'image', ...common, image: layer.image, repeatX: layer.repeatX, repeatY: layer.repeatY };
        break;
    }
    map.layers.push(out);
  }
}

/** Splits raw gids into ids and flags on the map's grid, checking that every id belongs to a tileset. */
function buildTileGrid(tilesets: readonly Tileset[], grid: Grid, chunks: readonly RawChunk[]): { gids: Uint32Array; flags: Uint8Array } {
  const cells = grid.width * grid.height;
  const only = chunks.length === 1 ? chunks[0]! : undefined;
  // A finite map's single chunk already is the grid: reuse its array.
  const direct = only !== undefined && only.x === grid.originX && only.y === grid.originY && only.width === grid.width && only.height === grid.height;
  const gids = direct ? only.values : new Uint32Array(cells);
  const flags = new Uint8Array(cells);
  // Cache the last tileset's gid range: neighbouring tiles mostly share one.
  let lo = 1;
  let hi = 0;
  for (const chunk of chunks) {
    const dx = chunk.x - grid.originX;
    const dy = chunk.y - grid.originY;
    for (let y = 0; y < chunk.height; y++) {
      for (let x = 0; x < chunk.width; x++) {
        const raw = chunk.values[y * chunk.width + x]!;
        const id = raw & GID_MASK;
        if (id !== 0 && (id < lo || id >= hi)) {
          const ref = resolveGid(tilesets, id);
          if (ref === null) fail(chunk.where, `gid ${id} at tile (${chunk.x + x}, ${chunk.y + y}) is not in any tileset of the map`);
          const ts = tilesets[ref.tileset]!;
          lo = ts.firstGid;
          hi = ts.firstGid + tilesetSpan(ts);
        }
        const at = (dy + y) * grid.width + dx + x;
        gids[at] = id;
        flags[at] = raw >>> GID_FLAG_SHIFT;
      }
    }
  }
  return { gids, flags };
}
