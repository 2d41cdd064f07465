/**
 * A player's combat through a portal (combat/carry.ts): what the old zone's
 * cell writes into PORTAL (its carryOut hook) and the new zone's cell takes
 * in from the JOIN: cooldowns, the global cooldown and auras, by ticks left,
 * in a zone whose tick numbers are others.
 */
import { describe, expect, it } from 'vitest';
import { AuraKind } from '../../../src/protocol/combat-codes.ts';
import { Writer } from '../../../src/protocol/writer.ts';
import { MAX_CARRY_BYTES } from '../../../src/shared/messages/gate-to-cell.ts';
import { SELF_STATS } from '../../../src/protocol/self-state.ts';
import type { Content } from '../../../src/content/schema/index.ts';
import { Class, combatZone, Fighter, run, Skill } from './fixture.ts';

const gcd = (c: Content) => void (c.classes[0].globalCooldownMs = 1500);

/** The carry player `p`'s cell writes as it steps into a portal. */
function carryOf(p: Fighter): Uint8Array {
  const cell = p.z.cells[p.z.ownerOf(p.handle)];
  const buf = new Uint8Array(MAX_CARRY_BYTES);
  const w = new Writer().reset(buf);
  cell.players.carryOut!(p.slot, w);
  return buf.slice(0, w.length);
}

describe('the combat carry through a portal', () => {
  it('keeps cooldowns, the global cooldown and auras, by the ticks they had left, in a zone of other tick numbers', () => {
    const a = combatZone([], gcd);
    a.tick();
    const p = Fighter.join(a, 1, Class.FIGHTER, 40, 20);
    run(a, 1, p);
    p.use(Skill.SHOUT); // a buff for 3 s (+10 attack power), its own cooldown 60 s, and the global 1.5 s
    run(a, 3, p);
    const before = p.view.self!;
    const tickA = p.view.lastTick;
    const shoutLeft = before.readyAt(Skill.SHOUT) - tickA;
    const strikeLeft = before.readyAt(Skill.STRIKE) - tickA; // the global cooldown only
    expect(before.auraCount).toBe(1);
    const auraLeft = before.auraEnd[0] - tickA;
    const ap = before.stat('attackPower');
    const carry = carryOf(p);

    const b = combatZone([], gcd);
    for (let i = 0; i < 137; i++) b.tick(); // another zone: its ticks are not a's
    const q = Fighter.join(b, 1, Class.FIGHTER, 40, 20, 0, 0, carry);
    run(b, 1, q);
    const after = q.view.self!;
    const tickB = q.view.lastTick;
    expect(tickB).not.toBe(tickA);
    // The JOIN's tick and the frame's are one tick or two apart; a's read was at its frame too.
    const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(3);
    near(after.readyAt(Skill.SHOUT) - tickB, shoutLeft);
    near(after.readyAt(Skill.STRIKE) - tickB, strikeLeft);
    expect(after.auraCount).toBe(1);
    expect([after.auraSkill[0], after.auraKind[0], after.auraStacks[0]]).toEqual([Skill.SHOUT, AuraKind.BUFF, 1]);
    near(after.auraEnd[0] - tickB, auraLeft);
    // The buff's stats came along.
    expect(after.stat('attackPower')).toBe(ap);
    // It ends where it would have: a few seconds on, the buff is gone and the stat is back.
    run(b, auraLeft + 5, q);
    expect(q.view.self!.auraCount).toBe(0);
    expect(q.view.self!.stats[SELF_STATS.indexOf('attackPower')]).toBe(ap - 10);
  });

  it('a player with nothing running carries nothing that matters, and a malformed carry leaves it fresh', () => {
    const a = combatZone();
    a.tick();
    const p = Fighter.join(a, 1, Class.FIGHTER, 40, 20);
    run(a, 1, p);
    const b = combatZone();
    b.tick();
    const q = Fighter.join(b, 1, Class.FIGHTER, 40, 20, 0, 0, carryOf(p));
    run(b, 1, q);
    expect(q.view.self!.auraCount).toBe(0);
    expect(q.view.self!.readyAt(Skill.SHOUT)).toBe(0);
    // Cut short: read as far as it goes, then dropped whole.
    const c = combatZone([], gcd);
    c.tick();
    const r0 = Fighter.join(c, 1, Class.FIGHTER, 40, 20);
    run(c, 1, r0);
    r0.use(Skill.SHOUT);
    run(c, 2, r0);
    const full = carryOf(r0);
    const d = combatZone();
    d.tick();
    const r = Fighter.join(d, 2, Class.FIGHTER, 40, 20, 0, 0, full.subarray(0, full.length - 3));
    run(d, 1, r);
    expect(r.view.self!.auraCount).toBe(0);
    expect(r.view.self!.readyAt(Skill.SHOUT)).toBe(0);
  });
});
