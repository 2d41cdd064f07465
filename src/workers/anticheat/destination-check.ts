import type { GameMap } from '../../content/map-format.ts';
import type { EntityStore } from '../../shared/entity-store.ts';
import { ActionCheck } from '../../shared/layout.ts';
import type { CellContext } from '../system.ts';

/**
 * Farthest a DESTINATION input may lie from the player, in tiles. The
 * browser client sends one where the player clicks, on what it shows: at
 * its smallest zoom (0.5, 16 px a tile) half the diagonal of a 4K screen is
 * about 140 tiles. Past this no honest client can have clicked.
 */
export const MAX_DESTINATION_DISTANCE = 256;

/**
 * Whether a DESTINATION input of owned player `slot` to (x, y) is
 * impossible: off the map (unreachable: the client only sends points of
 * the map it draws) or farther than MAX_DESTINATION_DISTANCE. A walkable
 * point behind walls, or a rock or water tile, is an honest click: the
 * player walks toward it and stops at the obstacle, as before.
 */
export function impossibleDestination(map: GameMap, store: EntityStore, slot: number, x: number, y: number): boolean {
  if (!(x >= 0 && y >= 0 && x < map.width && y < map.height)) return true;
  const dx = x - store.f.x[slot];
  const dy = y - store.f.y[slot];
  return dx * dx + dy * dy > MAX_DESTINATION_DISTANCE * MAX_DESTINATION_DISTANCE;
}

/**
 * Refuses impossible DESTINATION inputs of the cell's players (the player
 * stops instead) and reports each (ActionCheck.DESTINATION). One line in
 * the cell's systems list (systems/index.ts).
 */
export function guardDestinations(ctx: Pick<CellContext, 'map' | 'store' | 'players'>): void {
  const { map, store, players } = ctx;
  players.destinationRefused = (slot, m) => {
    if (!impossibleDestination(map, store, slot, m.a, m.b)) return false;
    players.violations.report(slot, ActionCheck.DESTINATION);
    return true;
  };
}
