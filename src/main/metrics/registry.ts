import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { GateMetrics } from './gate-metrics.ts';
import type { CellSupervisor } from '../zones/supervisor.ts';
import { registerAnticheatMetrics, type AnticheatMetrics } from './anticheat.ts';
import { registerCellMetrics } from './cells.ts';
import { registerChatMetrics, type ChatMetrics } from './chat.ts';
import { registerItemMetrics, type ItemMetrics } from './items.ts';
import { registerMemoryMetrics } from './memory.ts';
import { registerEventLoopMetrics } from './event-loop.ts';
import { PromGateMetrics } from './gate.ts';
import { PromHttpMetrics, type HttpMetrics } from './http.ts';
import { registerPersistenceMetrics, type PersistenceMetrics, type PersistenceSource } from './persistence.ts';

export type { AnticheatMetrics, PersistenceMetrics, PersistenceSource };
export type { PersistenceStats } from './persistence.ts';

export interface MetricsOptions {
  /** The zone cells; their shared metric slots are read at every scrape. */
  supervisor: CellSupervisor;
  /** Save and login counters (omit until persistence is wired: those series are then absent). */
  persistence?: PersistenceSource;
  /** Registers further metrics in the same registry (later systems: combat, NPCs). */
  extra?: (registry: Registry) => void;
}

/** The coordinator's metrics. */
export interface Metrics {
  registry: Registry;
  /** Hand this to the gate. */
  gate: GateMetrics;
  /** Hand this to the HTTP server. */
  http: HttpMetrics;
  /** Latencies the persistence code reports (login, save). */
  persistence: PersistenceMetrics;
  /** Anti-cheat violations, counted by check. */
  anticheat: AnticheatMetrics;
  /** Chat messages by channel, refusals by reason. */
  chat: ChatMetrics;
  /** Item operations by result, their transactions' times, lost ground items. */
  items: ItemMetrics;
  /**
   * Serves GET (and HEAD) /metrics in the Prometheus text format and returns
   * true; returns false, untouched, for any other path.
   */
  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Stops the event-loop monitor and the supervisor listener. */
  close(): void;
}

/**
 * Builds the coordinator's registry: Node.js default metrics under their
 * standard names (process_*, nodejs_*), and tessera_* metrics from the cells'
 * shared slots, the gate, persistence and anti-cheat. Cells keep no registry:
 * a scrape reads their slots and costs them nothing.
 */
export function createMetrics(opts: MetricsOptions): Metrics {
  const registry = new Registry();
  // No prefix: dashboards and alert rules everywhere expect the standard names.
  collectDefaultMetrics({ register: registry });
  const stopCells = registerCellMetrics(registry, opts.supervisor);
  const gate = new PromGateMetrics();
  gate.register(registry);
  const http = new PromHttpMetrics();
  http.register(registry);
  const stopEventLoop = registerEventLoopMetrics(registry);
  const persistence = registerPersistenceMetrics(registry, opts.persistence);
  const anticheat = registerAnticheatMetrics(registry, opts.supervisor);
  const chat = registerChatMetrics(registry);
  const items = registerItemMetrics(registry);
  registerMemoryMetrics(registry, opts.supervisor);
  opts.extra?.(registry);

  return {
    registry,
    gate,
    http,
    persistence,
    anticheat,
    chat,
    items,
    handleHttp: (req, res) => serveMetrics(registry, req, res),
    close() {
      stopCells();
      stopEventLoop();
    },
  };
}

/** Serves /metrics from `registry`; false for other paths. */
export async function serveMetrics(registry: Registry, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path !== '/metrics') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    return true;
  }
  try {
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics collection failed: ${(err as Error).message}\n`);
  }
  return true;
}
