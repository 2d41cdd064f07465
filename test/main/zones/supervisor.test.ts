import { afterEach, describe, expect, it } from 'vitest';
import { FaultHooks } from '../../../src/main/faults/fault-hooks.ts';
import { CellSupervisor, RestartBudgetError, type ZoneHandle } from '../../../src/main/zones/supervisor.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { CellControl, SlotState } from '../../../src/shared/layout.ts';
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

  it('times out a restart that never ticks, fails its cells and reports the zone down again', async () => {
    sup = new CellSupervisor(silentLog, 2000, 10_000, { restartTimeoutMs: 1500 });
    let down = 0;
    sup.on('zoneDown', () => down++);
    await sup.start([testZone({ cellCols: 2, cellRows: 1 }, { wanderers: 20, fault: { kind: 'hang-start', restartsOnly: true } })]);
    const zone = sup.zones[0];
    await zone.workers[0].terminate();
    await waitFor(() => down === 1, 5000, 'zone down');
    const t0 = Date.now();
    await expect(sup.restartZone(zone, [])).rejects.toThrow(/did not tick within 1500 ms/);
    // Timed out by restartTimeoutMs, not by the fault's own 60 s block.
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(zone.health).toEqual(['failed', 'failed']);
    expect(zone.lastError.join(' ')).toMatch(/did not tick within/);
    expect(sup.isReady()).toBe(false);
    // The hung workers are terminated, so the zone is reported down again (and recovery retries).
    await waitFor(() => down === 2, 5000, 'zone down again after the hung restart');
    expect(zone.exited).toEqual([true, true]);
    expect(zone.lost).toBe(false);
  });

  it('gives up on a zone whose failure repeats after every restart: RestartBudgetError and zone.lost', async () => {
    sup = new CellSupervisor(silentLog, 2000, 10_000, { maxRestartsPerMinute: 2 });
    let down = 0;
    sup.on('zoneDown', () => down++);
    // Re-arms in every started cell: each incarnation dies at its 5th tick.
    await sup.start([testZone({ cellCols: 2, cellRows: 1 }, { wanderers: 20, fault: { kind: 'throw', afterTicks: 5 } })]);
    const zone = sup.zones[0];
    let restarted = 0;
    let budgetError: unknown;
    for (let attempt = 0; attempt < 6 && budgetError === undefined; attempt++) {
      await waitFor(() => down > attempt, 10_000, `zone down #${attempt + 1}`);
      try {
        await sup.restartZone(zone, []);
        restarted++;
      } catch (err) {
        if (err instanceof RestartBudgetError) budgetError = err;
        // Any other rejection (a cell died before its first tick) is a failure that goes down again.
      }
    }
    expect(budgetError).toBeInstanceOf(RestartBudgetError);
    expect(zone.lost).toBe(true);
    expect(zone.restartTimes).toHaveLength(2);
    expect(restarted).toBeLessThanOrEqual(2);
    expect(down).toBe(3);
    expect(sup.isReady()).toBe(false);
    // It stays down: asking again is refused the same way, and no cell was started for it.
    await expect(sup.restartZone(zone, [])).rejects.toBeInstanceOf(RestartBudgetError);
    expect(zone.exited).toEqual([true, true]);
  });

  it('sweeps the RESERVED slots of dead cells on restart, keeping the live count', async () => {
    sup = new CellSupervisor(silentLog);
    await sup.start([testZone({ cellCols: 2, cellRows: 1 }, { wanderers: 60 })]);
    const zone = sup.zones[0];
    const store = zone.views.store;
    const downed = new Promise((r) => sup!.once('zoneDown', r));
    await zone.workers[1].terminate();
    await downed;
    const live = store.liveCount;
    expect(live).toBe(60);
    // Half-made spawns of the dead cells: reserved, never published.
    const reserved = [store.allocate(), store.allocate(), store.allocate()];
    expect(reserved.every((h) => h >= 0 && Atomics.load(store.f.state, indexOf(h)) === SlotState.RESERVED)).toBe(true);
    expect(store.liveCount).toBe(live + 3);
    await sup.restartZone(zone, []);
    // Right after the restart resolves: nothing reserved is left anywhere.
    expect(reservedSlots(zone)).toEqual([]);
    for (const h of reserved) {
      expect(Atomics.load(store.f.state, indexOf(h))).toBe(SlotState.FREE);
      expect(store.isValid(h)).toBe(false);
    }
    expect(store.liveCount).toBe(live);
    let owned = 0;
    for (let c = 0; c < 2; c++) owned += Atomics.load(zone.views.control, zone.views.cellWord(c, CellControl.entities));
    expect(owned).toBe(live);
  });

  it('sweeps RESERVED slots in the supervisor before any cell starts (no restarted cell ever got as far as its constructor)', async () => {
    sup = new CellSupervisor(silentLog, 2000, 10_000, { restartTimeoutMs: 1500 });
    let down = 0;
    sup.on('zoneDown', () => down++);
    // Restarted cells hang before they build their runtime: only the supervisor can sweep.
    await sup.start([testZone({ cellCols: 2, cellRows: 1 }, { wanderers: 40, fault: { kind: 'hang-start', restartsOnly: true } })]);
    const zone = sup.zones[0];
    const store = zone.views.store;
    await zone.workers[0].terminate();
    await waitFor(() => down === 1, 5000, 'zone down');
    const live = store.liveCount;
    const reserved = [store.allocate(), store.allocate()];
    expect(store.liveCount).toBe(live + 2);
    const started: string[][] = zone.systems.map((s) => [...s]);
    await expect(sup.restartZone(zone, [])).rejects.toThrow(/did not tick/);
    // No restarted cell reported 'started' (systems unchanged from the first start), yet the slots are free.
    expect(zone.systems).toEqual(started);
    expect(reservedSlots(zone)).toEqual([]);
    for (const h of reserved) expect(store.isValid(h)).toBe(false);
    expect(store.liveCount).toBe(live);
  });

  it('restarts a crashed cell on the spare and its peer on its own released thread, loading no code, then readies a new spare', async () => {
    sup = new CellSupervisor(silentLog);
    await sup.start([testZone({ cellCols: 2, cellRows: 1 }, { wanderers: 40 })]);
    const zone = sup.zones[0];
    await waitFor(() => sup!.spare?.state === 'idle', 30_000, 'the spare loaded');
    const spareThread = sup.spare!.worker!.threadId;
    const peerThread = zone.workers[1].threadId;
    const downed = new Promise((r) => sup!.once('zoneDown', r));
    await zone.workers[0].terminate();
    await downed;
    // The peer was released, not ended: its thread waits, warm.
    expect(zone.hosts[1].state).toBe('idle');
    expect(zone.lastError[1]).toMatch(/barrier broken/);
    const rec = await sup.restartZone(zone, []);
    expect(rec.hosts).toEqual({ warm: 1, spare: 1, cold: 0 });
    expect(zone.workers.map((w) => w.threadId)).toEqual([spareThread, peerThread]);
    expect(sup.isReady()).toBe(true);
    // A new spare replaces the one used.
    await waitFor(() => sup!.spare?.state === 'idle', 30_000, 'a new spare');
    expect(sup.spare!.worker!.threadId).not.toBe(spareThread);
    expect(sup.spare!.taken).toBe(1);
    const t = zone.tickOf(0);
    await waitFor(() => zone.tickOf(0) > t + 5 && zone.tickOf(1) > t + 5, 5000, 'both cells ticking');
  }, 60_000);

  it('without a spare ready, restarts the crashed cell on a new thread (the slow way) and still comes back', async () => {
    sup = new CellSupervisor(silentLog, undefined, undefined, { spare: false });
    await sup.start([testZone({ cellCols: 2, cellRows: 1 }, { wanderers: 20 })]);
    const zone = sup.zones[0];
    expect(sup.spare).toBeUndefined();
    const downed = new Promise((r) => sup!.once('zoneDown', r));
    await zone.workers[1].terminate();
    await downed;
    expect((await sup.restartZone(zone, [])).hosts).toEqual({ warm: 1, spare: 0, cold: 1 });
    expect(sup.isReady()).toBe(true);
  }, 60_000);

  it('terminates a cell looping inside a tick by its CPU, long before the no-progress fallback', async () => {
    const hooks = new FaultHooks();
    // The fallback (CELL_STALL_KILL_MS) is a minute away: only the CPU rule can end the loop in time.
    sup = new CellSupervisor(silentLog, 2000, 60_000);
    await sup.start([testZone({ name: 'meadow', cellCols: 2, cellRows: 1 }, { wanderers: 20, ...hooks.cellOptions() })]);
    const zone = sup.zones[0];
    // Past the restart warm-up of the detector (WARMUP_TICKS).
    await waitFor(() => zone.tickOf(1) > 60, 10_000, 'warm cells');
    const downed = new Promise((r) => sup!.once('zoneDown', r));
    const t0 = Date.now();
    expect(hooks.apply(sup, { fault: 'stall-cell', zone: 'meadow', cell: 1 })).toBeUndefined();
    await downed;
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(zone.lastError[1]).toMatch(/^stuck at tick \d+ \(looping: \d+ ms of CPU in one tick\)$/);
    expect(Number(/looping: (\d+)/.exec(zone.lastError[1]!)![1])).toBeGreaterThanOrEqual(sup.loopCpuMs);
    // Its peer, waiting at the barrier, burned no CPU: released warm, not terminated.
    expect(zone.hosts[0].state).toBe('idle');
    expect((await sup.restartZone(zone, [])).hosts.warm).toBe(1);
    // The looping cell's failure is dated at its last heartbeat, before the kill.
    expect(zone.lastRestart!.sinceFailureMs).toBeGreaterThan(0);
  }, 60_000);

  it('leaves alone a healthy cell whose every tick is slow (120 ms of CPU) but ends', async () => {
    const slow = new URL('./fixtures/slow-system.ts', import.meta.url).href;
    const health: string[] = [];
    // A loop threshold above one slow tick's CPU, below two of them.
    sup = new CellSupervisor(silentLog, 2000, 60_000, { loopCpuMs: 200 });
    sup.on('health', (e: { health: string }) => health.push(e.health));
    await sup.start([testZone({ cellCols: 1, cellRows: 1 }, { systemModules: [slow] })]);
    const zone = sup.zones[0];
    // Well past the warm-up: about 60 slow ticks, sampled all along.
    await waitFor(() => zone.tickOf(0) > 60, 30_000, 'sixty slow ticks');
    expect(zone.health).toEqual(['running']);
    expect(health.filter((h) => h === 'failed')).toEqual([]);
  }, 60_000);

  it('an operator restart of a one-cell zone releases its cell warm (no barrier waits there)', async () => {
    sup = new CellSupervisor(silentLog);
    await sup.start([testZone({ cellCols: 1, cellRows: 1 }, { wanderers: 10 })]);
    const zone = sup.zones[0];
    const thread = zone.workers[0].threadId;
    const downed = new Promise((r) => sup!.once('zoneDown', r));
    expect(sup.restartOnPurpose(zone, 'testing')).toBe(true);
    await downed;
    expect(zone.lastError[0]).toBe('testing');
    expect(zone.hosts[0].state).toBe('idle');
    expect((await sup.restartZone(zone, [])).hosts).toEqual({ warm: 1, spare: 0, cold: 0 });
    expect(zone.workers[0].threadId).toBe(thread);
  }, 60_000);

  it('stop() ends every thread: the cells, the released ones of a zone left down, and the spare', async () => {
    sup = new CellSupervisor(silentLog);
    await sup.start([testZone({ name: 'a', cellCols: 2, cellRows: 1 }), testZone({ name: 'b', cellCols: 1, cellRows: 1 })]);
    await waitFor(() => sup!.spare?.state === 'idle', 30_000, 'the spare loaded');
    const threads = [...sup.zones.flatMap((z) => z.workers), sup.spare!.worker!];
    const exits = threads.map((w) => new Promise((r) => w.once('exit', r)));
    const downed = new Promise((r) => sup!.once('zoneDown', r));
    await sup.zones[0].workers[0].terminate();
    await downed;
    // Zone a is down (its cell 1 released, waiting), b runs, the spare waits.
    expect(sup.zones[0].hosts[1].state).toBe('idle');
    await sup.stop(2000);
    await Promise.all(exits);
    expect(sup.zones[1].health).toEqual(['stopped']);
    expect(sup.spare!.worker).toBeUndefined();
    sup = undefined;
  }, 60_000);
});

/** Slots of the zone's store in the RESERVED state. */
function reservedSlots(zone: ZoneHandle): number[] {
  const state = zone.views.store.f.state;
  const out: number[] = [];
  for (let i = 0; i < state.length; i++) if (Atomics.load(state, i) === SlotState.RESERVED) out.push(i);
  return out;
}
