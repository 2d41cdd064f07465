import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ITEM_SERVICE_OPS, registerItemMetrics } from '../../../src/main/metrics/items.ts';
import { parseExposition } from './parse.ts';

describe('item metrics', () => {
  it('start every operation at zero, count results by ItemReason label, time transactions, and count lost ground items', async () => {
    const registry = new Registry();
    const m = registerItemMetrics(registry);
    const before = parseExposition(await registry.metrics()).samples;
    for (const op of ITEM_SERVICE_OPS) {
      expect(before.find((s) => s.name === 'tessera_item_operations_total' && s.labels.op === op && s.labels.result === 'ok')?.value, op).toBe(0);
    }
    m.operation('use', 'ok', 0.004);
    m.operation('use', 'on_cooldown', -1);
    m.operation('use', 'something new', -1);
    m.lost(3);
    const after = parseExposition(await registry.metrics()).samples;
    const ops = (result: string) => after.find((s) => s.name === 'tessera_item_operations_total' && s.labels.op === 'use' && s.labels.result === result)?.value;
    expect([ops('ok'), ops('on_cooldown'), ops('other')]).toEqual([1, 1, 1]);
    // Only the one with a transaction was timed.
    expect(after.find((s) => s.name === 'tessera_item_transaction_seconds_count' && s.labels.op === 'use')?.value).toBe(1);
    expect(after.find((s) => s.name === 'tessera_item_transaction_seconds_bucket' && s.labels.op === 'use' && s.labels.le === '0.005')?.value).toBe(1);
    expect(after.find((s) => s.name === 'tessera_items_lost_total')?.value).toBe(3);
  });
});
