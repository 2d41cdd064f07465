import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Registry } from 'prom-client';
import { registerFamily } from './family.ts';

const QUANTILES = [0.5, 0.9, 0.99] as const;
/** The quantiles cover at least this window; it restarts at the first scrape after it. */
const WINDOW_MS = 10_000;

/**
 * Event-loop delay of the coordinator thread, where the gate and logins run:
 * a blocked main thread delays every player's frames. Exported as a summary
 * (quantiles over the current window of at least WINDOW_MS, cumulative _sum
 * and _count) and a max gauge. Returns a function that stops the monitor.
 */
export function registerEventLoopMetrics(registry: Registry, resolutionMs = 10): () => void {
  const h = monitorEventLoopDelay({ resolution: resolutionMs });
  h.enable();
  // The monitor records the whole interval between its timer's runs, the
  // resolution included; the delay is what lies beyond it.
  const res = resolutionMs * 1e6;
  const delay = (ns: number) => Math.max(0, ns - res) / 1e9;
  let windowFrom = performance.now();
  // Totals of the windows already reset, so _sum and _count only grow.
  let pastCount = 0;
  let pastSum = 0;
  let lastMax = 0;
  registerFamily(
    registry,
    'tessera_event_loop_delay_seconds',
    'Event-loop delay of the coordinator thread (quantiles over the last 10 s or more).',
    'summary',
    (out) => {
      const n = h.count;
      for (const q of QUANTILES) {
        out.push({ labels: { quantile: String(q) }, value: n > 0 ? delay(h.percentile(q * 100)) : 0 });
      }
      const windowSum = n > 0 ? delay(h.mean) * n : 0;
      out.push({ metricName: 'tessera_event_loop_delay_seconds_sum', labels: {}, value: pastSum + windowSum });
      out.push({ metricName: 'tessera_event_loop_delay_seconds_count', labels: {}, value: pastCount + n });
      lastMax = n > 0 ? delay(h.max) : 0;
      if (performance.now() - windowFrom >= WINDOW_MS) {
        pastCount += n;
        pastSum += windowSum;
        h.reset();
        windowFrom = performance.now();
      }
    },
  );
  registerFamily(registry, 'tessera_event_loop_delay_max_seconds', 'Longest event-loop delay of the coordinator thread in the current window.', 'gauge', (out) =>
    out.push({ labels: {}, value: h.count > 0 ? delay(h.max) : lastMax }),
  );
  return () => h.disable();
}
