import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMemoryMetrics } from '../../../src/main/metrics/memory.ts';
import { CellSupervisor } from '../../../src/main/zones/supervisor.ts';
import { silentLog, testZone } from '../../helpers/zone.ts';
import { parseExposition } from './parse.ts';

describe('memory metrics', () => {
  let sup: CellSupervisor;
  beforeAll(async () => {
    sup = new CellSupervisor(silentLog);
    await sup.start([testZone({ cellCols: 2, cellRows: 1 }, { wanderers: 10 })]);
  });
  afterAll(async () => {
    await sup?.stop();
  });

  it("account for every byte of a zone's shared memory by buffer, and each cell thread's heap", async () => {
    const registry = new Registry();
    registerMemoryMetrics(registry, sup, () => []);
    const samples = parseExposition(await registry.metrics()).samples;
    const zone = sup.zones[0]!;
    const shared = samples.filter((s) => s.name === 'tessera_shared_memory_bytes' && s.labels.zone === zone.spec.name);
    const init = zone.init;
    const all = [init.map, init.store, init.grid, init.combatLog, init.sayLog, init.barrier, init.control, ...init.stats, ...init.gateToCell, ...init.cellToGate, ...init.cellToCell];
    const total = all.reduce((n, b) => n + (b?.byteLength ?? 0), 0);
    expect(shared.reduce((n, s) => n + s.value, 0)).toBe(total);
    expect(shared.find((s) => s.labels.buffer === 'store')?.value).toBe(init.store.byteLength);
    const heaps = samples.filter((s) => s.name === 'tessera_thread_heap_bytes');
    for (let c = 0; c < 2; c++) {
      const used = heaps.find((s) => s.labels.thread === `zone${zone.spec.id}-cell${c}` && s.labels.kind === 'used');
      expect(used?.value, `cell ${c}`).toBeGreaterThan(1_000_000);
    }
  });

  it('counts the spare cell host as a thread of its own (what keeping one costs)', async () => {
    for (const end = Date.now() + 30_000; sup.spare?.state !== 'idle'; ) {
      if (Date.now() > end) throw new Error('the spare did not load');
      await new Promise((r) => setTimeout(r, 20));
    }
    const registry = new Registry();
    registerMemoryMetrics(registry, sup, () => []);
    const heaps = parseExposition(await registry.metrics()).samples.filter((s) => s.name === 'tessera_thread_heap_bytes');
    const spare = heaps.find((s) => /^cell-spare-\d+$/.test(s.labels.thread) && s.labels.kind === 'used');
    expect(spare?.value).toBeGreaterThan(1_000_000);
  });
});
