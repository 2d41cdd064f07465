import { ANTICHEAT_CHECKS } from '../../../src/main/metrics/anticheat.ts';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics, type PersistenceStats } from '../../../src/main/metrics/registry.ts';
import { portOf, startMetricsServer } from '../../../src/main/metrics/metrics-server.ts';
import { CellSupervisor } from '../../../src/main/zones/supervisor.ts';
import type { Server } from 'node:http';
import { silentLog } from '../../helpers/zone.ts';
import { one, parseExposition, select } from './parse.ts';

function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('createMetrics', () => {
  const persisted: PersistenceStats = { saveQueueDepth: 3, saveFailures: 1, savesTotal: 17, loginsOk: 5, loginsFailed: 2 };
  let metrics: Metrics;
  let server: Server;

  beforeAll(async () => {
    // No zones started: the registry must render without any.
    metrics = createMetrics({ supervisor: new CellSupervisor(silentLog), persistence: { stats: () => persisted } });
    server = await startMetricsServer(metrics, 0, '127.0.0.1');
  });
  afterAll(async () => {
    metrics.close();
    await new Promise((r) => server.close(r));
  });

  it('serves GET and HEAD /metrics in the Prometheus text format, refuses other methods, passes other paths', async () => {
    const port = portOf(server);
    const r = await get(port, '/metrics?x=1');
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(() => parseExposition(r.body)).not.toThrow();
    expect((await get(port, '/metrics', 'HEAD')).body).toBe('');
    expect((await get(port, '/metrics', 'POST')).status).toBe(405);
    expect((await get(port, '/other')).status).toBe(404);
  });

  it('keeps the standard Node.js metric names, unprefixed', async () => {
    const { samples } = parseExposition(await metrics.registry.metrics());
    const names = new Set(samples.map((s) => s.name));
    for (const n of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_version_info']) {
      expect(names, n).toContain(n);
    }
    expect([...names].filter((n) => n.startsWith('tessera_process') || n.startsWith('tessera_nodejs'))).toEqual([]);
  });

  it('names every tessera_ metric by the Prometheus conventions', async () => {
    const { types } = parseExposition(await metrics.registry.metrics());
    const ours = [...types].filter(([name]) => name.startsWith('tessera_'));
    expect(ours.length).toBeGreaterThan(30);
    for (const [name, type] of ours) {
      expect(name).toMatch(/^tessera_[a-z][a-z0-9_]*$/);
      if (type === 'counter') expect(name, name).toMatch(/_total$/);
      else expect(name, name).not.toMatch(/_total$/);
      if (type === 'histogram' || type === 'summary') expect(name, name).toMatch(/_(seconds|entities|bytes)$/);
      // Base units only: seconds and bytes, never milliseconds or kilobytes.
      expect(name).not.toMatch(/_(ms|milliseconds|kb|kilobytes|mb)(_|$)/);
    }
  });

  it('renders persistence figures from its stats() and latencies from observe calls', async () => {
    metrics.persistence.observeSave(0.004, true);
    metrics.persistence.observeLogin('failed', 0.2);
    const { samples } = parseExposition(await metrics.registry.metrics());
    expect(one(samples, 'tessera_save_queue_depth')).toBe(3);
    expect(one(samples, 'tessera_saves_total')).toBe(17);
    expect(one(samples, 'tessera_save_failures_total')).toBe(1);
    expect(one(samples, 'tessera_logins_total', { result: 'ok' })).toBe(5);
    expect(one(samples, 'tessera_logins_total', { result: 'failed' })).toBe(2);
    expect(one(samples, 'tessera_save_duration_seconds_count', { result: 'ok' })).toBe(1);
    expect(one(samples, 'tessera_save_duration_seconds_bucket', { result: 'ok', le: '0.005' })).toBe(1);
    expect(one(samples, 'tessera_login_duration_seconds_count', { result: 'failed' })).toBe(1);
  });

  it('omits the persistence counters when no persistence is wired', async () => {
    const bare = createMetrics({ supervisor: new CellSupervisor(silentLog) });
    const { samples } = parseExposition(await bare.registry.metrics());
    bare.close();
    expect(select(samples, 'tessera_saves_total')).toEqual([]);
    // Latency histograms exist (at zero) either way.
    expect(select(samples, 'tessera_save_duration_seconds_count')).toHaveLength(2);
  });

  it('counts gate events by label, bounding label values a client could choose', async () => {
    const g = metrics.gate;
    g.connectionOpened();
    g.connectionOpened();
    g.connectionClosed(4005);
    g.connectionClosed(4321); // client-chosen code: counted as other
    g.connectionOpened();
    g.handshake('ok');
    g.handshake('bad_version');
    g.messageIn('input', 22);
    g.messageIn('input', 22);
    g.messageOut('snapshot', 180);
    g.backpressureSkip();
    g.backpressureKick();
    const { samples } = parseExposition(await metrics.registry.metrics());
    expect(one(samples, 'tessera_gate_connections')).toBe(1);
    expect(one(samples, 'tessera_gate_closes_total', { code: '4005', reason: 'slow_consumer' })).toBe(1);
    expect(one(samples, 'tessera_gate_closes_total', { code: 'other' })).toBe(1);
    expect(one(samples, 'tessera_gate_closes_total', { code: '1000' })).toBe(0);
    expect(one(samples, 'tessera_gate_handshakes_total', { result: 'ok' })).toBe(1);
    expect(one(samples, 'tessera_gate_handshakes_total', { result: 'bad_version' })).toBe(1);
    expect(one(samples, 'tessera_gate_messages_total', { direction: 'in', type: 'input' })).toBe(2);
    expect(one(samples, 'tessera_gate_bytes_total', { direction: 'in', type: 'input' })).toBe(44);
    expect(one(samples, 'tessera_gate_bytes_total', { direction: 'out', type: 'snapshot' })).toBe(180);
    expect(one(samples, 'tessera_gate_messages_total', { direction: 'out', type: 'welcome' })).toBe(0);
    expect(one(samples, 'tessera_gate_backpressure_skips_total')).toBe(1);
    expect(one(samples, 'tessera_gate_backpressure_kicks_total')).toBe(1);
    for (let i = 0; i < 200; i++) g.messageIn(`junk${i}`, 1);
    const after = parseExposition(await metrics.registry.metrics()).samples;
    expect(select(after, 'tessera_gate_messages_total', { direction: 'in' }).length).toBeLessThanOrEqual(65);
  });

  it('counts anti-cheat violations by check, zero until one happens', async () => {
    let { samples } = parseExposition(await metrics.registry.metrics());
    expect(select(samples, 'tessera_anticheat_violations_total').map((s) => s.value)).toEqual(ANTICHEAT_CHECKS.map(() => 0));
    metrics.anticheat.violation('item_not_owned');
    metrics.anticheat.violation('wallhack');
    ({ samples } = parseExposition(await metrics.registry.metrics()));
    expect(one(samples, 'tessera_anticheat_violations_total', { check: 'item_not_owned' })).toBe(1);
    expect(one(samples, 'tessera_anticheat_violations_total', { check: 'other' })).toBe(1);
  });

  it('measures the event-loop delay of a blocked main thread', async () => {
    await new Promise((r) => setTimeout(r, 50));
    const until = performance.now() + 120;
    while (performance.now() < until) {
      // Block the event loop on purpose.
    }
    await new Promise((r) => setTimeout(r, 30));
    const { samples } = parseExposition(await metrics.registry.metrics());
    const p50 = one(samples, 'tessera_event_loop_delay_seconds', { quantile: '0.5' });
    const p99 = one(samples, 'tessera_event_loop_delay_seconds', { quantile: '0.99' });
    expect(p50).toBeGreaterThanOrEqual(0);
    expect(p99).toBeGreaterThanOrEqual(p50);
    expect(one(samples, 'tessera_event_loop_delay_max_seconds')).toBeGreaterThan(0.08);
    expect(one(samples, 'tessera_event_loop_delay_seconds_count')).toBeGreaterThan(0);
  });
});
