import { EntityFlags, SlotState } from '../shared/layout.ts';
import type { ZoneViews } from '../shared/zone-memory.ts';

/**
 * Checks the handoff invariant over the whole zone while every cell is
 * parked at the barrier: each live entity is listed by exactly one cell, that
 * cell is its owner, and nothing dead is listed; a HIDDEN entity (an NPC
 * waiting to respawn) is listed by none and must have a cell as owner.
 * Returns the violations.
 * `seen` is scratch of the zone's capacity.
 */
export function verifyOwnership(views: ZoneViews, seen: Int32Array): number {
  const { grid, store, geometry } = views;
  const state = store.f.state;
  const owner = store.f.owner;
  seen.fill(0);
  let bad = 0;
  for (let c = 0; c < geometry.cellCount; c++) {
    const counts = grid.tileCount[c];
    const starts = grid.tileStart[c];
    const slots = grid.slots[c];
    for (let t = 0; t < counts.length; t++) {
      for (let i = 0; i < counts[t]; i++) {
        const slot = slots[starts[t] + i];
        if (seen[slot]++ > 0) bad++; // listed twice
        if (state[slot] !== SlotState.ALIVE) bad++; // listed but not alive
        if (owner[slot] !== c) bad++; // listed by a cell that does not own it
      }
    }
  }
  const flags = store.f.flags;
  for (let s = 0; s < seen.length; s++) {
    if (state[s] !== SlotState.ALIVE || seen[s] !== 0) continue;
    if ((flags[s] & EntityFlags.HIDDEN) === 0) bad++; // alive but listed nowhere: lost
    else if (owner[s] < 0 || owner[s] >= geometry.cellCount) bad++; // hidden with no owning cell
  }
  return bad;
}
