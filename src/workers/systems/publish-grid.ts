import { CellControl, ENTITY_KIND_COUNT, EntityFlags, StatSlot } from '../../shared/layout.ts';
import type { CellContext, System } from '../system.ts';

/**
 * Lists every owned entity under the tile of its position in this cell's
 * part of the shared grid (what every cell's replicate reads), except the
 * HIDDEN ones (no one sees them), counts them by kind and publishes the
 * cell's counts.
 */
export function publishGrid(ctx: CellContext): System {
  const tileOfSlot = new Int32Array(ctx.store.capacity);
  return {
    name: 'publish-grid',
    phase: 'publish',
    run(c) {
      publish(c, tileOfSlot);
    },
  };
}

/** Also run once before the first tick, so neighbours see this cell's entities from the start. */
export function publish(c: CellContext, tileOfSlot: Int32Array): void {
  const { geometry: g, grid, control } = c.views;
  const f = c.store.f;
  const list = c.owned.list;
  const s = c.stats;
  const byKind = StatSlot.entitiesByKind;
  for (let k = 0; k < ENTITY_KIND_COUNT; k++) s[byKind + k] = 0;
  for (let i = 0; i < c.owned.count; i++) {
    const slot = list[i];
    tileOfSlot[slot] = (f.flags[slot] & EntityFlags.HIDDEN) === 0 ? g.tileOf(f.x[slot], f.y[slot]) : -1;
    s[byKind + f.kind[slot]]++;
  }
  grid.rebuild(c.cell, list, c.owned.count, tileOfSlot);
  Atomics.store(control, c.views.cellWord(c.cell, CellControl.players), c.players.count);
  Atomics.store(control, c.views.cellWord(c.cell, CellControl.entities), c.owned.count);
}
