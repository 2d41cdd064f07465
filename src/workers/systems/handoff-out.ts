import { StatSlot } from '../../shared/layout.ts';
import type { HandoffCodec } from '../handoff.ts';
import type { System } from '../system.ts';

/**
 * Hands every owned entity now outside the cell's rectangle to the cell that
 * owns its position: any cell of the zone, a neighbour after a walk or a far
 * one after a teleport. Runs after replicate, so this tick's frames were
 * built from the old owner's lists; the new owner adopts it at the start of
 * its next simulate, after the end-of-tick barrier. Ownership changes
 * exactly once: the owner word flips only after the handoff is written.
 */
export function handoffOut(handoffs: HandoffCodec): System {
  return {
    name: 'handoff-out',
    phase: 'handoff',
    run(c) {
      const g = c.views.geometry;
      const store = c.store;
      const f = store.f;
      const list = c.owned.list;
      let moved = false;
      for (let i = c.owned.count - 1; i >= 0; i--) {
        const slot = list[i];
        const dest = g.cellOf(f.x[slot], f.y[slot]);
        if (dest === c.cell) continue;
        const out = c.peersOut[dest]!;
        // Never overtake messages already waiting for that cell; retry next tick.
        if (out.waiting > 0 || !handoffs.write(out.ring, store.handleAt(slot), f.kind[slot], slot)) {
          c.stats[StatSlot.handoffRetries]++;
          continue;
        }
        Atomics.store(f.owner, slot, dest);
        c.owned.remove(slot);
        c.players.handedOff(slot, dest, c.tick);
        c.parts.release(slot);
        c.stats[StatSlot.handoffsOut]++;
        moved = true;
      }
      if (moved) for (const out of c.peersOut) out?.ring.flush();
    },
  };
}
