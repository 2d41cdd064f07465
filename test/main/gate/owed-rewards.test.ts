/**
 * Stored rewards through the real Gate over an in-thread combat zone that
 * confirms (its cells tick when the test says, a stand-in socket, a world
 * whose confirmState the test settles): a reward is sent with its seq,
 * paid once, and its state made durable with the rewardSeq beside the
 * experience; one the character's state includes is not sent; several go
 * one at a time, in order; one whose
 * answer died with a cell is sent again after the restart and still paid
 * once; a report older than one taken does not replace it; and the
 * test-only hold keeps them unsent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/main/config.ts';
import { Gate } from '../../../src/main/gate/gate.ts';
import type { EnteredCharacter, World, WorldState } from '../../../src/main/gate/world.ts';
import { noGateMetrics } from '../../../src/main/metrics/gate-metrics.ts';
import { encodeHello } from '../../../src/protocol/encode.ts';
import { AuthKind } from '../../../src/protocol/opcodes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { gateOverZone } from '../../helpers/gate-harness.ts';
import { silentLog } from '../../helpers/zone.ts';
import { combatZone } from '../../workers/combat/fixture.ts';

/** A world whose character enters with experience 30 including the stored rewards up to 2, and whose confirmations wait until the test settles them. */
class ConfirmingWorld implements World {
  readonly confirms: { id: number; state: WorldState; done: () => void }[] = [];
  readonly updates: WorldState[] = [];
  async enterWorld(_token: string, characterId: number): Promise<EnteredCharacter> {
    return { accountId: 1, characterId, name: `c${characterId}`, classId: 1, zone: 't', x: 40, y: 20, hp: 0, level: 1, xp: 30, rewardSeq: 2 };
  }
  updateState(_id: number, s: WorldState): void {
    this.updates.push(s);
  }
  leaveWorld(): void {}
  confirmState(id: number, state: WorldState): Promise<void> {
    return new Promise((done) => this.confirms.push({ id, state, done }));
  }
}

describe('stored rewards sent by the gate', () => {
  let gate: Gate | undefined;
  afterEach(async () => {
    await gate?.shutdown(10);
    gate = undefined;
  });

  async function playing(env: Record<string, string> = {}) {
    const world = new ConfirmingWorld();
    const z = combatZone([], undefined, undefined, { confirmExperience: true });
    gate = new Gate(loadConfig({ ALLOW_GUESTS: '1', SPAWN_SPREAD: '0', RESUME_GRACE_MS: '0', ...env }), world, noGateMetrics, silentLog);
    const g = gate;
    const { ws, c, view, step } = gateOverZone(g, z);
    ws.emit('message', Buffer.from(encodeHello('tok', 7, AuthKind.TOKEN)), true);
    await new Promise((r) => setImmediate(r)); // the world entry resolves first
    for (let i = 0; i < 5 && c.phase !== 'playing'; i++) step(1);
    expect(c.phase).toBe('playing');
    step(2);
    const xp = () => z.views.store.f.xp[indexOf(c.handle)];
    return { g, z, c, view, step, world, xp };
  }

  it('sends a stored reward with its seq, makes the state holding it durable (rewardSeq with the experience), then shows it; one the character has is not sent', async () => {
    const { g, c, view, step, world, xp } = await playing();
    expect(c.rewardSeq).toBe(2);
    g.parts.rewards.owe(c, 500, 2); // included in what it entered with
    g.parts.rewards.owe(c, 90, 3);
    expect(g.parts.rewards.pending(c)).toEqual([{ seq: 3, xp: 90 }]);
    step(3);
    expect(xp()).toBe(120);
    expect(g.parts.rewards.pending(c)).toEqual([]);
    expect(c.rewardSeq).toBe(3);
    expect(world.confirms.map((k) => [k.id, k.state.xp, k.state.rewardSeq])).toEqual([[7, 120, 3]]);
    expect(view.self!.xp).toBe(30);
    world.confirms[0].done();
    await Promise.resolve();
    step(2);
    expect(view.self!.xp).toBe(120);
    // Sent again (a row read at a later entry, say): dropped at the gate, and the cell would not pay it either.
    g.parts.rewards.owe(c, 90, 3);
    step(2);
    expect(xp()).toBe(120);
  });

  it('sends stored rewards one at a time, in order, each once the one before is reported paid (none can overtake another through a forward)', async () => {
    const { g, z, c, step, xp } = await playing();
    g.parts.rewards.owe(c, 90, 3);
    g.parts.rewards.owe(c, 7, 4);
    g.parts.rewards.owe(c, 5, 5);
    z.tick(); // the gate does not read the cell's answer yet
    expect(xp()).toBe(120);
    step(1); // REWARDED 3 read: 4 goes
    step(1);
    expect(xp()).toBe(127);
    step(3);
    expect(xp()).toBe(132);
    expect(g.parts.rewards.pending(c)).toEqual([]);
    expect(c.rewardSeq).toBe(5);
  });

  it('a reward whose answer died with its cell is sent again after the restart (as zone recovery does) and paid once', async () => {
    const { g, z, c, step, world, xp } = await playing();
    const cell = z.ownerOf(c.handle);
    g.parts.rewards.owe(c, 50, 3);
    z.tick();
    z.drain(cell); // paid, and its REWARDED lost: the cell dies before the gate reads it
    expect(xp()).toBe(80);
    expect(g.parts.rewards.pending(c)).toEqual([{ seq: 3, xp: 50 }]);
    z.restartCell(cell, [{ conn: c.id, handle: c.handle, characterId: c.characterId }]);
    g.parts.rewards.resend(c);
    step(3);
    expect(xp()).toBe(80);
    expect(g.parts.rewards.pending(c)).toEqual([]);
    expect(world.confirms.at(-1)!.state).toMatchObject({ xp: 80, rewardSeq: 3 });
  });

  it('a report older than one taken (its rewardSeq below) replaces nothing: the experience is never saved without a reward counted paid', async () => {
    const { g, c, step, world } = await playing();
    g.parts.rewards.owe(c, 90, 3);
    step(3);
    expect(c.lastState).toMatchObject({ xp: 120, rewardSeq: 3 });
    const updates = world.updates.length;
    // A STATE from before the reward, drained late from another cell's ring.
    g.reports.state(0, c.id, 40, 20, 100, 1, 30, 2);
    expect(c.lastState).toMatchObject({ xp: 120, rewardSeq: 3 });
    expect(world.updates).toHaveLength(updates);
    g.reports.state(0, c.id, 41, 20, 100, 1, 125, 3);
    expect(c.lastState).toMatchObject({ x: 41, xp: 125, rewardSeq: 3 });
  });

  it('with TESSERA_HOLD_REWARDS (test only) keeps stored rewards unsent; a reward without a row still goes', async () => {
    const { g, c, step, xp } = await playing({ NODE_ENV: 'test', TESSERA_HOLD_REWARDS: '1' });
    g.parts.rewards.owe(c, 90, 3);
    g.parts.rewards.owe(c, 5, 0);
    step(3);
    expect(xp()).toBe(35);
    expect(g.parts.rewards.pending(c)).toEqual([{ seq: 3, xp: 90 }]);
  });
});
