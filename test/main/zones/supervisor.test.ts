import { afterEach, describe, expect, it } from 'vitest';
import { CellSupervisor } from '../../../src/main/zones/supervisor.ts';
import { CellControl } from '../../../src/shared/layout.ts';
import { silentLog, testZone } from '../../helpers/zone.ts';

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('cell supervisor', () => {
  let sup: CellSupervisor | undefined;
  afterEach(async () => {
    await sup?.stop(1000);
    sup = undefined;
  });

  it('starts the cells, waits until they tick and is ready', async () => {
    sup = new CellSupervisor(silentLog);
    await sup.start([testZone({ cellCols: 2, cellRows: 1 })]);
    expect(sup.isReady()).toBe(true);
    const zone = sup.zones[0];
    const t0 = zone.tickOf(0);
    await waitFor(() => zone.tickOf(0) >= t0 + 5, 3000, 'five more ticks');
    // Lockstep: the cells never drift apart by more than the tick in progress.
    expect(Math.abs(zone.tickOf(0) - zone.tickOf(1))).toBeLessThanOrEqual(1);
  });

  it('reports a dead cell as failed, stops its zone and is not ready', async () => {
    sup = new CellSupervisor(silentLog);
    const events: { cell: number; health: string }[] = [];
    sup.on('health', (e: { cell: number; health: string }) => events.push(e));
    await sup.start([testZone({ cellCols: 2, cellRows: 1 })]);
    await sup.zones[0].workers[1].terminate();
    await waitFor(() => sup!.zones[0].health.every((h) => h === 'failed' || h === 'stopped'), 5000, 'zone down');
    expect(sup.zones[0].health[1]).toBe('failed');
    expect(sup.isReady()).toBe(false);
    expect(events).toContainEqual({ zone: 'test', cell: 1, health: 'failed' });
  });

  it('reports a cell that throws in a tick as failed, with its error', async () => {
    sup = new CellSupervisor(silentLog);
    await sup.start([testZone({ cellCols: 2, cellRows: 1 }, { fault: { atTick: 10, kind: 'throw' } })]);
    await waitFor(() => sup!.zones[0].health.includes('failed'), 5000, 'failure');
    expect(sup.isReady()).toBe(false);
    expect(sup.zones[0].lastError.join(' ')).toContain('injected fault at tick 10');
  });

  it('reports a cell whose tick counter stands still as stuck, then terminates it and reports the zone down', async () => {
    sup = new CellSupervisor(silentLog, 500, 1500);
    let down = 0;
    sup.on('zoneDown', () => down++);
    const launch = testZone({ cellCols: 2, cellRows: 1 }, { fault: { atTick: 20, kind: 'stall' } });
    await sup.start([launch]);
    await waitFor(() => sup!.zones[0].health.includes('stuck'), 5000, 'stuck report');
    expect(sup.isReady()).toBe(false);
    await waitFor(() => down === 1, 5000, 'zone down');
    expect(sup.zones[0].lastError.join(' ')).toMatch(/stuck at tick/);
  });

  it('restarts a zone from its shared store, keeping every entity', async () => {
    sup = new CellSupervisor(silentLog);
    await sup.start([testZone({ cellCols: 2, cellRows: 1 }, { wanderers: 100 })]);
    const zone = sup.zones[0];
    const downed = new Promise((r) => sup!.once('zoneDown', r));
    await zone.workers[0].terminate();
    await downed;
    const tickAtDown = Math.max(zone.tickOf(0), zone.tickOf(1));
    await sup.restartZone(zone, []);
    expect(sup.isReady()).toBe(true);
    await waitFor(() => zone.tickOf(0) > tickAtDown + 5, 3000, 'ticks after restart');
    expect(zone.views.store.liveCount).toBe(100);
    let owned = 0;
    for (let c = 0; c < 2; c++) owned += Atomics.load(zone.views.control, zone.views.cellWord(c, CellControl.entities));
    expect(owned).toBe(100);
  });
});
