/**
 * The gate tells its game parts (quests, items) when a player enters and
 * when it leaves, whichever way it leaves: a logout answered by its cell's
 * LEFT, and a release after a failed cell. A part never told would keep a
 * session per connection forever and never write its last changes.
 */
import type { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/main/config.ts';
import type { Connection } from '../../../src/main/gate/connection.ts';
import { Gate } from '../../../src/main/gate/gate.ts';
import { noItems, type GateItems } from '../../../src/main/gate/items-port.ts';
import type { GateQuests } from '../../../src/main/gate/quests-port.ts';
import { noGateMetrics } from '../../../src/main/metrics/gate-metrics.ts';
import { encodeHello } from '../../../src/protocol/encode.ts';
import { CloseCode } from '../../../src/protocol/errors.ts';
import { AuthKind } from '../../../src/protocol/opcodes.ts';
import { FakeSocket, FakeWorld, handleOf, zones } from '../../helpers/gate-harness.ts';
import { silentLog } from '../../helpers/zone.ts';

describe("the gate's game parts", () => {
  let gate: Gate | undefined;
  afterEach(async () => {
    await gate?.shutdown(10);
    gate = undefined;
  });

  async function playing() {
    const { a } = zones();
    const calls: string[] = [];
    const quests: GateQuests = {
      request() {},
      entered: (p) => void calls.push(`quests.entered ${p.id}`),
      left: (p) => void calls.push(`quests.left ${p.id}`),
      fact() {},
      bag() {},
      settled: async () => true,
    };
    const items: GateItems = { ...noItems, joined: (c) => void calls.push(`items.joined ${c.id}`), left: (conn) => void calls.push(`items.left ${conn}`) };
    gate = new Gate(loadConfig({ ALLOW_GUESTS: '1', SPAWN_SPREAD: '0', RESUME_GRACE_MS: '0' }), new FakeWorld(), noGateMetrics, silentLog, { quests: () => quests, items: () => items });
    const za = handleOf(a);
    gate.attachZone(za);
    const ws = new FakeSocket();
    (gate as unknown as { open(ws: WebSocket, remote: string): void }).open(ws as unknown as WebSocket, '127.0.0.1');
    const c: Connection = [...gate.connections.values()][0];
    ws.emit('message', Buffer.from(encodeHello('tok', 7, AuthKind.TOKEN)), true);
    await new Promise((r) => setImmediate(r)); // the world entry resolves first
    const { link } = gate.linkOf(za);
    for (let i = 0; i < 5 && c.phase !== 'playing'; i++) {
      a.tick();
      link.drainNow();
    }
    expect(c.phase).toBe('playing');
    return { a, c, ws, calls, step: () => (a.tick(), link.drainNow()) };
  }

  it('are told of a player entering, and of its logout once its cell let the entity go', async () => {
    const { c, ws, calls, step } = await playing();
    expect(calls).toEqual([`quests.entered ${c.id}`, `items.joined ${c.id}`]);
    ws.emit('close', CloseCode.NORMAL);
    expect(calls).toHaveLength(2); // the cell has not answered the LEAVE yet
    step();
    expect(c.released).toBe(true);
    expect(calls.slice(2).sort()).toEqual([`items.left ${c.id}`, `quests.left ${c.id}`]);
  });

  it('are told of a player released after its cell failed', async () => {
    const { c, calls } = await playing();
    gate!.releaseLost(c, 'test');
    expect(calls.slice(2).sort()).toEqual([`items.left ${c.id}`, `quests.left ${c.id}`]);
  });
});
