import type { GameMap } from '../../content/map-format.ts';
import { Limits } from '../../protocol/opcodes.ts';
import type { EntityStore } from '../../shared/entity-store.ts';
import { ActionCheck } from '../../shared/layout.ts';
import type { CellContext } from '../system.ts';

/** Farthest a DESTINATION input may lie from the player, in tiles (the protocol's limit: the client's predictor applies it too). */
export const MAX_DESTINATION_DISTANCE = Limits.maxDestinationDistance;

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
