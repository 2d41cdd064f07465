/**
 * The short soak (issue 13): the real server process on real PostgreSQL and
 * Redis, a few bots fighting, looting, moving items and chatting, and every
 * fault once: a cell killed, another stalled in a system, Redis and
 * PostgreSQL restarted, the whole process SIGKILLed and started again. Every
 * check of the report must pass: each fault recovered, nothing acknowledged
 * lost across the breaks, the database equal to what the bots were told,
 * the item ledger balanced.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_ORDER } from '../../../src/bots/soak/faults.ts';
import { runSoak } from '../../../src/bots/soak/run-soak.ts';
import { soakMarkdown } from '../../../src/bots/soak/soak-report.ts';

describe('the short soak', () => {
  it('injects every fault, recovers from each, and loses nothing acknowledged (the server log stays on failure)', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tessera-soak-'));
    // 75 s of play: the five faults about 11 s apart after a 9 s warm-up, and 9 s to settle before the audit.
    const report = await runSoak({ minutes: 1.25, bots: 4, cells: '2x1', behavior: 'fight', seed: 7, outDir });
    const md = `${soakMarkdown(report)}\nserver log: ${outDir}/server.log`;
    // Every check, exactly: experience told before a SIGKILL included (it is told only once durable).
    expect(report.checks.filter((c) => !c.pass), md).toEqual([]);
    expect(report.faults.map((f) => f.fault)).toEqual([...FAULT_ORDER]);
    expect(report.checks.find((c) => c.name === 'persisted state = last acknowledged state')?.detail).toContain('4 characters audited');
    for (const fault of FAULT_ORDER) expect(report.checks.map((c) => c.name)).toContain(`nothing acknowledged lost across ${fault}`);
    rmSync(outDir, { recursive: true, force: true });
  }, 420_000);
});
