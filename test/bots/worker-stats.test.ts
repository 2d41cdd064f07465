import { describe, expect, it } from 'vitest';
import { addEncoded, createLatencyHistogram, recordMs } from '../../src/bots/latency.ts';
import { WorkerStats } from '../../src/bots/worker-stats.ts';

describe('WorkerStats.drain', () => {
  it('hands over the interval and starts the next from zero', () => {
    const s = new WorkerStats();
    s.welcomed = 3;
    s.snapshots = 60;
    s.fail('close_4006');
    s.fail('close_4006');
    s.disconnect('close_4005');
    recordMs(s.ping, 2);
    const a = s.drain(1, 3, 0);
    expect(a).toMatchObject({ worker: 1, open: 3, connecting: 0, welcomed: 3, snapshots: 60, failed: { close_4006: 2 }, disconnects: { close_4005: 1 } });
    const h = createLatencyHistogram();
    addEncoded(h, a.ping);
    expect(h.totalCount).toBe(1);
    expect(a.input).toBe('');
    expect(a.cpuMs).toBeGreaterThanOrEqual(0);
    const b = s.drain(1, 3, 0);
    expect(b).toMatchObject({ welcomed: 0, snapshots: 0, failed: {}, disconnects: {}, ping: '' });
  });
});
