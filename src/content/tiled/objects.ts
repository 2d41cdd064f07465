import type { RawObject, ReadContext } from './context.ts';
import { fail } from './errors.ts';
import { gidFlags, gidId, resolveGid } from './gids.ts';
import { GID_MASK, type ObjectShape, type TiledObject, type Tileset } from './model.ts';
import { mergeProperties } from './properties.ts';

/**
 * Turns an object as written into the model: merges its template (the
 * instance wins field by field, and property by property), maps a template's
 * tile gid onto the map's tilesets, checks the gid, and fills defaults.
 */
export function finishObject(ctx: ReadContext, raw: RawObject, tilesets: readonly Tileset[]): TiledObject {
  let base: RawObject | null = null;
  let gid = raw.gid;
  if (raw.template !== undefined) {
    const tpl = ctx.template(raw.template, raw.where);
    base = tpl.object;
    if (gid === undefined && tpl.object.gid !== undefined && gidId(tpl.object.gid) !== 0) {
      gid = templateGid(raw, tpl.object.gid, tpl.tileset, tilesets);
    }
  }
  const id = gid === undefined ? 0 : gidId(gid);
  if (id !== 0 && resolveGid(tilesets, id) === null) {
    fail(raw.where, `tile object gid ${id} is not in any tileset of the map`);
  }
  const explicitShape = raw.shape ?? base?.shape;
  const shape: ObjectShape = explicitShape ?? (id !== 0 ? 'tile' : 'rectangle');
  return {
    id: raw.id ?? 0,
    name: raw.name ?? base?.name ?? '',
    class: raw.class ?? base?.class ?? '',
    x: raw.x ?? base?.x ?? 0,
    y: raw.y ?? base?.y ?? 0,
    width: raw.width ?? base?.width ?? 0,
    height: raw.height ?? base?.height ?? 0,
    rotation: raw.rotation ?? base?.rotation ?? 0,
    visible: raw.visible ?? base?.visible ?? true,
    shape,
    points: shape === 'polygon' || shape === 'polyline' ? (raw.points ?? base?.points ?? []) : [],
    gid: id,
    flags: gid === undefined ? 0 : gidFlags(gid),
    text: shape === 'text' ? (raw.text ?? base?.text ?? '') : '',
    template: raw.template ?? '',
    properties: base === null ? raw.properties : mergeProperties(base.properties, raw.properties),
  };
}

function templateGid(
  raw: RawObject,
  tplGid: number,
  tplTileset: { firstGid: number; source: string } | null,
  tilesets: readonly Tileset[],
): number {
  if (tplTileset === null) fail(raw.where, `template "${raw.template}" has a tile object but no tileset`);
  const mapTileset = tilesets.find((t) => t.source === tplTileset.source);
  if (mapTileset === undefined) {
    fail(raw.where, `template "${raw.template}" uses tileset "${tplTileset.source}", which the map does not include`);
  }
  const local = gidId(tplGid) - tplTileset.firstGid;
  if (local < 0) fail(raw.where, `template "${raw.template}" gid ${gidId(tplGid)} is below its tileset's firstgid`);
  if (mapTileset.firstGid + local > GID_MASK) fail(raw.where, `template "${raw.template}" gid ${gidId(tplGid)} is out of range`);
  return (((gidFlags(tplGid) << 28) | (mapTileset.firstGid + local)) >>> 0);
}
