/**
 * `npm run fuzz`, short: a server process fuzzed for 12 s after a 4 s
 * baseline while 10 bots play, on loopback. Every check of the run must
 * pass, and every strategy must have run.
 */
import { describe, expect, it } from 'vitest';
import { formatFuzzReport, runFuzz } from '../../../src/bots/fuzz/run.ts';
import { BAD_UPGRADE, STRATEGIES } from '../../../src/bots/fuzz/strategies.ts';

describe('npm run fuzz', () => {
  it('fuzzes the gate while bots play, and the server, the bots and the log come through', async () => {
    const r = await runFuzz({ seconds: 12, baselineSeconds: 4, bots: 10, connections: 6, rate: 60, seed: 1 });
    console.log(formatFuzzReport(r));
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.connections.total).toBeGreaterThan(300);
    expect(Object.keys(r.connections.byStrategy).sort()).toEqual([...STRATEGIES.map((s) => s.name), BAD_UPGRADE.name].sort());
    // The server counted what the fuzzer did.
    expect(r.server.closes['4000']).toBeGreaterThan(50);
    expect(r.server.rateLimited.messages).toBeGreaterThan(0);
    expect(r.server.refused.bad_upgrade).toBeGreaterThan(0);
    expect(r.server.exitCode).toBe(0);
    expect(r.server.log.lines).toBeGreaterThan(100);
  }, 90_000);
});
