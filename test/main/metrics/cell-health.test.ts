import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../../../src/main/metrics/registry.ts';
import { CellSupervisor, type ZoneHandle } from '../../../src/main/zones/supervisor.ts';
import { silentLog, testZone } from '../../helpers/zone.ts';
import { one, parseExposition } from './parse.ts';

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('cell health metrics through a failure and a zone restart', () => {
  let sup: CellSupervisor | undefined;
  let metrics: Metrics | undefined;
  afterEach(async () => {
    metrics?.close();
    await sup?.stop(1000);
    sup = undefined;
  });

  it('shows the failed cell down and counted, then every cell up again with one restart each', async () => {
    sup = new CellSupervisor(silentLog);
    metrics = createMetrics({ supervisor: sup });
    let down: ZoneHandle | undefined;
    sup.on('zoneDown', (z: ZoneHandle) => (down = z));
    await sup.start([testZone({ name: 'crashy', cellCols: 2, cellRows: 1 }, { fault: { atTick: 10, kind: 'throw' } })]);
    await waitFor(() => down !== undefined, 10_000, 'zone down');
    const scrape = async () => parseExposition(await metrics!.registry.metrics()).samples;
    let s = await scrape();
    for (const cell of ['0', '1']) {
      expect(one(s, 'tessera_cell_up', { zone: 'crashy', cell })).toBe(0);
      expect(one(s, 'tessera_cell_restarts_total', { zone: 'crashy', cell })).toBe(0);
    }
    // Every cell throws at tick 10 (the fault is zone-wide).
    expect(one(s, 'tessera_cell_failures_total', { zone: 'crashy', cell: '0' }) + one(s, 'tessera_cell_failures_total', { zone: 'crashy', cell: '1' })).toBeGreaterThanOrEqual(1);

    await sup.restartZone(down!, []);
    await waitFor(() => sup!.isReady(), 10_000, 'zone ticking again');
    s = await scrape();
    for (const cell of ['0', '1']) {
      expect(one(s, 'tessera_cell_up', { zone: 'crashy', cell })).toBe(1);
      expect(one(s, 'tessera_cell_restarts_total', { zone: 'crashy', cell })).toBe(1);
    }
  });
});
