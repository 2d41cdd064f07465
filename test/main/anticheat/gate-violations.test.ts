/**
 * The gate's own refusals reach the anti-cheat after the gate has closed the
 * connection: an undecodable frame (client-frames.ts) as `malformed`; the
 * anti-cheat counts it by check and per player.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANTICHEAT_CONFIG } from '../../../src/main/anticheat-config.ts';
import { Anticheat } from '../../../src/main/anticheat/anticheat.ts';
import { gateViolations } from '../../../src/main/anticheat/gate-violations.ts';
import { onClientFrame, type ClientFrameHost } from '../../../src/main/gate/client-frames.ts';
import type { Connection } from '../../../src/main/gate/connection.ts';
import { noGateMetrics } from '../../../src/main/metrics/gate-metrics.ts';
import { encodePing } from '../../../src/protocol/encode.ts';
import { ErrorCode } from '../../../src/protocol/errors.ts';

describe('the gate\'s refusals as violations', () => {
  it('an undecodable frame is failed first, then reported malformed; a valid one is not reported', () => {
    const order: string[] = [];
    const counted: string[] = [];
    const ac = new Anticheat<Connection>({ ...DEFAULT_ANTICHEAT_CONFIG, warnAt: 0, kickAt: 2, banAt: 0 }, { send() {}, close: (_c, code) => order.push(`close ${code}`) }, pino({ level: 'silent' }), {
      metrics: { violation: (check) => counted.push(check) },
    });
    const v = gateViolations(ac);
    const host = {
      metrics: noGateMetrics,
      violations: () => ({ malformed: (c: Connection) => (order.push('malformed'), v.malformed(c)), flood: v.flood }),
      fail: (_c: Connection, err: { code: number }) => order.push(`fail ${err.code}`),
      send: () => order.push('send'),
    } as unknown as ClientFrameHost;
    const c = { id: 3, accountId: 8, characterId: 80, remote: '127.0.0.1', name: 'x', phase: 'playing' } as unknown as Connection;
    onClientFrame(host, c, Buffer.from([0, 1, 2]), true);
    expect(order).toEqual([`fail ${ErrorCode.UNKNOWN_OPCODE}`, 'malformed']);
    onClientFrame(host, c, Buffer.from(encodePing(1)), true);
    expect(order).toEqual([`fail ${ErrorCode.UNKNOWN_OPCODE}`, 'malformed', 'send']);
    // The same player's flood: its second violation reaches the kick step (ANTICHEAT_KICK_AT 2).
    v.flood(c);
    expect(counted).toEqual(['malformed', 'flood']);
    expect(order.at(-1)).toBe('close 4040');
  });
});
