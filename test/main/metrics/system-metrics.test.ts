import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../../../src/main/metrics/registry.ts';
import { CellSupervisor } from '../../../src/main/zones/supervisor.ts';
import { TICK_BUCKETS_SECONDS } from '../../../src/shared/layout.ts';
import { silentLog, testZone } from '../../helpers/zone.ts';
import { one, parseExposition, select, type ParsedSample } from './parse.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('per-system timing of worker cells', () => {
  let sup: CellSupervisor;
  let metrics: Metrics;
  let samples: ParsedSample[];

  beforeAll(async () => {
    sup = new CellSupervisor(silentLog);
    metrics = createMetrics({ supervisor: sup });
    const probe = new URL('./fixtures/probe-system.ts', import.meta.url).href;
    await sup.start([testZone({ name: 'meadow', cellCols: 2, cellRows: 1 }, { wanderers: 50, systemModules: [probe] })]);
    // Until both cells have run their systems a good few times (a start on a loaded box is slow).
    for (const end = Date.now() + 30_000; ; await sleep(100)) {
      samples = parseExposition(await metrics.registry.metrics()).samples;
      const ran = ['0', '1'].map((cell) => select(samples, 'tessera_system_duration_seconds_count', { zone: 'meadow', cell, system: 'movement' })[0]?.value ?? 0);
      // ground-items runs every 10th tick: 70 ticks give it more than 5 runs.
      if (Math.min(...ran) >= 70 || Date.now() > end) break;
    }
  });

  afterAll(async () => {
    metrics?.close();
    await sup?.stop();
  });

  it('exports tessera_system_duration_seconds for every built-in system and one loaded by module', () => {
    const names = sup.zones[0].systems[0];
    expect(names).toEqual(['inbox', 'wander-ai', 'npc-ai', 'ground-items', 'combat', 'movement', 'portals', 'quest-credit', 'probe', 'lifecycle', 'combat-log', 'say-log', 'publish-grid', 'npc-senses', 'combat-senses', 'replicate', 'handoff-out']);
    for (const cell of ['0', '1']) {
      for (const system of names) {
        const match = { zone: 'meadow', cell, system };
        const buckets = select(samples, 'tessera_system_duration_seconds_bucket', match);
        expect(buckets).toHaveLength(TICK_BUCKETS_SECONDS.length + 1);
        expect(one(samples, 'tessera_system_duration_seconds_count', match)).toBeGreaterThan(5);
      }
      // `every: 2`: the probe ran about half as often as movement.
      const probe = one(samples, 'tessera_system_duration_seconds_count', { zone: 'meadow', cell, system: 'probe' });
      const movement = one(samples, 'tessera_system_duration_seconds_count', { zone: 'meadow', cell, system: 'movement' });
      expect(probe).toBeGreaterThanOrEqual(Math.floor(movement / 2) - 1);
      expect(probe).toBeLessThanOrEqual(Math.ceil(movement / 2) + 1);
    }
  });

  it('exports the must-deliver gauge and the event and teleport counters per cell', () => {
    for (const cell of ['0', '1']) {
      expect(one(samples, 'tessera_cell_must_deliver_waiting', { zone: 'meadow', cell })).toBe(0);
      expect(one(samples, 'tessera_teleports_total', { zone: 'meadow', cell })).toBe(0);
      expect(select(samples, 'tessera_cell_events_total', { zone: 'meadow', cell }).map((s) => s.labels.result).sort()).toEqual(['applied', 'sent', 'target_gone']);
    }
  });
});
