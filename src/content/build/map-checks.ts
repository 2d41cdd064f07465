import type { ContentError } from '../schema/errors.ts';
import type { Content } from '../schema/kinds.ts';
import { checkReferences, indexContent, mapReferences, type ContentReference } from '../schema/references.ts';
import type { NamedPoint, Rect, ZoneMap } from '../zone-map.ts';

/** A zone as the compiler checks it: its name, the map file as the author knows it, what the map means. */
export interface CheckedZone {
  name: string;
  /** The map's path relative to the data folder, as errors name it. */
  file: string;
  map: ZoneMap;
}

/** `object[name=to-field] at 7,4`: the object and where it lies, in tiles. */
function at(kind: string, o: { name: string } & ({ x: number; y: number } | Rect)): string {
  return `object[class=${kind} name=${o.name}] at ${+o.x.toFixed(2)},${+o.y.toFixed(2)}`;
}

function targetNames(z: ZoneMap): Set<string> {
  return new Set([...z.points, ...z.spawnPoints].map((p: NamedPoint) => p.name));
}

function areaNames(z: ZoneMap): Set<string> {
  return new Set([...z.spawnAreas, ...z.safeAreas, ...z.portals].map((a) => a.name));
}

/**
 * The references between the maps and the rest of the content: a portal
 * names a zone of the world and a point or spawn object in that zone's map;
 * spawn areas and placed NPCs name an NPC template; quests and events name
 * zones, areas and points (schema/references.ts mapReferences). Every
 * problem names the file and the object (maps) or JSON path (content).
 */
export function checkMapReferences(zones: readonly CheckedZone[], content: Content): ContentError[] {
  const errors: ContentError[] = [];
  const byName = new Map(zones.map((z) => [z.name, z]));
  const zoneList = zones.map((z) => z.name).join(', ');
  const npcRefs: ContentReference[] = [];
  for (const z of zones) {
    for (const p of z.map.portals) {
      const target = byName.get(p.zone);
      if (target === undefined) errors.push({ file: z.file, path: at('portal', p), message: `property "zone" names no zone of world.json: ${JSON.stringify(p.zone)} (zones: ${zoneList})` });
      else if (!targetNames(target.map).has(p.target)) {
        errors.push({ file: z.file, path: at('portal', p), message: `property "target" names no point or spawn object in zone ${target.name} (${target.file}): ${JSON.stringify(p.target)}` });
      }
    }
    for (const a of z.map.spawnAreas) npcRefs.push({ file: z.file, path: at('spawn-area', a), kind: 'npc', id: a.npc });
    for (const n of z.map.npcs) npcRefs.push({ file: z.file, path: at('npc', n), kind: 'npc', id: n.npc });
  }
  const index = indexContent(content);
  errors.push(...checkReferences(index, npcRefs).map((e) => ({ ...e, message: `property "npc": ${e.message}` })));
  for (const r of mapReferences(content)) {
    const zone = byName.get(r.map);
    if (zone === undefined) {
      // One message per reference: an unknown map makes its area or point unknown too.
      if (r.kind === 'map') errors.push({ file: r.file, path: r.path, message: `names no zone of world.json: ${JSON.stringify(r.id)} (zones: ${zoneList})` });
      continue;
    }
    if (r.kind === 'area' && !areaNames(zone.map).has(r.id)) {
      errors.push({ file: r.file, path: r.path, message: `no area object (spawn-area, safe-area or portal) named ${JSON.stringify(r.id)} in zone ${zone.name} (${zone.file})` });
    }
    if (r.kind === 'point' && !targetNames(zone.map).has(r.id)) {
      errors.push({ file: r.file, path: r.path, message: `no point or spawn object named ${JSON.stringify(r.id)} in zone ${zone.name} (${zone.file})` });
    }
  }
  return errors;
}
