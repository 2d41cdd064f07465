/**
 * The test-only fault hooks through their public interface: the requests
 * they accept from the IPC channel (hostile ones refused with a reason),
 * and a real zone's cell killed and stalled through them, each brought back
 * by the supervisor (the stall by its watchdog) with its entities kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultHooks, parseFaultRequest } from '../../../src/main/faults/fault-hooks.ts';
import { CellSupervisor, type ZoneHandle } from '../../../src/main/zones/supervisor.ts';
import { silentLog, testZone } from '../../helpers/zone.ts';

const valid = { type: 'tessera-fault', id: 3, fault: 'stall-cell', zone: 'meadow', cell: 1 };

describe('fault requests', () => {
  it('accepts a well-formed request and keeps only its fields', () => {
    expect(parseFaultRequest({ ...valid, extra: 'ignored' })).toEqual(valid);
    expect(parseFaultRequest({ ...valid, fault: 'kill-cell' })).toEqual({ ...valid, fault: 'kill-cell' });
  });

  it.each([
    [null, 'a fault request is an object'],
    ['kill-cell', 'a fault request is an object'],
    [[valid], 'a fault request is an object'],
    [{ ...valid, type: 'other' }, 'not a fault request'],
    [{ ...valid, id: -1 }, 'id must be'],
    [{ ...valid, id: 1.5 }, 'id must be'],
    [{ ...valid, id: '3' }, 'id must be'],
    [{ ...valid, fault: 'rm -rf' }, 'fault must be one of kill-cell, stall-cell'],
    [{ ...valid, fault: undefined }, 'fault must be one of'],
    [{ ...valid, zone: '' }, 'zone must be'],
    [{ ...valid, zone: 'z'.repeat(65) }, 'zone must be'],
    [{ ...valid, zone: 7 }, 'zone must be'],
    [{ ...valid, cell: -1 }, 'cell must be'],
    [{ ...valid, cell: 4096 }, 'cell must be'],
    [{ ...valid, cell: Number.NaN }, 'cell must be'],
  ])('refuses %j with a reason', (raw, reason) => {
    const r = parseFaultRequest(raw);
    expect(typeof r).toBe('string');
    expect(r).toContain(reason);
  });
});

describe('fault hooks on a running zone', () => {
  let sup: CellSupervisor | undefined;
  afterEach(async () => {
    await sup?.stop();
    sup = undefined;
  });

  /** Restarts the zone whenever it goes down (what zone-recovery.ts does, without a gate). */
  function recovering(s: CellSupervisor): void {
    s.on('zoneDown', (zone: ZoneHandle) => void s.restartZone(zone, []).catch(() => {}));
  }

  async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
    for (const end = Date.now() + ms; !cond(); ) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('kills a cell (the zone restarts) and stalls one in a system (the watchdog terminates it and the zone restarts)', async () => {
    const hooks = new FaultHooks();
    sup = new CellSupervisor(silentLog, 1000, 3000);
    recovering(sup);
    await sup.start([testZone({ name: 'meadow', cellCols: 2, cellRows: 1 }, { wanderers: 30, ...hooks.cellOptions() })]);
    const zone = sup.zones[0];
    expect(zone.systems[0]).toContain('fault-stall');
    const live = zone.views.store.liveCount;

    expect(hooks.apply(sup, { fault: 'kill-cell', zone: 'meadow', cell: 0 })).toBeUndefined();
    await until(() => zone.restarts >= 1 && sup!.isReady(), 60_000, 'the zone back after the kill');
    expect(zone.views.store.liveCount).toBe(live);

    expect(hooks.apply(sup, { fault: 'stall-cell', zone: 'meadow', cell: 1 })).toBeUndefined();
    await until(() => zone.lastError[1]?.startsWith('stuck at tick') === true, 20_000, 'the stalled cell terminated');
    await until(() => zone.restarts >= 2 && sup!.isReady(), 20_000, 'the zone back after the stall');
    expect(zone.views.store.liveCount).toBe(live);
    // The restarted cell found its flag cleared: it keeps ticking.
    const tick = zone.tickOf(1);
    await until(() => zone.tickOf(1) > tick + 5, 5000, 'the restarted cell ticking');
  }, 60_000);

  it('says why it cannot inject: an unknown zone or cell, or a zone that is down', async () => {
    const hooks = new FaultHooks();
    sup = new CellSupervisor(silentLog);
    await sup.start([testZone({ name: 'meadow', cellCols: 2, cellRows: 1 }, { wanderers: 5, ...hooks.cellOptions() })]);
    expect(hooks.apply(sup, { fault: 'kill-cell', zone: 'nowhere', cell: 0 })).toBe('no zone "nowhere"');
    expect(hooks.apply(sup, { fault: 'stall-cell', zone: 'meadow', cell: 2 })).toBe('zone meadow has 2 cells');
    expect(hooks.apply(sup, { fault: 'kill-cell', zone: 'meadow', cell: 0 })).toBeUndefined();
    await until(() => sup!.zones[0].exited.every(Boolean), 10_000, 'the zone down');
    expect(hooks.apply(sup, { fault: 'kill-cell', zone: 'meadow', cell: 1 })).toContain('is not running every cell');
  }, 30_000);
});
