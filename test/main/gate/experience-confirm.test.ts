/**
 * The coordinator's side of experience told once durable, through the real
 * Gate over an in-thread combat zone that confirms (its cells tick when the
 * test says, a stand-in socket, a world whose confirmState the test
 * settles): the cell's EXPERIENCE reaches the world as the character's
 * state; the client is shown the experience only after the world said it is
 * durable; a guest (no character to keep) is confirmed at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/main/config.ts';
import { Gate } from '../../../src/main/gate/gate.ts';
import type { EnteredCharacter, World, WorldState } from '../../../src/main/gate/world.ts';
import { noGateMetrics } from '../../../src/main/metrics/gate-metrics.ts';
import { encodeHello } from '../../../src/protocol/encode.ts';
import { AuthKind } from '../../../src/protocol/opcodes.ts';
import { writeReward } from '../../../src/shared/messages/gate-to-cell.ts';
import { gateOverZone } from '../../helpers/gate-harness.ts';
import { silentLog } from '../../helpers/zone.ts';
import { combatZone } from '../../workers/combat/fixture.ts';

/** A world whose confirmations wait until the test settles them. */
class ConfirmingWorld implements World {
  readonly confirms: { id: number; state: WorldState; done: () => void }[] = [];
  async enterWorld(_token: string, characterId: number): Promise<EnteredCharacter> {
    return { accountId: 1, characterId, name: `c${characterId}`, classId: 1, zone: 't', x: 40, y: 20, hp: 0, level: 1, xp: 30 };
  }
  updateState(): void {}
  leaveWorld(): void {}
  confirmState(id: number, state: WorldState): Promise<void> {
    return new Promise((done) => this.confirms.push({ id, state, done }));
  }
}

describe('experience confirmed by the coordinator', () => {
  let gate: Gate | undefined;
  afterEach(async () => {
    await gate?.shutdown(10);
    gate = undefined;
  });

  async function playing(world: World | null, hello: Uint8Array) {
    const z = combatZone([], undefined, undefined, { confirmExperience: true });
    gate = new Gate(loadConfig({ ALLOW_GUESTS: '1', SPAWN_SPREAD: '0', RESUME_GRACE_MS: '0' }), world, noGateMetrics, silentLog);
    const g = gate;
    const { ws, c, view, step } = gateOverZone(g, z);
    ws.emit('message', Buffer.from(hello), true);
    await new Promise((r) => setImmediate(r)); // the world entry resolves first
    for (let i = 0; i < 5 && c.phase !== 'playing'; i++) step(1);
    expect(c.phase).toBe('playing');
    step(2);
    /** A quest's reward of `xp`, as the gate pays one. */
    const reward = (xp: number) => {
      const ring = z.gateIn[z.ownerOf(c.handle)];
      writeReward(ring, c.id, xp);
      ring.flush();
    };
    return { c, view, step, reward };
  }

  it('shows a character experience only after the world made it durable', async () => {
    const world = new ConfirmingWorld();
    const { c, view, step, reward } = await playing(world, encodeHello('tok', 7, AuthKind.TOKEN));
    expect(view.self!.xp).toBe(30);
    reward(90); // 120: level 2 at 100
    step(3);
    expect(world.confirms.map((k) => [k.id, k.state.xp, k.state.level, k.state.zone])).toEqual([[7, 120, 1, 't']]);
    expect(c.lastState).toMatchObject({ xp: 120 });
    expect(view.self!.xp).toBe(30);
    step(5);
    expect(view.self!.xp).toBe(30);
    world.confirms[0].done();
    await Promise.resolve();
    step(2);
    expect(view.self!.xp).toBe(120);
    expect(view.current.level[view.current.indexOf(c.handle)]).toBe(2);
  });

  it('confirms a guest\'s experience at once (nothing to keep)', async () => {
    const { view, step, reward } = await playing(null, encodeHello('ann'));
    reward(40);
    step(4);
    expect(view.self!.xp).toBe(40);
  });
});
