import type { Container } from 'pixi.js';

/**
 * The camera: the world scaled to the screen (one tile 32 pixels at zoom 1,
 * more from 2560×1440 up) and moved so the player stays in the middle, and
 * the map's edge at the screen's edge where the map ends; a map smaller
 * than the screen is centred.
 */
export function follow(world: Container, screen: { width: number; height: number }, map: { width: number; height: number }, tile: number, zoom: number, at: { x: number; y: number }): void {
  const s = zoom * Math.max(1, Math.floor(Math.min(screen.width / 1280, screen.height / 720) + 0.25));
  world.scale.set(s);
  const mw = map.width * tile * s;
  const mh = map.height * tile * s;
  const axis = (size: number, full: number, p: number) => (full <= size ? (size - full) / 2 : Math.min(0, Math.max(size - full, size / 2 - p)));
  world.position.set(Math.round(axis(screen.width, mw, at.x * tile * s)), Math.round(axis(screen.height, mh, at.y * tile * s)));
}
