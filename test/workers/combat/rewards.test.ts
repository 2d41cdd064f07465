/**
 * Stored rewards paid by the player's cell (gate-to-cell REWARD with a seq),
 * driven tick by tick in a zone whose gate confirms: a seq is paid once, by
 * whichever cell owns the player, across a JOIN that says what is included
 * already, a handoff (the REWARD forwarded as bytes) and a cell restart
 * (the REWARD sent again because its answer died with the cell); every
 * REWARD is answered with REWARDED, carrying the experience and the
 * rewardSeq together.
 */
import { describe, expect, it } from 'vitest';
import { CellMsg } from '../../../src/shared/messages/cell-to-gate.ts';
import { writeReward } from '../../../src/shared/messages/gate-to-cell.ts';
import type { InThreadZone } from '../fixtures/in-thread-zone.ts';
import { Class, combatZone, Fighter, run } from './fixture.ts';

const confirming = () => combatZone([], undefined, undefined, { confirmExperience: true });

/** A REWARD of `xp`, stored row `seq`, written to cell `cell`'s inbound ring (the owner's by default). */
function reward(p: Fighter, xp: number, seq: number, cell = p.z.ownerOf(p.handle)): void {
  const ring = p.z.gateIn[cell];
  writeReward(ring, p.conn, xp, seq);
  ring.flush();
}

/** The REWARDED answers the cells sent for `p` so far, as [xp, rewardSeq]. */
function answers(z: InThreadZone, p: Fighter): [number, number][] {
  return z.control.filter((m) => m.op === CellMsg.REWARDED && m.conn === p.conn).map((m) => [m.xp, m.rewardSeq]);
}

describe('stored rewards paid by the cell', () => {
  it('pays a seq once, none the JOIN said is included, each seq-0 reward as it comes, and answers every REWARD', () => {
    const z = confirming();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, 20, 10, 1, 50, undefined, 4);
    const f = z.views.store.f;
    expect([f.xp[p.slot], f.rewardSeq[p.slot]]).toEqual([50, 4]);
    reward(p, 30, 3);
    reward(p, 30, 4);
    run(z, 1, p);
    expect(f.xp[p.slot]).toBe(50);
    reward(p, 30, 5);
    reward(p, 30, 5);
    reward(p, 10, 0);
    reward(p, 10, 0);
    run(z, 1, p);
    expect([f.xp[p.slot], f.rewardSeq[p.slot]]).toEqual([100, 5]);
    expect(answers(z, p)).toEqual([
      [50, 4],
      [50, 4],
      [80, 5],
      [80, 5],
      [90, 5],
      [100, 5],
    ]);
  });

  it('a REWARD that reaches the old owner after a handoff is forwarded, seq and all, and paid once by the new owner', () => {
    const z = confirming();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, 20, 10, 1, 0);
    z.cells[0].lifecycle.teleport(p.slot, 44, 10);
    run(z, 1, p);
    expect(z.ownerOf(p.handle)).toBe(1);
    reward(p, 40, 1, 0); // to cell 0, which no longer has it
    run(z, 2, p);
    reward(p, 40, 1, 1); // the same seq again, to the owner
    run(z, 1, p);
    expect([z.views.store.f.xp[p.slot], z.views.store.f.rewardSeq[p.slot]]).toEqual([40, 1]);
    expect(answers(z, p)).toEqual([
      [40, 1],
      [40, 1],
    ]);
  });

  it('a restarted cell does not pay again a REWARD sent again because its answer died with the cell: the store kept the seq with the experience', () => {
    const z = confirming();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, 20, 10, 1, 10);
    const f = z.views.store.f;
    const cell = z.ownerOf(p.handle);
    reward(p, 25, 7);
    z.tick();
    // Paid; its REWARDED never reaches the gate (the cell dies before the gate drains it).
    z.drain(cell);
    expect([f.xp[p.slot], f.rewardSeq[p.slot]]).toEqual([35, 7]);
    z.restartCell(cell, [{ conn: p.conn, handle: p.handle, characterId: p.conn }]);
    z.control.length = 0;
    reward(p, 25, 7);
    run(z, 2, p);
    expect([f.xp[p.slot], f.rewardSeq[p.slot]]).toEqual([35, 7]);
    expect(answers(z, p)).toEqual([[35, 7]]);
  });

  it('a new entity starts from the JOIN\'s rewardSeq, never from a freed slot\'s', () => {
    const z = confirming();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, 20, 10, 1, 0);
    reward(p, 5, 9);
    run(z, 1, p);
    expect(z.views.store.f.rewardSeq[p.slot]).toBe(9);
    z.leave(z.ownerOf(p.handle), p.conn);
    z.gateIn[z.ownerOf(p.handle)].flush();
    run(z, 2);
    // Freed slots keep what they held (p's 9 among them): a new entity must not inherit it.
    z.views.store.f.rewardSeq.fill(9);
    const q = Fighter.join(z, 2, Class.FIGHTER, 20, 10, 1, 0);
    expect(z.views.store.f.rewardSeq[q.slot]).toBe(0);
    reward(q, 5, 1);
    run(z, 1, q);
    expect(z.views.store.f.xp[q.slot]).toBe(5);
  });
});
