import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../../../src/main/metrics/registry.ts';
import { CellSupervisor } from '../../../src/main/zones/supervisor.ts';
import { silentLog, testZone } from '../../helpers/zone.ts';
import { referencedMetricNames } from './expressions.ts';
import { parseExposition } from './parse.ts';

/**
 * A renamed or removed metric must break the build, not the dashboard: every
 * name the dashboard and the alert rules use is exported by the registry over
 * a running zone. (test/integration/prometheus.test.ts checks the same
 * against a whole running server and a real Prometheus.)
 */
describe('metric names used by grafana/', () => {
  let sup: CellSupervisor;
  let metrics: Metrics;
  let exported: Set<string>;

  beforeAll(async () => {
    sup = new CellSupervisor(silentLog);
    const stats = { saveQueueDepth: 0, saveFailures: 0, savesTotal: 0, loginsOk: 0, loginsFailed: 0 };
    metrics = createMetrics({ supervisor: sup, persistence: { stats: () => stats } });
    await sup.start([testZone({ cellCols: 2, cellRows: 1 }, { wanderers: 10 })]);
    exported = new Set(parseExposition(await metrics.registry.metrics()).samples.map((s) => s.name));
  });
  afterAll(async () => {
    metrics?.close();
    await sup?.stop();
  });

  it('are all exported', () => {
    const referenced = referencedMetricNames();
    expect(referenced.size).toBeGreaterThan(25);
    const missing = [...referenced].filter((n) => !exported.has(n));
    expect(missing, 'named in grafana/ but not exported').toEqual([]);
  });
});
