import type { RawLayer, RawLayerCommon, RawMap } from './assemble.ts';
import { emptyRawObject, type RawObject, type RawTemplate, type ReadContext, type TilesetBody } from './context.ts';
import { fail, type Where } from './errors.ts';
import { decodeBase64, decodeCsv, reserveTiles, type RawChunk } from './layer-data.ts';
import { resolvePath } from './loader.ts';
import { GID_MASK, ORIENTATIONS, type AnimationFrame, type Orientation, type Point, type TiledImage, type Tileset, type TilesetTile } from './model.ts';
import { finishObject } from './objects.ts';
import { checkColor, xmlProperties } from './properties.ts';
import {
  attrBool,
  attrInt,
  attrNumber,
  attrString,
  childNamed,
  childrenNamed,
  hasAttr,
  whereXml,
  type XmlElement,
} from './xml.ts';

function expectRoot(el: XmlElement, name: string, what: string): void {
  if (el.name !== name) fail(whereXml(el), `expected a ${what} (<${name}> root element), got <${el.name}>`);
}

/** Reads a TMX `<map>` document. */
export function readTmxMap(ctx: ReadContext, root: XmlElement): RawMap {
  expectRoot(root, 'map', 'TMX map');
  const orientation = attrString(root, 'orientation', 'orthogonal');
  if (!ORIENTATIONS.includes(orientation)) fail(whereXml(root), `unknown orientation "${orientation}"`);
  const infinite = attrBool(root, 'infinite', false);
  const width = attrInt(root, 'width', undefined, 0);
  const height = attrInt(root, 'height', undefined, 0);
  if (!infinite && width * height > ctx.limits.maxMapTiles) {
    fail(whereXml(root), `map is ${width}×${height} tiles, more than the ${ctx.limits.maxMapTiles} allowed`);
  }
  const tilesets: Tileset[] = childrenNamed(root, 'tileset').map((el) => {
    const firstGid = attrInt(el, 'firstgid', undefined, 1, GID_MASK);
    const source = el.attrs['source'];
    if (source === undefined) return { firstGid, source: '', ...xmlTilesetBody(ctx, el) };
    const path = resolvePath(el.file, source);
    return { firstGid, source: path, ...ctx.tileset(path, whereXml(el)) };
  });
  return {
    where: whereXml(root),
    format: 'tmx',
    version: attrString(root, 'version', ''),
    tiledVersion: attrString(root, 'tiledversion', ''),
    class: attrString(root, 'class', ''),
    orientation: orientation as Orientation,
    renderOrder: attrString(root, 'renderorder', 'right-down'),
    width,
    height,
    tileWidth: attrInt(root, 'tilewidth', undefined, 0),
    tileHeight: attrInt(root, 'tileheight', undefined, 0),
    infinite,
    backgroundColor: checkColor(attrString(root, 'backgroundcolor', ''), whereXml(root), 'backgroundcolor'),
    properties: xmlProperties(root, ctx.limits.maxPropertyDepth),
    tilesets,
    layers: readLayers(ctx, root, { width, height, infinite }, 0),
  };
}

interface MapShape {
  width: number;
  height: number;
  infinite: boolean;
}

function readLayers(ctx: ReadContext, parent: XmlElement, shape: MapShape, depth: number): RawLayer[] {
  const layers: RawLayer[] = [];
  for (const el of parent.children) {
    switch (el.name) {
      case 'layer':
        layers.push({ kind: 'tile', common: layerCommon(ctx, el), chunks: tileLayerChunks(ctx, el, shape) });
        break;
      case 'objectgroup': {
        const drawOrder = attrString(el, 'draworder', 'topdown');
        if (drawOrder !== 'topdown' && drawOrder !== 'index') fail(whereXml(el), `unknown draworder "${drawOrder}"`);
        layers.push({
          kind: 'object',
          common: layerCommon(ctx, el),
          color: checkColor(attrString(el, 'color', ''), whereXml(el), 'color'),
          drawOrder,
          objects: childrenNamed(el, 'object').map((o) => xmlObject(ctx, o)),
        });
        break;
      }
      case 'imagelayer': {
        const image = childNamed(el, 'image');
        layers.push({
          kind: 'image',
          common: layerCommon(ctx, el),
          image: image === undefined || !hasAttr(image, 'source') ? null : xmlImage(image),
          repeatX: attrBool(el, 'repeatx', false),
          repeatY: attrBool(el, 'repeaty', false),
        });
        break;
      }
      case 'group':
        if (depth + 1 > ctx.limits.maxGroupDepth) fail(whereXml(el), `group layers nested deeper than ${ctx.limits.maxGroupDepth} levels`);
        layers.push({ kind: 'group', common: layerCommon(ctx, el), layers: readLayers(ctx, el, shape, depth + 1) });
        break;
      default:
        // properties, tileset, editorsettings and elements of newer Tiled versions.
        break;
    }
  }
  return layers;
}

function layerCommon(ctx: ReadContext, el: XmlElement): RawLayerCommon {
  return {
    where: whereXml(el),
    id: attrInt(el, 'id', 0, 0),
    name: attrString(el, 'name', ''),
    class: attrString(el, 'class', ''),
    visible: attrBool(el, 'visible', true),
    opacity: attrNumber(el, 'opacity', 1),
    offsetX: attrNumber(el, 'offsetx', 0),
    offsetY: attrNumber(el, 'offsety', 0),
    parallaxX: attrNumber(el, 'parallaxx', 1),
    parallaxY: attrNumber(el, 'parallaxy', 1),
    tintColor: checkColor(attrString(el, 'tintcolor', ''), whereXml(el), 'tintcolor'),
    properties: xmlProperties(el, ctx.limits.maxPropertyDepth),
  };
}

function tileLayerChunks(ctx: ReadContext, el: XmlElement, shape: MapShape): RawChunk[] {
  const width = attrInt(el, 'width', undefined, 0);
  const height = attrInt(el, 'height', undefined, 0);
  const data = childNamed(el, 'data');
  if (data === undefined) fail(whereXml(el), 'tile layer has no <data> element');
  const encoding = attrString(data, 'encoding', '');
  const compression = attrString(data, 'compression', '');
  if (shape.infinite) {
    return childrenNamed(data, 'chunk').map((chunk) => {
      const cw = attrInt(chunk, 'width', undefined, 1);
      const ch = attrInt(chunk, 'height', undefined, 1);
      const x = attrInt(chunk, 'x', undefined, -(2 ** 30), 2 ** 30);
      const y = attrInt(chunk, 'y', undefined, -(2 ** 30), 2 ** 30);
      return { x, y, width: cw, height: ch, values: decodeData(ctx, chunk, encoding, compression, cw, ch), where: whereXml(chunk) };
    });
  }
  if (width !== shape.width || height !== shape.height) {
    fail(whereXml(el), `layer is ${width}×${height} tiles but the map is ${shape.width}×${shape.height}`);
  }
  return [{ x: 0, y: 0, width, height, values: decodeData(ctx, data, encoding, compression, width, height), where: whereXml(data) }];
}

function decodeData(ctx: ReadContext, el: XmlElement, encoding: string, compression: string, width: number, height: number): Uint32Array {
  const where = whereXml(el);
  const count = reserveTiles(ctx.budget, width, height, where);
  switch (encoding) {
    case 'csv':
      return decodeCsv(el.text, count, where);
    case 'base64':
      return decodeBase64(el.text, compression, count, where);
    case '': {
      // Tiled's oldest format: one <tile gid="…"/> per cell.
      const tiles = childrenNamed(el, 'tile');
      if (tiles.length !== count) fail(where, `layer data has ${tiles.length} <tile> elements, expected ${count}`);
      const out = new Uint32Array(count);
      tiles.forEach((t, i) => (out[i] = attrInt(t, 'gid', 0, 0)));
      return out;
    }
    default:
      return fail(where, `unknown layer data encoding "${encoding}" (supported: csv, base64, or <tile> elements)`);
  }
}

function xmlImage(el: XmlElement): TiledImage {
  const source = attrString(el, 'source');
  const trans = attrString(el, 'trans', '');
  return {
    source,
    path: resolvePath(el.file, source),
    width: attrInt(el, 'width', 0, 0),
    height: attrInt(el, 'height', 0, 0),
    transparentColor: trans === '' ? '' : checkColor(trans.startsWith('#') ? trans : `#${trans}`, whereXml(el), 'trans'),
  };
}

/** Reads a TSX `<tileset>` document or an embedded `<tileset>` element. */
export function xmlTilesetBody(ctx: ReadContext, el: XmlElement): TilesetBody {
  expectRoot(el, 'tileset', 'tileset');
  const offset = childNamed(el, 'tileoffset');
  const image = childNamed(el, 'image');
  const tiles = childrenNamed(el, 'tile').map((t) => xmlTile(ctx, t));
  tiles.sort((a, b) => a.id - b.id);
  for (let i = 1; i < tiles.length; i++) {
    if (tiles[i]!.id === tiles[i - 1]!.id) fail(whereXml(el), `tile id ${tiles[i]!.id} appears twice`);
  }
  return {
    name: attrString(el, 'name', ''),
    class: attrString(el, 'class', ''),
    tileWidth: attrInt(el, 'tilewidth', undefined, 0),
    tileHeight: attrInt(el, 'tileheight', undefined, 0),
    spacing: attrInt(el, 'spacing', 0, 0),
    margin: attrInt(el, 'margin', 0, 0),
    tileCount: attrInt(el, 'tilecount', 0, 0, GID_MASK),
    columns: attrInt(el, 'columns', 0, 0),
    tileOffsetX: offset === undefined ? 0 : attrInt(offset, 'x', 0),
    tileOffsetY: offset === undefined ? 0 : attrInt(offset, 'y', 0),
    objectAlignment: attrString(el, 'objectalignment', 'unspecified'),
    image: image === undefined ? null : xmlImage(image),
    properties: xmlProperties(el, ctx.limits.maxPropertyDepth),
    tiles,
  };
}

function xmlTile(ctx: ReadContext, el: XmlElement): TilesetTile {
  const image = childNamed(el, 'image');
  const objects = childNamed(el, 'objectgroup');
  const animation = childNamed(el, 'animation');
  const frames: AnimationFrame[] =
    animation === undefined
      ? []
      : childrenNamed(animation, 'frame').map((f) => ({
          tileId: attrInt(f, 'tileid', undefined, 0, GID_MASK),
          duration: attrInt(f, 'duration', undefined, 0),
        }));
  return {
    id: attrInt(el, 'id', undefined, 0, GID_MASK - 1),
    class: el.attrs['type'] ?? el.attrs['class'] ?? '',
    probability: attrNumber(el, 'probability', 1),
    properties: xmlProperties(el, ctx.limits.maxPropertyDepth),
    animation: frames,
    image: image === undefined ? null : xmlImage(image),
    objects: objects === undefined ? [] : childrenNamed(objects, 'object').map((o) => finishObject(ctx, xmlObject(ctx, o), [])),
  };
}

/** Reads an `<object>` as written (template not merged yet). */
export function xmlObject(ctx: ReadContext, el: XmlElement): RawObject {
  const raw = emptyRawObject(whereXml(el));
  const num = (name: string): number | undefined => (hasAttr(el, name) ? attrNumber(el, name) : undefined);
  raw.id = hasAttr(el, 'id') ? attrInt(el, 'id', undefined, 0) : undefined;
  raw.name = el.attrs['name'];
  raw.class = el.attrs['type'] ?? el.attrs['class'];
  raw.x = num('x');
  raw.y = num('y');
  raw.width = num('width');
  raw.height = num('height');
  raw.rotation = num('rotation');
  raw.visible = hasAttr(el, 'visible') ? attrBool(el, 'visible', true) : undefined;
  raw.gid = hasAttr(el, 'gid') ? attrInt(el, 'gid', undefined, 0) : undefined;
  raw.template = hasAttr(el, 'template') ? resolvePath(el.file, attrString(el, 'template')) : undefined;
  raw.properties = xmlProperties(el, ctx.limits.maxPropertyDepth);
  for (const child of el.children) {
    switch (child.name) {
      case 'point':
      case 'ellipse':
        raw.shape = child.name;
        break;
      case 'polygon':
      case 'polyline':
        raw.shape = child.name;
        raw.points = parsePoints(attrString(child, 'points'), whereXml(child));
        break;
      case 'text':
        raw.shape = 'text';
        raw.text = child.text;
        break;
      default:
        break;
    }
  }
  return raw;
}

const COORD_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parsePoints(text: string, where: Where): Point[] {
  const pairs = text.trim().split(/\s+/).filter((p) => p !== '');
  return pairs.map((pair, i) => {
    const [xs, ys, extra] = pair.split(',');
    if (xs === undefined || ys === undefined || extra !== undefined || !COORD_RE.test(xs) || !COORD_RE.test(ys)) {
      fail(where, `point ${i + 1} must be "x,y", got "${pair.slice(0, 40)}"`);
    }
    return { x: Number(xs), y: Number(ys) };
  });
}

/** Reads a TX `<template>` document. */
export function readTxTemplate(ctx: ReadContext, root: XmlElement): RawTemplate {
  expectRoot(root, 'template', 'object template');
  const objectEl = childNamed(root, 'object');
  if (objectEl === undefined) fail(whereXml(root), 'template has no <object>');
  const object = xmlObject(ctx, objectEl);
  if (object.template !== undefined) fail(object.where, 'a template cannot itself use a template');
  const ts = childNamed(root, 'tileset');
  let tileset: RawTemplate['tileset'] = null;
  if (ts !== undefined) {
    const source = resolvePath(ts.file, attrString(ts, 'source'));
    tileset = { firstGid: attrInt(ts, 'firstgid', undefined, 1, GID_MASK), source, where: whereXml(ts) };
  }
  return { file: root.file, object, tileset };
}

