/**
 * How the cell supervisor (zones/supervisor.ts) judges a cell (its stall
 * detector, zones/stall-detector.ts): its heartbeat (the tick counter in
 * shared memory), whether it is inside a tick, and its thread's CPU time.
 * A heartbeat still CELL_STUCK_MS is reported stuck; a cell that burned
 * CELL_LOOP_CPU_MS of CPU inside one tick without its heartbeat moving is
 * looping and terminated at once; one whose heartbeat stood still
 * CELL_STALL_KILL_MS, CPU or not, is hung and terminated. Either way its
 * zone restarts with its players kept connected (zone-recovery.ts). Read by
 * loadConfig (config.ts); its rows follow config.ts's in the README table;
 * why the defaults: docs/operations.md, "Cell stalls".
 */
import type { ConfigVar, EnvReader } from './env.ts';

/**
 * The defaults (CELL_STUCK_MS, CELL_LOOP_CPU_MS, CELL_STALL_KILL_MS), also
 * the supervisor's (zones/supervisor.ts), sized in docs/operations.md,
 * "Cell stalls": the loop rule's 300 ms of CPU is about 7 times the most a
 * healthy tick burned in measurement (2,000 players and 8,000 NPCs in a
 * 2-cell zone: at most 42 ms, `npm run bench:resume -- tick-cpu`).
 */
export const DEFAULT_STUCK_MS = 2000;
export const DEFAULT_LOOP_CPU_MS = 300;
export const DEFAULT_HANG_MS = 10_000;

export interface SupervisorConfig {
  /** A cell whose tick counter stands still this long is reported stuck. */
  stuckAfterMs: number;
  /** A cell whose tick counter stood still this long, CPU or not, is terminated (and its zone restarted). */
  killStuckAfterMs: number;
  /** A cell that burned this much CPU inside one tick without its tick counter moving is terminated at once. */
  loopCpuMs: number;
}

export const SUPERVISOR_CONFIG_VARS: ConfigVar[] = [
  { name: 'CELL_STUCK_MS', default: String(DEFAULT_STUCK_MS), doc: 'A cell whose tick counter (its heartbeat) stands still this long is reported stuck (log, `tessera_cell_up` 0). 100..600000.' },
  {
    name: 'CELL_LOOP_CPU_MS',
    default: String(DEFAULT_LOOP_CPU_MS),
    doc: 'A cell whose thread burned this much CPU inside one tick without its heartbeat moving (a system looping forever) is terminated at once and its zone restarted; its players stay connected and resume. Counts CPU, not time: a cell that is slow, starved or waiting burns none. Four times this during a cell\'s first 40 ticks after a (re)start. 50..600000.',
  },
  {
    name: 'CELL_STALL_KILL_MS',
    default: String(DEFAULT_HANG_MS),
    doc: 'A cell whose heartbeat stood still this long, CPU or not (a deadlock, a wait never woken), is terminated and its zone restarted; its players stay connected and resume. More than CELL_STUCK_MS, at most 600000.',
  },
];

export function readSupervisorConfig(r: EnvReader): { supervisor: SupervisorConfig } {
  const stuckAfterMs = r.int('CELL_STUCK_MS', DEFAULT_STUCK_MS, 100, 600_000);
  const loopCpuMs = r.int('CELL_LOOP_CPU_MS', DEFAULT_LOOP_CPU_MS, 50, 600_000);
  const killStuckAfterMs = r.int('CELL_STALL_KILL_MS', DEFAULT_HANG_MS, 100, 600_000);
  if (killStuckAfterMs <= stuckAfterMs) r.problem(`CELL_STALL_KILL_MS (${killStuckAfterMs}) must be more than CELL_STUCK_MS (${stuckAfterMs})`);
  return { supervisor: { stuckAfterMs, killStuckAfterMs, loopCpuMs } };
}
