import type { RawLayer, RawLayerCommon, RawMap } from './assemble.ts';
import { emptyRawObject, type RawObject, type RawTemplate, type ReadContext, type TilesetBody } from './context.ts';
import { fail } from './errors.ts';
import {
  asObject,
  has,
  jsonArray,
  jsonBool,
  jsonChild,
  jsonInt,
  jsonNumber,
  jsonObjects,
  jsonRaw,
  jsonString,
  keyPath,
  whereJson,
  type JsonNode,
} from './json.ts';
import { decodeBase64, decodeJsonArray, reserveTiles, type RawChunk } from './layer-data.ts';
import { resolvePath } from './loader.ts';
import { GID_MASK, ORIENTATIONS, type Orientation, type TiledImage, type Tileset, type TilesetTile } from './model.ts';
import { finishObject } from './objects.ts';
import { checkColor, jsonProperties } from './properties.ts';

function expectType(node: JsonNode, type: string, what: string): void {
  if (has(node, 'type') && jsonString(node, 'type') !== type) {
    fail(whereJson(node, 'type'), `expected a ${what} ("type": "${type}"), got "${jsonString(node, 'type')}"`);
  }
}

function color(node: JsonNode, key: string): string {
  return checkColor(jsonString(node, key, ''), whereJson(node, key), key);
}

/** Reads a TMJ map document. */
export function readTmjMap(ctx: ReadContext, root: JsonNode): RawMap {
  expectType(root, 'map', 'TMJ map');
  const orientation = jsonString(root, 'orientation', 'orthogonal');
  if (!ORIENTATIONS.includes(orientation)) fail(whereJson(root, 'orientation'), `unknown orientation "${orientation}"`);
  const infinite = jsonBool(root, 'infinite', false);
  const width = jsonInt(root, 'width', undefined, 0);
  const height = jsonInt(root, 'height', undefined, 0);
  if (!infinite && width * height > ctx.limits.maxMapTiles) {
    fail(whereJson(root), `map is ${width}×${height} tiles, more than the ${ctx.limits.maxMapTiles} allowed`);
  }
  // Tiled wrote "version" as a number before 1.6.
  const version = jsonRaw(root, 'version');
  const tilesets: Tileset[] = jsonObjects(root, 'tilesets').map((ts) => {
    const firstGid = jsonInt(ts, 'firstgid', undefined, 1, GID_MASK);
    if (!has(ts, 'source')) return { firstGid, source: '', ...jsonTilesetBody(ctx, ts) };
    const path = resolvePath(ts.file, jsonString(ts, 'source'));
    return { firstGid, source: path, ...ctx.tileset(path, whereJson(ts, 'source')) };
  });
  return {
    where: whereJson(root),
    format: 'tmj',
    version: typeof version === 'number' ? String(version) : jsonString(root, 'version', ''),
    tiledVersion: jsonString(root, 'tiledversion', ''),
    class: jsonString(root, 'class', ''),
    orientation: orientation as Orientation,
    renderOrder: jsonString(root, 'renderorder', 'right-down'),
    width,
    height,
    tileWidth: jsonInt(root, 'tilewidth', undefined, 0),
    tileHeight: jsonInt(root, 'tileheight', undefined, 0),
    infinite,
    backgroundColor: color(root, 'backgroundcolor'),
    properties: jsonProperties(root, ctx.limits.maxPropertyDepth),
    tilesets,
    layers: readLayers(ctx, root, { width, height, infinite }, 0),
  };
}

interface MapShape {
  width: number;
  height: number;
  infinite: boolean;
}

function readLayers(ctx: ReadContext, parent: JsonNode, shape: MapShape, depth: number): RawLayer[] {
  return jsonObjects(parent, 'layers').map((node): RawLayer => {
    const type = jsonString(node, 'type');
    switch (type) {
      case 'tilelayer':
        return { kind: 'tile', common: layerCommon(ctx, node), chunks: tileLayerChunks(ctx, node, shape) };
      case 'objectgroup': {
        const drawOrder = jsonString(node, 'draworder', 'topdown');
        if (drawOrder !== 'topdown' && drawOrder !== 'index') fail(whereJson(node, 'draworder'), `unknown draworder "${drawOrder}"`);
        return {
          kind: 'object',
          common: layerCommon(ctx, node),
          color: color(node, 'color'),
          drawOrder,
          objects: jsonObjects(node, 'objects').map((o) => jsonObject(ctx, o)),
        };
      }
      case 'imagelayer':
        return {
          kind: 'image',
          common: layerCommon(ctx, node),
          image: jsonImage(node),
          repeatX: jsonBool(node, 'repeatx', false),
          repeatY: jsonBool(node, 'repeaty', false),
        };
      case 'group':
        if (depth + 1 > ctx.limits.maxGroupDepth) fail(whereJson(node), `group layers nested deeper than ${ctx.limits.maxGroupDepth} levels`);
        return { kind: 'group', common: layerCommon(ctx, node), layers: readLayers(ctx, node, shape, depth + 1) };
      default:
        return fail(whereJson(node, 'type'), `unknown layer type "${type}"`);
    }
  });
}

function layerCommon(ctx: ReadContext, node: JsonNode): RawLayerCommon {
  return {
    where: whereJson(node),
    id: jsonInt(node, 'id', 0, 0),
    name: jsonString(node, 'name', ''),
    class: jsonString(node, 'class', ''),
    visible: jsonBool(node, 'visible', true),
    opacity: jsonNumber(node, 'opacity', 1),
    offsetX: jsonNumber(node, 'offsetx', 0),
    offsetY: jsonNumber(node, 'offsety', 0),
    parallaxX: jsonNumber(node, 'parallaxx', 1),
    parallaxY: jsonNumber(node, 'parallaxy', 1),
    tintColor: color(node, 'tintcolor'),
    properties: jsonProperties(node, ctx.limits.maxPropertyDepth),
  };
}

function tileLayerChunks(ctx: ReadContext, node: JsonNode, shape: MapShape): RawChunk[] {
  const encoding = jsonString(node, 'encoding', 'csv');
  const compression = jsonString(node, 'compression', '');
  if (shape.infinite) {
    return jsonObjects(node, 'chunks').map((chunk) => {
      const width = jsonInt(chunk, 'width', undefined, 1);
      const height = jsonInt(chunk, 'height', undefined, 1);
      const x = jsonInt(chunk, 'x', undefined, -(2 ** 30), 2 ** 30);
      const y = jsonInt(chunk, 'y', undefined, -(2 ** 30), 2 ** 30);
      return { x, y, width, height, values: decodeData(ctx, chunk, encoding, compression, width, height), where: whereJson(chunk, 'data') };
    });
  }
  const width = jsonInt(node, 'width', undefined, 0);
  const height = jsonInt(node, 'height', undefined, 0);
  if (width !== shape.width || height !== shape.height) {
    fail(whereJson(node), `layer is ${width}×${height} tiles but the map is ${shape.width}×${shape.height}`);
  }
  return [{ x: 0, y: 0, width, height, values: decodeData(ctx, node, encoding, compression, width, height), where: whereJson(node, 'data') }];
}

function decodeData(ctx: ReadContext, node: JsonNode, encoding: string, compression: string, width: number, height: number): Uint32Array {
  const where = whereJson(node, 'data');
  const count = reserveTiles(ctx.budget, width, height, where);
  switch (encoding) {
    case 'csv':
      return decodeJsonArray(jsonArray(node, 'data'), count, where);
    case 'base64':
      return decodeBase64(jsonString(node, 'data'), compression, count, where);
    default:
      return fail(whereJson(node, 'encoding'), `unknown layer data encoding "${encoding}" (supported: csv, base64)`);
  }
}

/** The image named by a node's `image`/`imagewidth`/`imageheight`/`transparentcolor`, null when none. */
function jsonImage(node: JsonNode): TiledImage | null {
  const source = jsonString(node, 'image', '');
  if (source === '') return null;
  return {
    source,
    path: resolvePath(node.file, source),
    width: jsonInt(node, 'imagewidth', 0, 0),
    height: jsonInt(node, 'imageheight', 0, 0),
    transparentColor: color(node, 'transparentcolor'),
  };
}

/** Reads a TSJ tileset document or an embedded tileset object. */
export function jsonTilesetBody(ctx: ReadContext, node: JsonNode): TilesetBody {
  expectType(node, 'tileset', 'tileset');
  const offset = has(node, 'tileoffset') ? jsonChild(node, 'tileoffset') : undefined;
  const tiles = jsonObjects(node, 'tiles').map((t) => jsonTile(ctx, t));
  tiles.sort((a, b) => a.id - b.id);
  for (let i = 1; i < tiles.length; i++) {
    if (tiles[i]!.id === tiles[i - 1]!.id) fail(whereJson(node, 'tiles'), `tile id ${tiles[i]!.id} appears twice`);
  }
  return {
    name: jsonString(node, 'name', ''),
    class: jsonString(node, 'class', ''),
    tileWidth: jsonInt(node, 'tilewidth', undefined, 0),
    tileHeight: jsonInt(node, 'tileheight', undefined, 0),
    spacing: jsonInt(node, 'spacing', 0, 0),
    margin: jsonInt(node, 'margin', 0, 0),
    tileCount: jsonInt(node, 'tilecount', 0, 0, GID_MASK),
    columns: jsonInt(node, 'columns', 0, 0),
    tileOffsetX: offset === undefined ? 0 : jsonInt(offset, 'x', 0),
    tileOffsetY: offset === undefined ? 0 : jsonInt(offset, 'y', 0),
    objectAlignment: jsonString(node, 'objectalignment', 'unspecified'),
    image: jsonImage(node),
    properties: jsonProperties(node, ctx.limits.maxPropertyDepth),
    tiles,
  };
}

function jsonTile(ctx: ReadContext, node: JsonNode): TilesetTile {
  const objects = has(node, 'objectgroup') ? jsonObjects(jsonChild(node, 'objectgroup'), 'objects') : [];
  return {
    id: jsonInt(node, 'id', undefined, 0, GID_MASK - 1),
    class: jsonString(node, 'type', '') || jsonString(node, 'class', ''),
    probability: jsonNumber(node, 'probability', 1),
    properties: jsonProperties(node, ctx.limits.maxPropertyDepth),
    animation: jsonObjects(node, 'animation').map((f) => ({
      tileId: jsonInt(f, 'tileid', undefined, 0, GID_MASK),
      duration: jsonInt(f, 'duration', undefined, 0),
    })),
    image: jsonImage(node),
    objects: objects.map((o) => finishObject(ctx, jsonObject(ctx, o), [])),
  };
}

/** Reads an object as written (template not merged yet). */
export function jsonObject(ctx: ReadContext, node: JsonNode): RawObject {
  const raw = emptyRawObject(whereJson(node));
  const num = (key: string): number | undefined => (has(node, key) ? jsonNumber(node, key) : undefined);
  const str = (key: string): string | undefined => (has(node, key) ? jsonString(node, key) : undefined);
  raw.id = has(node, 'id') ? jsonInt(node, 'id', undefined, 0) : undefined;
  raw.name = str('name');
  raw.class = str('type') ?? str('class');
  raw.x = num('x');
  raw.y = num('y');
  raw.width = num('width');
  raw.height = num('height');
  raw.rotation = num('rotation');
  raw.visible = has(node, 'visible') ? jsonBool(node, 'visible') : undefined;
  raw.gid = has(node, 'gid') ? jsonInt(node, 'gid', undefined, 0) : undefined;
  raw.template = has(node, 'template') ? resolvePath(node.file, jsonString(node, 'template')) : undefined;
  raw.properties = jsonProperties(node, ctx.limits.maxPropertyDepth);
  if (has(node, 'point') && jsonBool(node, 'point')) raw.shape = 'point';
  if (has(node, 'ellipse') && jsonBool(node, 'ellipse')) raw.shape = 'ellipse';
  for (const key of ['polygon', 'polyline'] as const) {
    if (!has(node, key)) continue;
    raw.shape = key;
    const base = keyPath(node.path, key);
    raw.points = jsonArray(node, key).map((p, i) => {
      const point = asObject(p, node.file, `${base}[${i}]`);
      return { x: jsonNumber(point, 'x'), y: jsonNumber(point, 'y') };
    });
  }
  if (has(node, 'text')) {
    raw.shape = 'text';
    raw.text = jsonString(jsonChild(node, 'text'), 'text', '');
  }
  return raw;
}

/** Reads a TJ template document. */
export function readTjTemplate(ctx: ReadContext, root: JsonNode): RawTemplate {
  expectType(root, 'template', 'object template');
  const object = jsonObject(ctx, jsonChild(root, 'object'));
  if (object.template !== undefined) fail(object.where, 'a template cannot itself use a template');
  let tileset: RawTemplate['tileset'] = null;
  if (has(root, 'tileset')) {
    const ts = jsonChild(root, 'tileset');
    tileset = {
      firstGid: jsonInt(ts, 'firstgid', undefined, 1, GID_MASK),
      source: resolvePath(ts.file, jsonString(ts, 'source')),
      where: whereJson(ts),
    };
  }
  return { file: root.file, object, tileset };
}
