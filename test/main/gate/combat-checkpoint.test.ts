/**
 * The coordinator's side of combat checkpoints, through the real Gate and
 * zone recovery over an in-thread combat zone (its cells tick when the test
 * says, stand-in sockets): the gate keeps each player's newest CHECKPOINT,
 * a zone restart hands it back, and the client's self record shows the
 * same cooldown and aura after the restart as before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/main/config.ts';
import { Gate } from '../../../src/main/gate/gate.ts';
import { PromGateMetrics } from '../../../src/main/metrics/gate.ts';
import { recoverZone } from '../../../src/main/zone-recovery.ts';
import type { CellSupervisor } from '../../../src/main/zones/supervisor.ts';
import { ActionKind } from '../../../src/protocol/combat-codes.ts';
import { encodeAction, encodeHello } from '../../../src/protocol/encode.ts';
import type { ReattachedPlayer } from '../../../src/shared/cell-contract.ts';
import { gateOverZone } from '../../helpers/gate-harness.ts';
import { silentLog } from '../../helpers/zone.ts';
import { Skill, combatZone } from '../../workers/combat/fixture.ts';

describe('combat checkpoints at the coordinator', () => {
  let gate: Gate | undefined;
  afterEach(async () => {
    await gate?.shutdown(10);
    gate = undefined;
  });

  it('a zone restart gives the player back its cooldowns and auras from the checkpoint the gate held', async () => {
    const z = combatZone();
    gate = new Gate(loadConfig({ ALLOW_GUESTS: '1', SPAWN_SPREAD: '0' }), null, new PromGateMetrics(), silentLog);
    const g = gate;
    const { zone, ws, c, view, step, send } = gateOverZone(g, z);
    send(encodeHello('ann'));
    for (let i = 0; i < 5 && c.phase !== 'playing'; i++) step(1);
    expect(c.phase).toBe('playing');
    step(2);

    send(encodeAction({ seq: 1, kind: ActionKind.SKILL, target: 0, skill: Skill.SHOUT, x: 0, y: 0 }));
    step(3);
    const readyAt = view.self!.readyAt(Skill.SHOUT);
    expect(readyAt).toBeGreaterThan(view.lastTick);
    expect(view.self!.auraCount).toBe(1);
    expect(c.combatCheckpointBytes).toBeGreaterThan(0);

    // Every cell of the zone restarts, as after a crash: zone recovery hands each player what the gate held.
    const handedBack: ReattachedPlayer[] = [];
    const supervisor = {
      async restartZone(_zone: unknown, players: ReattachedPlayer[]) {
        handedBack.push(...players);
        for (let cell = 0; cell < z.cells.length; cell++) z.restartCell(cell, players);
      },
    } as unknown as CellSupervisor;
    await recoverZone(g, supervisor, zone, silentLog);
    expect(handedBack).toEqual([expect.objectContaining({ conn: c.id, handle: c.handle, combat: expect.any(Uint8Array) })]);
    step(3);
    expect(view.self!.readyAt(Skill.SHOUT)).toBe(readyAt);
    expect(view.self!.auraCount).toBe(1);
    expect(ws.closeCode).toBeUndefined();
  });
});
