import { Gauge, type Registry } from 'prom-client';
import type { Worker } from 'node:worker_threads';
import { zoneMemoryBytes } from '../../shared/zone-memory.ts';
import type { CellSupervisor } from '../zones/supervisor.ts';
import { trackedThreads } from '../threads.ts';

/**
 * Where the process's memory goes, for operators and the memory bench:
 * tessera_shared_memory_bytes{zone,buffer} (each zone's SharedArrayBuffers by
 * kind: the entity store, the grid, the logs, the rings) and
 * tessera_thread_heap_bytes{thread,kind} (each cell worker's V8 heap, used
 * and total, asked of the worker at scrape time; `threads` adds others such
 * as the PGlite thread). The coordinator's own heap is nodejs_heap_*.
 */
export function registerMemoryMetrics(registry: Registry, supervisor: CellSupervisor, threads: () => readonly Worker[] = trackedThreads): void {
  new Gauge({
    name: 'tessera_shared_memory_bytes',
    help: 'Bytes of each zone\'s shared memory, by buffer (store, grid, combat_log, say_log, control, map, and the rings).',
    labelNames: ['zone', 'buffer'],
    registers: [registry],
    collect() {
      this.reset();
      for (const zone of supervisor.zones) {
        for (const [buffer, bytes] of Object.entries(zoneMemoryBytes(zone.init))) this.set({ zone: zone.spec.name, buffer }, bytes);
      }
    },
  });
  new Gauge({
    name: 'tessera_thread_heap_bytes',
    help: 'V8 heap of each worker thread (cells, PGlite), used and total; the coordinator\'s is nodejs_heap_size_*.',
    labelNames: ['thread', 'kind'],
    registers: [registry],
    async collect() {
      this.reset();
      // The spare cell host (zones/cell-hosts.ts) too, as thread cell-spare-N: what keeping one costs.
      const spare = supervisor.spare?.worker;
      const workers = [...supervisor.zones.flatMap((z) => z.workers), ...(spare ? [spare] : []), ...threads()];
      const stats = await Promise.all(workers.map((w) => w.getHeapStatistics().catch(() => null)));
      workers.forEach((w, i) => {
        const s = stats[i];
        if (!s) return;
        const thread = w.threadName || `thread${w.threadId}`;
        this.set({ thread, kind: 'used' }, s.used_heap_size);
        this.set({ thread, kind: 'total' }, s.total_heap_size);
        this.set({ thread, kind: 'external' }, s.external_memory);
      });
    },
  });
}
