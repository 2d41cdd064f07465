/**
 * ACTIONs through the gate ring, answered through the player's own
 * snapshots: each refusal comes back as a REFUSED event with the action's
 * seq and its reason, impossible ones are counted as anti-cheat
 * violations by check, and a retried seq is handled once.
 */
import { describe, expect, it } from 'vitest';
import { ActionKind, ActionReason, CombatEvent } from '../../../src/protocol/combat-codes.ts';
import { ActionCheck, EntityFlags, StatSlot } from '../../../src/shared/layout.ts';
import { SAFE } from '../npc/fixture.ts';
import { Class, combatZone, unstamped, DUMMY_A, Fighter, GUARD_AT, Npc, npcAt, run, Skill, WEAKLING_AT } from './fixture.ts';

const refusals = (p: Fighter) => p.told(CombatEvent.REFUSED).map((e) => ({ seq: e.amount, reason: e.detail }));
const anticheat = (p: Fighter, check: number) => p.z.cells.reduce((n, c) => n + c.stats[StatSlot.anticheat + check], 0);

describe('actions', () => {
  it('refuse what the rules refuse, each with its reason and the action\'s seq', () => {
    const z = combatZone();
    z.tick();
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_A);
    const guard = npcAt(z, Npc.GUARD, GUARD_AT);
    const p = Fighter.join(z, 1, Class.FIGHTER, DUMMY_A.x + 1, DUMMY_A.y);
    const other = Fighter.join(z, 2, Class.FIGHTER, DUMMY_A.x + 1, DUMMY_A.y + 1);
    run(z, 2, p);
    const f = z.views.store.f;
    expect(p.view.self?.resource).toBe(2); // rage: starts empty

    const noRage = p.use(Skill.STRIKE, dummy);
    const tooEarly = p.use(Skill.CLEAVE, dummy); // learned at level 2
    const notMine = p.use(Skill.BOLT, dummy); // the caster's
    const friendly = p.attack(guard);
    const pvp = p.attack(other.handle);
    const alive = p.act(ActionKind.RESPAWN);
    run(z, 2, p);
    expect(refusals(p)).toEqual([
      { seq: noRage, reason: ActionReason.NO_RESOURCE },
      { seq: tooEarly, reason: ActionReason.UNKNOWN_SKILL },
      { seq: notMine, reason: ActionReason.UNKNOWN_SKILL },
      { seq: friendly, reason: ActionReason.NOT_ATTACKABLE },
      { seq: pvp, reason: ActionReason.NOT_ATTACKABLE },
      { seq: alive, reason: ActionReason.NOT_DEAD },
    ]);
    expect(anticheat(p, ActionCheck.UNKNOWN_SKILL)).toBe(2);
    expect(p.view.self?.actionSeq).toBe(alive);

    // With rage: the strike lands, and at once again is too soon (a cooldown of 6 s: 5 s early is no lag).
    f.mana[p.slot] = 100;
    const strike = p.use(Skill.STRIKE, dummy);
    run(z, 2, p);
    const again = p.use(Skill.STRIKE, dummy);
    run(z, 2, p);
    const hits = p.told(CombatEvent.DAMAGE).concat(p.told(CombatEvent.MISS), p.told(CombatEvent.DODGE)).filter((e) => e.skill === Skill.STRIKE);
    expect(hits).toHaveLength(1);
    expect(refusals(p).slice(-1)).toEqual([{ seq: again, reason: ActionReason.COOLDOWN }]);
    expect(refusals(p).some((r) => r.seq === strike)).toBe(false);
    expect(anticheat(p, ActionCheck.COOLDOWN)).toBe(1);
    const ready = p.view.self!.readyAt(Skill.STRIKE);
    expect(ready).toBeGreaterThan(p.view.lastTick + 100);
    expect(p.view.self!.knows(Skill.CLEAVE)).toBe(false);
    expect(p.view.self!.knows(Skill.SHOUT)).toBe(true);
    expect(unstamped(z)).toBe(0);
  });

  it('refuse a target out of range (counted as impossible far past it), out of sight, or with either side in a safe area', () => {
    const z = combatZone();
    z.tick();
    const weakling = npcAt(z, Npc.WEAKLING, WEAKLING_AT);
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_A);
    const caster = Fighter.join(z, 1, Class.CASTER, 22, WEAKLING_AT.y); // the wall at x = 20 between
    run(z, 2, caster);
    const blocked = caster.use(Skill.BURN, weakling);
    const far = caster.use(Skill.BURN, dummy); // 18 tiles for a range of 10
    run(z, 2, caster);
    expect(refusals(caster)).toEqual([
      { seq: blocked, reason: ActionReason.NO_LINE_OF_SIGHT },
      { seq: far, reason: ActionReason.OUT_OF_RANGE },
    ]);
    expect(anticheat(caster, ActionCheck.OUT_OF_RANGE)).toBe(1);

    const safe = Fighter.join(z, 2, Class.CASTER, SAFE.x + 2, SAFE.y + 2);
    const guardless = safe.use(Skill.NOVA, 0, SAFE.x - 5, SAFE.y + 2);
    run(z, 2, safe);
    expect(refusals(safe)).toEqual([{ seq: guardless, reason: ActionReason.SAFE_AREA }]);
  });

  it('handle an action once: a seq not newer than the last is a retry, ignored and counted', () => {
    const z = combatZone();
    z.tick();
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_A);
    const p = Fighter.join(z, 1, Class.FIGHTER, DUMMY_A.x + 1, DUMMY_A.y);
    p.act(ActionKind.TARGET, dummy, 0, 0, 0, 7);
    p.act(ActionKind.TARGET, 0, 0, 0, 0, 7); // the retry of 7: ignored
    p.act(ActionKind.TARGET, 0, 0, 0, 0, 6); // older: ignored
    run(z, 2, p);
    expect(z.views.store.f.target[p.slot]).toBe(dummy);
    expect(p.view.self?.actionSeq).toBe(7);
    expect(z.cells[0].stats[StatSlot.actions + 2]).toBe(2); // stale
    // Wraps: 65535 then 0 are newer each time.
    p.act(ActionKind.TARGET, 0, 0, 0, 0, 30000);
    p.act(ActionKind.TARGET, 0, 0, 0, 0, 60000);
    p.act(ActionKind.TARGET, dummy, 0, 0, 0, 65535);
    p.act(ActionKind.TARGET, 0, 0, 0, 0, 3);
    run(z, 2, p);
    expect(z.views.store.f.target[p.slot]).toBe(0);
    expect(p.view.self?.actionSeq).toBe(3);
    // The target everyone sees is the one selected.
    p.act(ActionKind.TARGET, dummy, 0, 0, 0, 4);
    run(z, 2, p);
    expect(p.view.current.target[p.view.current.indexOf(p.handle)]).toBe(dummy);
    expect(z.views.store.f.flags[p.slot] & EntityFlags.DEAD).toBe(0);
  });
});
