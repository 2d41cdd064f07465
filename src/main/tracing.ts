/**
 * OpenTelemetry traces for logins, character loads, saves, HTTP requests and
 * database queries, configured only by the standard OTEL_* variables.
 *
 * Off by default at no cost: unless an exporter is configured, no SDK module
 * is even loaded, `tracer` is the API's no-op proxy and withSpan() calls its
 * function directly. This departs from the OpenTelemetry default (which
 * exports OTLP to localhost:4318 when nothing is set) on purpose: a game
 * server must not spend a core on spans nobody collects.
 *
 * Tracing is on when OTEL_SDK_DISABLED is not true and either
 * OTEL_TRACES_EXPORTER names an exporter (otlp, console, zipkin; not none)
 * or an OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). The SDK then reads every other OTEL_*
 * variable itself (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_PROTOCOL,
 * OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES, ...). Metrics and logs stay
 * with Prometheus and pino: OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER are
 * ignored.
 */
import { SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Tessera's tracer: a no-op proxy until startTracing() registers a provider. */
export const tracer: Tracer = trace.getTracer('tessera');

let active = false;

/** True while an SDK started by startTracing() is running. */
export function tracingActive(): boolean {
  return active;
}

export interface Tracing {
  /** True when an SDK was started (false: tracing is off, nothing was loaded). */
  readonly enabled: boolean;
  /** Flushes and stops the SDK; a no-op when tracing is off. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /**
   * Environment the on/off decision reads (default process.env; tests pass
   * their own). The SDK itself always reads process.env.
   */
  env?: NodeJS.ProcessEnv;
  /**
   * Span processors to use instead of the exporters the environment names;
   * turns tracing on regardless of it (tests: an InMemorySpanExporter).
   */
  spanProcessors?: SpanProcessor[];
}

/** HTTP paths polled by machines: tracing them would drown the real requests. */
const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz']);

/** Whether the environment asks for traces (see the module comment). */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (exporters.length > 0) return !exporters.every((e) => e === 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/**
 * Starts the OpenTelemetry SDK with the http and pg instrumentations when the
 * environment asks for traces; otherwise returns at once, having loaded
 * nothing. Call it before the modules it instruments (node:http, pg) are
 * imported: src/main/main.ts awaits it, then imports the server.
 */
export async function startTracing(opts: TracingOptions = {}): Promise<Tracing> {
  const env = opts.env ?? process.env;
  if (!opts.spanProcessors && !tracingRequested(env)) return { enabled: false, shutdown: async () => {} };
  if (active) throw new Error('startTracing: tracing is already running in this process');

  // ESM modules are instrumented through import-in-the-middle's loader hook,
  // limited by the message channel to the modules an instrumentation asked for.
  const { register } = await import('node:module');
  const iitm = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = iitm.createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const [{ NodeSDK }, { HttpInstrumentation }, { PgInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  const namedByEnv = Boolean(env.OTEL_SERVICE_NAME) || /(^|,)\s*service\.name\s*=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const sdk = new NodeSDK({
    ...(namedByEnv ? {} : { serviceName: 'tessera' }),
    ...(opts.spanProcessors ? { spanProcessors: opts.spanProcessors } : {}),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]),
      }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  active = true;
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown() {
      stopped ??= sdk.shutdown().finally(() => {
        active = false;
      });
      return stopped;
    },
  };
}

/**
 * Runs `fn` inside a span named `name` (the active span's child) and ends
 * the span when `fn` returns or its promise settles; an exception or a
 * rejection is recorded and rethrown. When tracing is off it is a plain call:
 * no span, no context switch, no allocation beyond the caller's own.
 *
 * Attribute names follow OpenTelemetry conventions, Tessera's own under
 * `tessera.` (tessera.account_id, tessera.character_id, tessera.save_reason).
 */
export function withSpan<T>(name: string, attrs: Attributes, fn: (span?: Span) => T): T {
  if (!active) return fn();
  return tracer.startActiveSpan(name, { attributes: attrs }, (span) => {
    let result: T;
    try {
      result = fn(span);
    } catch (err) {
      fail(span, err);
      span.end();
      throw err;
    }
    if (result instanceof Promise) {
      return result.then(
        (v: unknown) => {
          span.end();
          return v;
        },
        (err: unknown) => {
          fail(span, err);
          span.end();
          throw err;
        },
      ) as T;
    }
    span.end();
    return result;
  });
}

function fail(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}
