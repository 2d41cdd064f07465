/**
 * Zone cell worker entry: builds the cell from workerData and runs its
 * fixed-rate tick until the zone agrees to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CellReport, CellWorkerData } from '../shared/cell-contract.ts';
import { CellControl, CellState, StatSlot } from '../shared/layout.ts';
import { CellRuntime } from './cell-runtime.ts';
import type { SystemFactory } from './system.ts';
import { runTickLoop } from './tick-loop.ts';

const data = workerData as CellWorkerData;

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

/** Loads the extra systems named by module URL (default export: a SystemFactory). */
async function loadSystems(urls: string[]): Promise<SystemFactory[]> {
  const mods = await Promise.all(urls.map((u) => import(u) as Promise<{ default: SystemFactory }>));
  return mods.map((m, i) => {
    if (typeof m.default !== 'function') throw new Error(`system module ${urls[i]} has no default export factory`);
    return m.default;
  });
}

/**
 * Builds and runs the cell. It runs after this module has finished
 * evaluating (see the end of the file), not in its body: the supervisor may
 * terminate a cell at any time (a hung start, a stuck tick), and V8 aborts
 * the process when a worker is terminated while its module is still being
 * evaluated asynchronously (a top-level await): "Check failed:
 * jit_page.has_value()", seen in CI.
 */
async function main(): Promise<void> {
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
    const stats = rt.views.stats(rt.cell);
    Atomics.store(control, rt.views.cellWord(rt.cell, CellControl.state), CellState.RUNNING);
    post({ type: 'started', cell: rt.cell, systems: rt.systemNames });
    const ticks = runTickLoop({
      nextDue: () => rt.schedule.dueOf(rt.tick + 1),
      freeRun: data.freeRun,
      maxTicks: data.maxTicks,
      runTick: fault
        ? () => {
            injectFault(rt, fault, ticksRun++);
            return rt.runTick();
          }
        : () => rt.runTick(),
      // Sleeps on this cell's wake word; a notify (shutdown) or the timeout ends it.
      sleep: (ms) => void Atomics.wait(control, wake, Atomics.load(control, wake), ms),
      onOverrun: () => void stats[StatSlot.overruns]++,
      onRate: (rate) => void (stats[StatSlot.tickRate] = rate),
    });
    Atomics.store(control, rt.views.cellWord(rt.cell, CellControl.state), CellState.STOPPED);
    post({ type: 'stopped', cell: rt.cell, ticks });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    if (runtime) {
      Atomics.store(runtime.views.control, runtime.views.cellWord(runtime.cell, CellControl.state), CellState.FAILED);
      // Release the other cells of the zone: they must not wait for us forever.
      runtime.views.barrier.break();
    }
    const cause = e.cause instanceof Error ? `\ncaused by: ${e.cause.stack}` : '';
    post({ type: 'failed', cell: data.cell, message: e.message, stack: `${e.stack}${cause}` });
    process.exitCode = 1;
  }
}

// After the module body has run to its end.
setImmediate(() => void main());
