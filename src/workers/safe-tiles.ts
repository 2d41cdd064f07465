import type { ZoneMap } from '../content/zone-map.ts';

/**
 * 1 per map tile inside one of the zone's safe areas (no fighting there):
 * what the NPC AI (no aggro, threat dropped) and combat (refused) read.
 */
export function safeTiles(zone: ZoneMap, width: number, height: number): Uint8Array {
  const safe = new Uint8Array(width * height);
  for (const a of zone.safeAreas) {
    for (let y = Math.max(0, Math.floor(a.y)); y < Math.min(height, Math.ceil(a.y + a.height)); y++) {
      for (let x = Math.max(0, Math.floor(a.x)); x < Math.min(width, Math.ceil(a.x + a.width)); x++) safe[y * width + x] = 1;
    }
  }
  return safe;
}
