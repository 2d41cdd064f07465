/**
 * How the cell supervisor (zones/supervisor.ts) judges a cell's heartbeat
 * (its tick counter in shared memory): stood still this long it is stuck,
 * this much longer it is terminated and its zone restarted with its players
 * kept connected (zone-recovery.ts). Read by loadConfig (config.ts); its
 * rows follow config.ts's in the README table.
 */
import type { ConfigVar, EnvReader } from './env.ts';

export interface SupervisorConfig {
  /** A cell whose tick counter stands still this long is reported stuck. */
  stuckAfterMs: number;
  /** A stuck cell is terminated (and its zone restarted) once its counter stood still this long. */
  killStuckAfterMs: number;
}

export const SUPERVISOR_CONFIG_VARS: ConfigVar[] = [
  { name: 'CELL_STUCK_MS', default: '2000', doc: 'A cell whose tick counter (its heartbeat) stands still this long is reported stuck (log, `tessera_cell_up` 0). 100..600000.' },
  {
    name: 'CELL_STALL_KILL_MS',
    default: '10000',
    doc: 'A cell whose heartbeat stood still this long (a system looping forever, a deadlock) is terminated and its zone restarted; its players stay connected and resume. More than CELL_STUCK_MS, at most 600000.',
  },
];

export function readSupervisorConfig(r: EnvReader): { supervisor: SupervisorConfig } {
  const stuckAfterMs = r.int('CELL_STUCK_MS', 2000, 100, 600_000);
  const killStuckAfterMs = r.int('CELL_STALL_KILL_MS', 10_000, 100, 600_000);
  if (killStuckAfterMs <= stuckAfterMs) r.problem(`CELL_STALL_KILL_MS (${killStuckAfterMs}) must be more than CELL_STUCK_MS (${stuckAfterMs})`);
  return { supervisor: { stuckAfterMs, killStuckAfterMs } };
}
