import type { Rect, ZoneMap } from './zone-map.ts';

/** A named rectangle of a zone map that a quest's `reach` objective may name. */
export interface NamedArea extends Rect {
  name: string;
}

/** Areas one mask can tell apart (a tile holds a u8 index). */
export const MAX_ZONE_AREAS = 255;

/**
 * The areas of a zone a player can be said to reach, in one fixed order
 * (safe areas, then NPC spawn areas) that the cells and the coordinator
 * both derive from the same map, so an area travels as its index.
 */
export function namedAreasOf(map: ZoneMap): NamedArea[] {
  const out: NamedArea[] = [];
  for (const a of map.safeAreas) out.push({ name: a.name, x: a.x, y: a.y, width: a.width, height: a.height });
  for (const a of map.spawnAreas) out.push({ name: a.name, x: a.x, y: a.y, width: a.width, height: a.height });
  return out.slice(0, MAX_ZONE_AREAS);
}

/**
 * One byte per tile: 1 + the index of the area whose rectangle holds the
 * tile's centre, 0 for none. Where areas overlap the smallest one wins (a
 * camp drawn inside a meadow is the camp).
 */
export function areaMask(areas: readonly NamedArea[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  const size = new Float64Array(width * height).fill(Infinity);
  areas.forEach((a, i) => {
    const x0 = Math.max(0, Math.ceil(a.x - 0.5));
    const y0 = Math.max(0, Math.ceil(a.y - 0.5));
    const x1 = Math.min(width, Math.ceil(a.x + a.width - 0.5));
    const y1 = Math.min(height, Math.ceil(a.y + a.height - 0.5));
    const s = a.width * a.height;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const t = y * width + x;
        if (s < size[t]) {
          size[t] = s;
          mask[t] = i + 1;
        }
      }
    }
  });
  return mask;
}
