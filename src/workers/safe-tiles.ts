import type { ZoneMap } from '../content/zone-map.ts';

/**
 * 1 per map tile inside one of the zone's safe areas (no fighting there):
 * what the NPC AI (no aggro, threat dropped) and combat (refused) read.
 */
export function safeTiles(zone: ZoneMap, width: number, height: number): Uint8Array {
  const safe = new Uint8Array(width * height);
  for (const a of zone.safeAreas) mark(safe, a, width, height, 1);
  return safe;
}

/**
 * 1 per map tile where players may fight players: inside one of the zone's
 * PvP areas and outside every safe area (a safe area always wins).
 */
export function pvpTiles(zone: ZoneMap, width: number, height: number): Uint8Array {
  const pvp = new Uint8Array(width * height);
  for (const a of zone.pvpAreas ?? []) mark(pvp, a, width, height, 1);
  for (const a of zone.safeAreas) mark(pvp, a, width, height, 0);
  return pvp;
}

function mark(tiles: Uint8Array, a: { x: number; y: number; width: number; height: number }, width: number, height: number, v: number): void {
  for (let y = Math.max(0, Math.floor(a.y)); y < Math.min(height, Math.ceil(a.y + a.height)); y++) {
    for (let x = Math.max(0, Math.floor(a.x)); x < Math.min(width, Math.ceil(a.x + a.width)); x++) tiles[y * width + x] = v;
  }
}
