/**
 * Choosing a target (pure, tested in Node): Tab cycles through the hostile
 * entities in view nearest first; a click picks the entity under the
 * pointer.
 */
export interface Candidate {
  id: number;
  x: number;
  y: number;
  /** Can be attacked: an NPC that is not friendly, dead or evading. */
  hostile: boolean;
  dead: boolean;
}

/** How far past the screen's view Tab looks, in tiles from the player (about a screen's half width at 1280×720). */
export const TAB_RANGE = 20;

/**
 * The next target for Tab: the hostile candidates within `range` of (x, y),
 * nearest first (ties by id, so the order is stable); the one after
 * `current` in that order, wrapping round; the nearest when `current` is
 * not among them. `back` cycles the other way (Shift+Tab). 0 when none.
 */
export function nextTarget(all: readonly Candidate[], x: number, y: number, current: number, back = false, range = TAB_RANGE): number {
  const list = all.filter((c) => c.hostile && !c.dead && Math.hypot(c.x - x, c.y - y) <= range);
  if (list.length === 0) return 0;
  list.sort((a, b) => Math.hypot(a.x - x, a.y - y) - Math.hypot(b.x - x, b.y - y) || a.id - b.id);
  const at = list.findIndex((c) => c.id === current);
  if (at < 0) return list[0].id;
  return list[(at + (back ? list.length - 1 : 1)) % list.length].id;
}

/**
 * The entity a click at world point (x, y) picks: the nearest within
 * `radius` tiles of its drawn centre, the living before the dead; 0 for none.
 */
export function pickAt(all: readonly Candidate[], x: number, y: number, radius = 0.6): number {
  let best = 0;
  let bestD = Infinity;
  for (const c of all) {
    const d = Math.hypot(c.x - x, c.y - y) + (c.dead ? radius : 0);
    if (d <= radius * (c.dead ? 2 : 1) && d < bestD) {
      best = c.id;
      bestD = d;
    }
  }
  return best;
}
