/**
 * Zone cell host (worker entry): loads the cell code once, then runs the
 * cells the supervisor gives it ('run' messages), one at a time, each until
 * its end:
 * - the zone agreed to stop: it reports 'stopped' and the thread exits;
 * - the cell itself failed (a system threw): it reports 'failed' and the
 *   thread exits (a thread whose own code failed is not reused);
 * - a peer's failure broke the zone's barrier: it reports 'released' and
 *   waits, warm, for its next cell. Restarting a zone reuses such hosts and
 *   the supervisor's spare host (started with no cell) instead of paying a
 *   worker's start-up, loading the code, on the way back
 *   (main/zones/cell-hosts.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BarrierBrokenError } from '../shared/barrier.ts';
import type { CellHostCommand, CellHostData, CellReport, CellWorkerData } from '../shared/cell-contract.ts';
import { CellControl, CellState, StatSlot } from '../shared/layout.ts';
import { CellRuntime } from './cell-runtime.ts';
import type { SystemFactory } from './system.ts';
import { runTickLoop } from './tick-loop.ts';

const host = (workerData ?? {}) as CellHostData;

/** Fault injection (tests): runs before each tick; throws or stalls when the fault's tick comes. */
function injectFault(rt: CellRuntime, fault: NonNullable<CellWorkerData['fault']>, ticksRun: number): void {
  if (fault.kind === 'hang-start') return;
  const due = fault.atTick !== undefined ? rt.tick + 1 === fault.atTick : ticksRun + 1 === fault.afterTicks;
  if (!due) return;
  if (fault.kind === 'throw') throw new Error(`injected fault at tick ${rt.tick + 1}`);
  // A stall the supervisor must notice: block far longer than its threshold.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}
const post = (r: CellReport) => parentPort?.postMessage(r);

/** Loads the extra systems named by module URL (default export: a SystemFactory); the preloaded ones come from the module cache. */
async function loadSystems(urls: string[]): Promise<SystemFactory[]> {
  const mods = await Promise.all(urls.map((u) => import(u) as Promise<{ default: SystemFactory }>));
  return mods.map((m, i) => {
    if (typeof m.default !== 'function') throw new Error(`system module ${urls[i]} has no default export factory`);
    return m.default;
  });
}

/** How a cell's run ended. */
type RunEnd = 'stopped' | 'released' | 'failed';

/** Builds and runs one cell until it stops, fails or is released. */
async function runCell(data: CellWorkerData): Promise<RunEnd> {
  let runtime: CellRuntime | undefined;
  try {
    const extra = data.systemModules?.length ? await loadSystems(data.systemModules) : [];
    const fault = data.fault && (!data.fault.restartsOnly || data.recover) ? data.fault : undefined;
    // A start that never reaches its first tick (supervisor tests): block before building the cell.
    if (fault?.kind === 'hang-start') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    runtime = new CellRuntime(data, extra);
    const rt = runtime;
    let ticksRun = 0;
    const control = rt.views.control;
    const wake = rt.views.cellWord(rt.cell, CellControl.wake);
    const inTick = rt.views.cellWord(rt.cell, CellControl.inTick);
    const stats = rt.views.stats(rt.cell);
    const barrier = rt.views.barrier;
    const tick = fault
      ? () => {
          injectFault(rt, fault, ticksRun++);
          return rt.runTick();
        }
      : () => rt.runTick();
    Atomics.store(control, rt.views.cellWord(rt.cell, CellControl.state), CellState.RUNNING);
    post({ type: 'started', cell: rt.cell, systems: rt.systemNames });
    const ticks = runTickLoop({
      nextDue: () => rt.schedule.dueOf(rt.tick + 1),
      freeRun: data.freeRun,
      maxTicks: data.maxTicks,
      // Inside a tick or between ticks, for the supervisor's stall detector (two stores a tick).
      runTick: () => {
        // Taken down (a peer failed, an operator's restart): released before the tick, not at its
        // barrier, so a cell alone in its zone (whose barrier never waits) is released too.
        if (barrier.isBroken) throw new BarrierBrokenError();
        Atomics.store(control, inTick, 1);
        const go = tick();
        Atomics.store(control, inTick, 0);
        return go;
      },
      // Sleeps on this cell's wake word; a notify (shutdown) or the timeout ends it.
      sleep: (ms) => void Atomics.wait(control, wake, Atomics.load(control, wake), ms),
      onOverrun: () => void stats[StatSlot.overruns]++,
      onRate: (rate) => void (stats[StatSlot.tickRate] = rate),
    });
    Atomics.store(control, rt.views.cellWord(rt.cell, CellControl.state), CellState.STOPPED);
    post({ type: 'stopped', cell: rt.cell, ticks });
    return 'stopped';
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    if (runtime) {
      Atomics.store(runtime.views.control, runtime.views.cellWord(runtime.cell, CellControl.inTick), 0);
      Atomics.store(runtime.views.control, runtime.views.cellWord(runtime.cell, CellControl.state), CellState.FAILED);
      // Release the other cells of the zone: they must not wait for us forever.
      runtime.views.barrier.break();
    }
    if (e instanceof BarrierBrokenError) {
      // Not this cell's fault: its thread is sound and stays, warm, for the zone's restart.
      post({ type: 'released', cell: data.cell, message: e.message });
      return 'released';
    }
    const cause = e.cause instanceof Error ? `\ncaused by: ${e.cause.stack}` : '';
    post({ type: 'failed', cell: data.cell, message: e.message, stack: `${e.stack}${cause}` });
    process.exitCode = 1;
    return 'failed';
  }
}

/** Loads the preloaded system modules once; a cell given before it finishes waits for it. */
const loaded: Promise<unknown> = host.preload?.length ? loadSystems(host.preload) : Promise.resolve();
let busy = false;

/**
 * Runs cells as they are given, one at a time. A run starts from a message
 * handler, so always after this module has finished evaluating: the
 * supervisor may terminate a host at any time (a hung start, a stuck tick),
 * and V8 aborts the process when a worker is terminated while its module is
 * still being evaluated asynchronously (a top-level await): "Check failed:
 * jit_page.has_value()", seen in CI.
 */
function onCommand(m: CellHostCommand): void {
  if (m.type === 'quit') {
    // Nothing else keeps the thread: it exits once the current step is done.
    parentPort?.off('message', onCommand);
    return;
  }
  if (busy) {
    post({ type: 'failed', cell: m.data.cell, message: 'the cell host was given a cell while running another' });
    return;
  }
  busy = true;
  void loaded
    .then(() => runCell(m.data))
    .then((end) => {
      busy = false;
      // Only a released host waits for another cell.
      if (end !== 'released') parentPort?.off('message', onCommand);
    });
}

parentPort?.on('message', onCommand);
loaded.then(
  () => post({ type: 'ready' }),
  (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'failed', cell: -1, message: `the cell host could not load its systems: ${e.message}`, stack: e.stack });
    process.exitCode = 1;
    parentPort?.off('message', onCommand);
  },
);
