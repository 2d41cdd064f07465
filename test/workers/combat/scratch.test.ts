import { describe, expect, it } from 'vitest';
import { CombatEvent } from '../../../src/protocol/combat-codes.ts';
import { combatZone, DUMMY_A, Fighter, Class, npcAt, Npc, run } from './fixture.ts';

describe('scratch', () => {
  it('auto-attacks a dummy', () => {
    const z = combatZone();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, DUMMY_A.x + 1, DUMMY_A.y);
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_A);
    p.attack(dummy);
    run(z, 100, p);
    console.log(p.events.slice(0, 10), p.view.self?.xp, z.views.store.f.hp[dummy & 0xfffff]);
    expect(p.told(CombatEvent.DAMAGE).length).toBeGreaterThan(0);
  });
});
