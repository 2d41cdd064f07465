import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerAdminMetrics } from '../../../src/main/metrics/admin.ts';
import { parseExposition } from './parse.ts';

describe('tessera_admin_actions_total', () => {
  it('exports the console actions counted so far, by action, read at each scrape', async () => {
    const counts = new Map<string, number>();
    const registry = new Registry();
    registerAdminMetrics(registry, { actionCounts: () => counts });
    expect(parseExposition(await registry.metrics()).samples.filter((s) => s.name === 'tessera_admin_actions_total')).toEqual([]);
    counts.set('kick', 2).set('ban', 1);
    const samples = parseExposition(await registry.metrics()).samples.filter((s) => s.name === 'tessera_admin_actions_total');
    expect(samples.map((s) => [s.labels.action, s.value])).toEqual([
      ['kick', 2],
      ['ban', 1],
    ]);
  });
});
