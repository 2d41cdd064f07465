import { dequantise, quantise } from '../../../../src/protocol/encode.ts';
import { Limits, MoveKind } from '../../../../src/protocol/opcodes.ts';

/**
 * The server's movement rule (src/workers/movement.ts, Mover), restated for
 * the browser's prediction over plain numbers: the same edge margin, the
 * same axis-at-a-time blocking (an entity slides along a wall), the same
 * arrival rule for destinations, and positions rounded to f32 after every
 * step as the shared entity store keeps them. Given the same start and the
 * same intents, a predicted walk is the server's to the last bit
 * (test/web/client/net/movement.test.ts runs both side by side).
 */

/** Units per second a player walks (the cells' default, src/workers/cell-runtime.ts; a test checks they agree). */
export const PLAYER_SPEED = 6;
/** Entities keep this far from the map edge. */
export const MAP_EDGE = 0.5;

/** The zone's walkability: one terrain byte per tile, 0 walkable (Terrain.GRASS), anything else blocks. */
export interface Walkability {
  width: number;
  height: number;
  tiles: Uint8Array;
}

export type MoveKindValue = (typeof MoveKind)[keyof typeof MoveKind];

/**
 * A movement intent as the cell holds it: STOP, a unit DIRECTION (a, b) or a
 * DESTINATION (a, b), each component an f32 (the gate-to-cell message's).
 */
export interface Intent {
  move: MoveKindValue;
  a: number;
  b: number;
}

export const STOPPED: Intent = Object.freeze({ move: MoveKind.STOP, a: 0, b: 0 });

/** The intent the server makes of a DIRECTION input (dx, dy in -127..127): normalised as the gate does, a zero length a stop. */
export function directionIntent(dx: number, dy: number): Intent {
  const len = Math.hypot(dx, dy);
  if (len === 0) return STOPPED;
  return { move: MoveKind.DIRECTION, a: Math.fround(dx / len), b: Math.fround(dy / len) };
}

/** The intent of a DESTINATION input: the destination quantised as the wire carries it. */
export function destinationIntent(x: number, y: number): Intent {
  return { move: MoveKind.DESTINATION, a: Math.fround(dequantise(quantise(x))), b: Math.fround(dequantise(quantise(y))) };
}

export function isBlocked(map: Walkability, tx: number, ty: number): boolean {
  if (tx < 0 || ty < 0 || tx >= map.width || ty >= map.height) return true;
  return map.tiles[ty * map.width + tx] !== 0;
}

/** A position being stepped: x and y are f32 values, as in the server's store. */
export interface Position {
  x: number;
  y: number;
}

/** Mover.along: moves by the unit direction (ux, uy) times `step`; true when it moved at all. */
export function stepAlong(map: Walkability, p: Position, ux: number, uy: number, step: number): boolean {
  const x0 = p.x;
  const y0 = p.y;
  let x = x0 + ux * step;
  let y = y0 + uy * step;
  if (x < MAP_EDGE) x = MAP_EDGE;
  else if (x > map.width - MAP_EDGE) x = map.width - MAP_EDGE;
  if (y < MAP_EDGE) y = MAP_EDGE;
  else if (y > map.height - MAP_EDGE) y = map.height - MAP_EDGE;
  if (isBlocked(map, Math.floor(x), Math.floor(y0))) x = x0;
  if (isBlocked(map, Math.floor(x), Math.floor(y))) y = y0;
  p.x = Math.fround(x);
  p.y = Math.fround(y);
  return x !== x0 || y !== y0;
}

/** Mover.toward: moves toward (tx, ty) by up to `step`; true when it arrived or cannot get closer (the intent then clears). */
export function stepToward(map: Walkability, p: Position, tx: number, ty: number, step: number): boolean {
  const dx = tx - p.x;
  const dy = ty - p.y;
  const dist = Math.sqrt(dx * dx + dy * dy);
  if (dist <= step) {
    stepAlong(map, p, dist === 0 ? 0 : dx / dist, dist === 0 ? 0 : dy / dist, dist);
    return true;
  }
  return !stepAlong(map, p, dx / dist, dy / dist, step);
}

/**
 * One server tick of the movement system for an entity with `intent`:
 * returns true when the intent is spent (a destination reached or out of
 * reach) and clears, as the cell's movement system does.
 */
export function stepIntent(map: Walkability, p: Position, intent: Intent, step: number): boolean {
  if (intent.move === MoveKind.DIRECTION) {
    stepAlong(map, p, intent.a, intent.b, step);
    return false;
  }
  if (intent.move === MoveKind.DESTINATION) {
    // The server stops a player sent off the map or farther than the protocol allows (its anti-cheat); so does the prediction.
    if (impossibleDestination(map, p, intent.a, intent.b)) return true;
    return stepToward(map, p, intent.a, intent.b, step);
  }
  return false;
}

/** A destination the server refuses: off the map, or more than Limits.maxDestinationDistance tiles away (it only ever gets nearer while walked to). */
function impossibleDestination(map: Walkability, p: Position, x: number, y: number): boolean {
  if (!(x >= 0 && y >= 0 && x < map.width && y < map.height)) return true;
  const dx = x - p.x;
  const dy = y - p.y;
  return dx * dx + dy * dy > Limits.maxDestinationDistance * Limits.maxDestinationDistance;
}
