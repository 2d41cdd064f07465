/**
 * The soak's faults and their schedule. Each fault is injected into the
 * real processes (a cell through the server's test-only IPC hooks, the
 * databases and the server process by signal) and waited out: it counts as
 * recovered when the server says so (its log line "zone recovered" for a
 * cell, readiness and a working login otherwise), within a bound.
 */
import type { FaultReply, FaultRequest } from '../../main/faults/fault-hooks.ts';
import { loginBot } from '../accounts.ts';
import type { ServerProcess } from '../server-process.ts';
import type { PgServer, RedisServer } from './services.ts';

export const FAULT_ORDER = ['kill-cell', 'stall-cell', 'restart-redis', 'restart-postgres', 'kill-server'] as const;
export type FaultName = (typeof FAULT_ORDER)[number];

/** One injected fault as the report lists it. */
export interface FaultRecord {
  fault: FaultName;
  /** What was hit: "meadow/1", "postgresql"... */
  target: string;
  /** Milliseconds since the soak started. */
  at: number;
  /** Recovered within the bound. */
  ok: boolean;
  /** Injection to recovery (ms), when it recovered. */
  recoveredMs: number | null;
  detail: string;
}

/** What the faults act on. */
export interface FaultTargets {
  server(): ServerProcess;
  /** SIGKILLs nothing: starts the server process again (same port and environment) after it died. */
  restartServer(): Promise<void>;
  pg: PgServer;
  redis: RedisServer;
  zones: { name: string; cells: number }[];
  /** Resolves at the first server log line after now containing `text`, or false after `ms`. */
  waitForLog(text: string, ms: number): Promise<boolean>;
  rnd: () => number;
  /** How long a database stays down. */
  outageMs: number;
}

/** Longest a fault may take to recover before it counts as failed. */
const RECOVERY_MS = 30_000;

/**
 * When each fault comes in a run of `durationMs`: after a warm-up, evenly
 * spaced, the five kinds in turn (at least one of each), and none in the
 * last stretch, which lets the world settle before the audit.
 */
export function faultSchedule(durationMs: number): { atMs: number; fault: FaultName }[] {
  const warm = Math.min(20_000, durationMs * 0.12);
  const settle = Math.min(20_000, durationMs * 0.12);
  const span = durationMs - warm - settle;
  const count = Math.max(FAULT_ORDER.length, Math.floor(span / 30_000));
  const gap = span / count;
  return Array.from({ length: count }, (_, i) => ({ atMs: Math.round(warm + i * gap), fault: FAULT_ORDER[i % FAULT_ORDER.length] }));
}

let nextId = 1;

/** Asks the server's fault hooks for `fault` on a cell; resolves with its answer. */
function askServer(server: ServerProcess, fault: FaultRequest['fault'], zone: string, cell: number): Promise<FaultReply> {
  const id = nextId++;
  const req: FaultRequest = { type: 'tessera-fault', id, fault, zone, cell };
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.child.off('message', onReply);
      resolve({ type: 'tessera-fault-done', id, ok: false, error: 'no answer from the fault hooks in 5 s' });
    }, 5000);
    const onReply = (m: unknown): void => {
      const r = m as FaultReply;
      if (r?.type !== 'tessera-fault-done' || r.id !== id) return;
      clearTimeout(timer);
      server.child.off('message', onReply);
      resolve(r);
    };
    server.child.on('message', onReply);
    server.child.send(req);
  });
}

/** Injects `fault` and waits for the recovery; `startedAt` dates the record. */
export async function inject(fault: FaultName, t: FaultTargets, startedAt: number, lastCell: { value: string }): Promise<FaultRecord> {
  const at = Date.now() - startedAt;
  const t0 = Date.now();
  const done = (target: string, ok: boolean, detail: string): FaultRecord => ({ fault, target, at, ok, recoveredMs: ok ? Date.now() - t0 : null, detail });
  switch (fault) {
    case 'kill-cell':
    case 'stall-cell': {
      // Another cell than the one hit last ("kill a random cell, hang another").
      const cells = t.zones.flatMap((z) => Array.from({ length: z.cells }, (_, c) => `${z.name}/${c}`));
      const choices = cells.length > 1 ? cells.filter((c) => c !== lastCell.value) : cells;
      const target = choices[Math.floor(t.rnd() * choices.length)];
      lastCell.value = target;
      const [zone, cell] = target.split('/');
      const recovered = t.waitForLog('"msg":"zone recovered"', RECOVERY_MS);
      const reply = await askServer(t.server(), fault, zone, Number(cell));
      if (!reply.ok) return done(target, false, `not injected: ${reply.error}`);
      return (await recovered) ? done(target, true, fault === 'kill-cell' ? 'worker terminated; zone restarted' : 'cell looped in a system; the watchdog terminated it; zone restarted') : done(target, false, 'the zone did not recover');
    }
    case 'restart-redis': {
      await t.redis.stop();
      await new Promise((r) => setTimeout(r, t.outageMs));
      // The server writes its in-process state back once it sees Redis again (persistence/redis-health.ts).
      const back = t.waitForLog('redis back', RECOVERY_MS);
      await t.redis.start();
      if (!(await loginWorks(t, RECOVERY_MS))) return done('redis', false, 'logins did not work again');
      return (await back) ? done('redis', true, `SIGKILLed, down ${t.outageMs} ms, restarted empty; the server wrote its state back`) : done('redis', false, 'the server never wrote its state back (no "redis back")');
    }
    case 'restart-postgres': {
      t.pg.stop();
      await new Promise((r) => setTimeout(r, t.outageMs));
      t.pg.start();
      return (await loginWorks(t, RECOVERY_MS)) ? done('postgresql', true, `fast shutdown, down ${t.outageMs} ms, restarted`) : done('postgresql', false, 'logins did not work again');
    }
    case 'kill-server': {
      const s = t.server();
      const pid = s.pid;
      s.child.kill('SIGKILL');
      await new Promise<void>((resolve) => (s.alive ? s.child.once('exit', () => resolve()) : resolve()));
      try {
        await t.restartServer();
      } catch (err) {
        return done(`process ${pid}`, false, `did not start again: ${(err as Error).message.split('\n')[0]}`);
      }
      return done(`process ${pid}`, true, `SIGKILLed; started again as ${t.server().pid}`);
    }
  }
}

/** Polls a login of a probe account until it works (the databases are back), for at most `ms`. */
async function loginWorks(t: FaultTargets, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  const base = t.server().url;
  while (Date.now() < deadline) {
    try {
      await loginBot(base, 'soak_probe', 'soak-probe-password', 'Soakprobe');
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return false;
}
