/**
 * Experience durable before it is told (combat/experience.ts), in a zone
 * whose gate confirms (ZoneSpec.confirmExperience), driven tick by tick:
 * a kill's experience is asked for (cell-to-gate EXPERIENCE) and shown, with
 * its event and the level it brings, only as far as EXPERIENCE_DURABLE says;
 * an unanswered request is asked again; what was shown travels through a
 * handoff, a cell restart and a portal, never above what was confirmed.
 */
import { describe, expect, it } from 'vitest';
import { CombatEvent } from '../../../src/protocol/combat-codes.ts';
import { Writer } from '../../../src/protocol/writer.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { EntityFlags } from '../../../src/shared/layout.ts';
import { CellMsg } from '../../../src/shared/messages/cell-to-gate.ts';
import { MAX_CARRY_BYTES, writeExperienceDurable, writeReward } from '../../../src/shared/messages/gate-to-cell.ts';
import type { InThreadZone } from '../fixtures/in-thread-zone.ts';
import { Class, combatZone, Fighter, Npc, npcAt, run, unstamped, WEAKLING_AT } from './fixture.ts';

const confirming = () => combatZone([], undefined, undefined, { confirmExperience: true });

/** The coordinator's answer: `p`'s experience is durable up to `xp`. */
function confirm(p: Fighter, xp: number): void {
  const ring = p.z.gateIn[p.z.ownerOf(p.handle)];
  writeExperienceDurable(ring, p.conn, xp);
  ring.flush();
}

/** A quest's reward of `xp` (REWARD), paid by the player's cell. */
function reward(p: Fighter, xp: number): void {
  const ring = p.z.gateIn[p.z.ownerOf(p.handle)];
  writeReward(ring, p.conn, xp);
  ring.flush();
}

/** The EXPERIENCE requests the cells sent for `p` (drained so far), as the experience each asked for; a REWARDED (a reward's answer) asks the same. */
function asked(z: InThreadZone, p: Fighter): number[] {
  return z.control.filter((m) => (m.op === CellMsg.EXPERIENCE || m.op === CellMsg.REWARDED) && m.conn === p.conn).map((m) => m.xp);
}

describe('experience told once durable', () => {
  it('asks for a kill\'s experience once, tells it (event, self record, level) only as far as it is confirmed, never beyond what it has', () => {
    const z = confirming();
    z.tick();
    const weakling = npcAt(z, Npc.WEAKLING, WEAKLING_AT);
    const p = Fighter.join(z, 1, Class.FIGHTER, WEAKLING_AT.x + 1, WEAKLING_AT.y);
    const f = z.views.store.f;
    p.attack(weakling);
    for (let t = 0; t < 400 && (f.flags[indexOf(weakling)] & EntityFlags.DEAD) === 0; t++) run(z, 1, p);
    run(z, 5, p);
    // Alone: 100 experience, 10 % more for a level-2 NPC. The game has it; the player is not told yet.
    expect(f.xp[p.slot]).toBe(110);
    expect(p.view.self!.xp).toBe(0);
    expect(p.told(CombatEvent.EXPERIENCE)).toEqual([]);
    expect(f.level[p.slot]).toBe(1);
    expect(asked(z, p)).toEqual([110]);

    // Durable up to 60 (an older request's answer): told 60, still level 1.
    confirm(p, 60);
    run(z, 2, p);
    expect(p.view.self!.xp).toBe(60);
    expect(p.told(CombatEvent.EXPERIENCE)).toEqual([expect.objectContaining({ source: weakling, target: p.handle, amount: 60 })]);
    expect(f.level[p.slot]).toBe(1);

    // Up to 110: the rest, and level 2 (at 100) with its event, in the self record and the entity.
    const at = p.view.lastTick;
    confirm(p, 110);
    run(z, 2, p);
    expect(p.view.self!.xp).toBe(110);
    expect(p.told(CombatEvent.EXPERIENCE, at)).toEqual([expect.objectContaining({ amount: 50 })]);
    expect(p.told(CombatEvent.LEVEL_UP)).toEqual([expect.objectContaining({ target: p.handle, amount: 2 })]);
    expect(f.level[p.slot]).toBe(2);
    expect(p.view.current.level[p.view.current.indexOf(p.handle)]).toBe(2);
    expect([p.view.self!.xpLevel, p.view.self!.xpNext]).toEqual([100, 250]);

    // An answer above what it has (from before a restart) tells nothing more.
    confirm(p, 500);
    run(z, 2, p);
    expect(p.view.self!.xp).toBe(110);
    expect(p.told(CombatEvent.EXPERIENCE)).toHaveLength(2);
    expect(asked(z, p)).toEqual([110]);
    expect(unstamped(z)).toBe(0);
  });

  it('asks again when no answer came within a second', () => {
    const z = confirming();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, 40, 20);
    run(z, 2, p);
    reward(p, 40);
    run(z, 2, p);
    expect(asked(z, p)).toEqual([40]);
    run(z, z.cells[0].tickHz - 3, p);
    expect(asked(z, p)).toEqual([40]);
    run(z, 3, p);
    expect(asked(z, p)).toEqual([40, 40]);
    expect(p.view.self!.xp).toBe(0);
    confirm(p, 40);
    run(z, 2, p);
    expect(p.view.self!.xp).toBe(40);
    expect(p.told(CombatEvent.EXPERIENCE)).toEqual([expect.objectContaining({ source: 0, amount: 40 })]);
  });

  it('what was shown crosses a handoff and a cell restart; the new owner asks for the rest', () => {
    const z = confirming();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, 20, 10, 1, 50);
    const f = z.views.store.f;
    run(z, 2, p);
    expect(p.view.self!.xp).toBe(50);
    reward(p, 30);
    run(z, 2, p);
    expect(asked(z, p)).toEqual([80]);

    // Into cell 1, unconfirmed: it still shows 50, and its new owner asks.
    z.cells[0].lifecycle.teleport(p.slot, 44, 10);
    run(z, 3, p);
    expect(z.ownerOf(p.handle)).toBe(1);
    expect(p.view.self!.xp).toBe(50);
    expect(asked(z, p)).toEqual([80, 80]);
    confirm(p, 80);
    run(z, 2, p);
    expect(p.view.self!.xp).toBe(80);

    // 20 more (enough for level 2), not confirmed, then the cell dies: it comes back
    // showing 80 at level 1 (from the checkpoint the gate held), not the live 100.
    reward(p, 20);
    run(z, 3, p);
    // The newest combat checkpoint the gate holds (written before the frame that showed 80).
    const held = z.control.filter((m) => m.op === CellMsg.CHECKPOINT && m.conn === p.conn).at(-1)?.body;
    expect(held).toBeDefined();
    expect(f.xp[p.slot]).toBe(100);
    z.restartCell(1, [{ conn: p.conn, handle: p.handle, characterId: p.conn, combat: held }]);
    run(z, 3, p);
    expect(p.view.self!.xp).toBe(80);
    expect(f.level[p.slot]).toBe(1);
    expect(asked(z, p).at(-1)).toBe(100);
    confirm(p, 100);
    run(z, 2, p);
    expect([p.view.self!.xp, f.level[p.slot]]).toEqual([100, 2]);
  });

  it('a restarted cell without a checkpoint of the player shows the experience of its level until confirmed', () => {
    const z = confirming();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, 20, 10, 2, 130);
    run(z, 2, p);
    z.restartCell(0, [{ conn: p.conn, handle: p.handle, characterId: p.conn }]);
    run(z, 3, p);
    expect(p.view.self!.xp).toBe(100);
    expect(asked(z, p)).toEqual([130]);
    confirm(p, 130);
    run(z, 2, p);
    expect(p.view.self!.xp).toBe(130);
    expect(z.views.store.f.level[p.slot]).toBe(2);
  });

  it('through a portal it shows what it was shown, at the level that brings, until the new zone confirms the rest', () => {
    const a = confirming();
    a.tick();
    const p = Fighter.join(a, 1, Class.FIGHTER, 40, 20, 1, 60);
    run(a, 2, p);
    reward(p, 50); // 110: level 2 once confirmed
    run(a, 2, p);
    const cell = a.cells[a.ownerOf(p.handle)];
    const buf = new Uint8Array(MAX_CARRY_BYTES);
    const w = new Writer().reset(buf);
    cell.players.carryOut!(p.slot, w);
    const fa = a.views.store.f;
    expect([fa.level[p.slot], fa.xp[p.slot]]).toEqual([1, 110]);

    // The new zone joins it with the live figures the PORTAL reported, and the carry.
    const b = confirming();
    b.tick();
    const q = Fighter.join(b, 1, Class.FIGHTER, 40, 20, fa.level[p.slot], fa.xp[p.slot], buf.slice(0, w.length));
    run(b, 2, q);
    const fb = b.views.store.f;
    expect(q.view.self!.xp).toBe(60);
    expect(fb.level[q.slot]).toBe(1);
    expect(fb.maxHp[q.slot]).toBe(120);
    expect(asked(b, q)).toEqual([110]);
    confirm(q, 110);
    run(b, 2, q);
    expect([q.view.self!.xp, fb.level[q.slot]]).toEqual([110, 2]);
    expect(q.told(CombatEvent.LEVEL_UP)).toHaveLength(1);
  });

  it('a character whose saved level is behind its experience (a crash between a checkpoint and a save) joins at the level it earned', () => {
    const z = confirming();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, 40, 20, 1, 260);
    run(z, 2, p);
    expect(z.views.store.f.level[p.slot]).toBe(3);
    expect(p.view.self!.xp).toBe(260);
    expect(p.told(CombatEvent.LEVEL_UP)).toEqual([]);
    expect(asked(z, p)).toEqual([]);
  });
});
