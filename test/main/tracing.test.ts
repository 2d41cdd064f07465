import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanStatusCode } from '@opentelemetry/api';
import { startTracing, tracer, tracingActive, tracingRequested, withSpan, type Tracing } from '../../src/main/tracing.ts';

const require = createRequire(import.meta.url);
/** True once any module of the OpenTelemetry SDK has been loaded into this process. */
const sdkLoaded = () => Object.keys(require.cache).some((k) => k.includes('@opentelemetry/sdk-node') || k.includes('@opentelemetry/sdk-trace-base'));

describe('tracing configuration', () => {
  it('is requested only by a named exporter or an OTLP endpoint, and never when disabled', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_SERVICE_NAME: 'tessera' })).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: ' console , none' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'false' })).toBe(true);
  });
});

// One file, one process (vitest forks): the "off" case runs before the SDK
// is ever started, so "nothing loaded" is observable.
describe('tracing off (no exporter configured)', () => {
  it('starts nothing, loads no SDK module, and withSpan is a plain call', async () => {
    const t = await startTracing({ env: {} });
    expect(t.enabled).toBe(false);
    expect(tracingActive()).toBe(false);
    expect(sdkLoaded()).toBe(false);
    await t.shutdown();
    let seen: unknown = 'unset';
    expect(withSpan('login', { 'tessera.account_id': 1 }, (span) => ((seen = span), 41 + 1))).toBe(42);
    expect(seen).toBeUndefined();
    await expect(withSpan('save', {}, async () => 'saved')).resolves.toBe('saved');
    // The exported tracer is the API's no-op: its spans record nothing.
    const span = tracer.startSpan('x');
    expect(span.isRecording()).toBe(false);
    span.end();
  });
});

describe('tracing on (in-memory exporter)', () => {
  // Imported here, not at the top: the "off" case must find no SDK module loaded.
  let exporter: InMemorySpanExporter;
  let processor: SimpleSpanProcessor;
  let tracing: Tracing;
  beforeAll(async () => {
    const base = await import('@opentelemetry/sdk-trace-base');
    exporter = new base.InMemorySpanExporter();
    processor = new base.SimpleSpanProcessor(exporter);
  });
  /** Finished spans, once exported: the processor waits for async resource attributes (host.id) first. */
  const finished = async () => {
    await processor.forceFlush();
    return exporter.getFinishedSpans();
  };

  afterAll(async () => {
    await tracing?.shutdown();
    expect(tracingActive()).toBe(false);
  });

  it('produces nested spans with attributes for login, character load and save', async () => {
    tracing = await startTracing({ env: {}, spanProcessors: [processor] });
    expect(tracing.enabled).toBe(true);
    expect(tracingActive()).toBe(true);
    const result = await withSpan('tessera.login', { 'tessera.account_id': 7 }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      return withSpan('tessera.character.load', { 'tessera.character_id': 70 }, async () => ({ id: 70 }));
    });
    expect(result).toEqual({ id: 70 });
    expect(withSpan('tessera.save', { 'tessera.save_reason': 'logout' }, () => 'sync')).toBe('sync');
    const spans = await finished();
    const byName = new Map(spans.map((s) => [s.name, s]));
    const login = byName.get('tessera.login')!;
    const load = byName.get('tessera.character.load')!;
    expect(login.attributes['tessera.account_id']).toBe(7);
    expect(load.attributes['tessera.character_id']).toBe(70);
    expect(load.spanContext().traceId).toBe(login.spanContext().traceId);
    expect(load.parentSpanContext?.spanId).toBe(login.spanContext().spanId);
    expect(byName.get('tessera.save')!.attributes['tessera.save_reason']).toBe('logout');
    expect(login.resource.attributes['service.name']).toBe('tessera');
  });

  it('records a thrown error and a rejection on the span and rethrows them', async () => {
    exporter.reset();
    expect(() => withSpan('tessera.save', {}, () => {
      throw new Error('disk on fire');
    })).toThrow('disk on fire');
    await expect(withSpan('tessera.login', {}, async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    const spans = await finished();
    expect(spans.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR]);
    expect(spans.map((s) => s.status.message)).toEqual(['disk on fire', 'db down']);
    expect(spans.every((s) => s.events.some((e) => e.name === 'exception'))).toBe(true);
  });

  it('instruments pg imported after the start (ESM import of a CommonJS package), inside a parent span', async () => {
    exporter.reset();
    const { default: pg } = await import('pg');
    // A port nobody listens on: the connect fails, and its span says so.
    const probe = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = probe.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'nobody', database: 'none', connectionTimeoutMillis: 2000 });
    await withSpan('tessera.character.load', { 'tessera.character_id': 1 }, () => client.connect().catch(() => undefined));
    const spans = await finished();
    const parent = spans.find((s) => s.name === 'tessera.character.load')!;
    const connect = spans.find((s) => s.name === 'pg.connect');
    expect(connect, spans.map((s) => s.name).join(', ')).toBeDefined();
    expect(connect!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(connect!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('traces HTTP API requests but not /metrics or health probes', async () => {
    exporter.reset();
    const http = await import('node:http');
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    for (const path of ['/api/login', '/metrics', '/healthz']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(await res.text()).toBe('ok');
    }
    await new Promise((r) => server.close(r));
    // Server spans end on the response's finish; give the event loop a turn.
    await new Promise((r) => setTimeout(r, 50));
    const serverSpans = (await finished()).filter((s) => s.kind === 1 /* SERVER */);
    expect(serverSpans.map((s) => s.attributes['url.path'] ?? s.attributes['http.target'])).toEqual(['/api/login']);
  });
});
