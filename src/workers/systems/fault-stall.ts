/**
 * Test-only system (loaded by URL through CellOptions.systemModules, never
 * in the default list): when the coordinator's fault hooks set this cell's
 * word in the fault flags (its host thread's CellHostData), it clears the
 * word and loops forever, as a system with an endless loop would. Only the
 * supervisor's stall detector (zones/stall-detector.ts) ends it, by
 * terminating the worker; the restarted
 * cell finds its word cleared and ticks on. main/faults/fault-hooks.ts adds
 * it only when TESSERA_FAULT_HOOKS is on under NODE_ENV=test.
 */
import { workerData } from 'node:worker_threads';
import type { CellHostData } from '../../shared/cell-contract.ts';
import { stallWord } from '../../shared/fault-flags.ts';
import type { SystemFactory } from '../system.ts';

const faultStall: SystemFactory = (ctx) => {
  // The flags are the host thread's (the same for every cell it runs); the zone is the cell's.
  const data = workerData as CellHostData;
  if (!data.faultFlags) throw new Error('the fault-stall system needs the cell host\'s faultFlags');
  const flags = new Int32Array(data.faultFlags);
  const zoneId = ctx.views.init.spec.id;
  const word = stallWord(zoneId, ctx.cell);
  if (word < 0) throw new Error(`fault-stall: zone ${zoneId} cell ${ctx.cell} is past the fault flags' reach`);
  return {
    name: 'fault-stall',
    phase: 'simulate',
    run() {
      if (Atomics.load(flags, word) === 0 || Atomics.exchange(flags, word, 0) === 0) return;
      spin();
    },
  };
};
export default faultStall;

/** Never returns: what a system stuck in a loop looks like to the supervisor. */
function spin(): never {
  for (;;) {
    // Deliberately empty: only Worker.terminate() gets the thread out.
  }
}
