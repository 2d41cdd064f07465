import { Gauge, type Registry } from 'prom-client';
import type { EventStatus } from '../events/world-events.ts';

/**
 * World events at each scrape: whether each runs, when it next changes, and
 * how its occurrences ended (defeated, expired) since the server started.
 */
export function registerWorldEventMetrics(registry: Registry, source: () => EventStatus[]): void {
  new Gauge({
    name: 'tessera_world_event_running',
    help: 'World events: 1 while running, 0 while waiting for their next start.',
    labelNames: ['event', 'zone'],
    registers: [registry],
    collect() {
      this.reset();
      for (const e of source()) this.set({ event: e.id, zone: e.zone }, e.running ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tessera_world_event_next_change_seconds',
    help: 'World events: seconds until the next start (waiting) or until the time runs out (running).',
    labelNames: ['event'],
    registers: [registry],
    collect() {
      this.reset();
      const now = Date.now();
      for (const e of source()) this.set({ event: e.id }, Math.max(0, (e.at - now) / 1000));
    },
  });
  new Gauge({
    name: 'tessera_world_event_occurrences',
    help: 'World event occurrences ended since start, by outcome (defeated: the boss died; expired: time ran out).',
    labelNames: ['event', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const e of source()) for (const [outcome, n] of Object.entries(e.outcomes)) this.set({ event: e.id, outcome }, n);
    },
  });
}
