/**
 * Scripted NPCs (a world event's boss) on the combat fixture's two-cell
 * zone: spawned where the gate asks, fought like any NPC, gone after their
 * corpse time and never respawned; dismissed from whichever cell owns them.
 */
import { describe, expect, it } from 'vitest';
import { EntityFlags } from '../../../src/shared/layout.ts';
import { writeDismissNpcs, writeSpawnNpc } from '../../../src/shared/messages/gate-to-cell.ts';
import { Class, combatZone, Fighter, Npc, npcSlots, run } from '../combat/fixture.ts';
import type { InThreadZone } from '../fixtures/in-thread-zone.ts';

const scriptedAt = (z: InThreadZone, template: number, x: number, y: number) =>
  npcSlots(z, template).filter((s) => Math.hypot(z.views.store.f.x[s] - x, z.views.store.f.y[s] - y) < 3);

function spawn(z: InThreadZone, template: number, x: number, y: number): void {
  const cell = z.views.geometry.cellOf(x, y);
  if (!writeSpawnNpc(z.gateIn[cell], template, x, y)) throw new Error('ring full');
  z.gateIn[cell].flush();
}

describe('scripted NPCs', () => {
  it('spawns one where asked, and after its death and corpse time it is gone for good', () => {
    const z = combatZone();
    z.tick();
    const before = npcSlots(z, Npc.WEAKLING).length;
    spawn(z, Npc.WEAKLING, 26, 26);
    run(z, 3);
    const [slot] = scriptedAt(z, Npc.WEAKLING, 26, 26);
    expect(slot).toBeDefined();
    expect(npcSlots(z, Npc.WEAKLING)).toHaveLength(before + 1);
    const handle = z.views.store.handleAt(slot);
    const p = Fighter.join(z, 1, Class.FIGHTER, 27, 26);
    p.attack(handle);
    const f = z.views.store.f;
    for (let t = 0; t < 600 && (f.flags[slot] & EntityFlags.DEAD) === 0; t++) run(z, 1, p);
    expect(f.flags[slot] & EntityFlags.DEAD).toBe(EntityFlags.DEAD);
    // Corpse, then gone; the fixture's respawn times are far shorter than this.
    run(z, 20 * 60, p);
    expect(z.views.store.isValid(handle)).toBe(false);
    expect(npcSlots(z, Npc.WEAKLING)).toHaveLength(before);
  });

  it('is dismissed by the cell that owns it, across the border, and only scripted ones of that template go', () => {
    const z = combatZone();
    z.tick();
    const placed = npcSlots(z, Npc.DUMMY).length;
    spawn(z, Npc.DUMMY, 34, 20); // cell 1
    spawn(z, Npc.DUMMY, 10, 26); // cell 0
    spawn(z, Npc.WEAKLING, 12, 26);
    run(z, 3);
    expect(npcSlots(z, Npc.DUMMY)).toHaveLength(placed + 2);
    for (let c = 0; c < z.cells.length; c++) {
      writeDismissNpcs(z.gateIn[c], Npc.DUMMY);
      z.gateIn[c].flush();
    }
    run(z, 3);
    expect(npcSlots(z, Npc.DUMMY)).toHaveLength(placed);
    expect(scriptedAt(z, Npc.WEAKLING, 12, 26)).toHaveLength(1);
  });
});
