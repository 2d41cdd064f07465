/**
 * Test-only fault injection in a running server process, for the soak
 * (src/bots/soak/) and whole-process tests. Its switch, TESSERA_FAULT_HOOKS,
 * is refused unless NODE_ENV=test (../fault-config.ts), and it listens only on
 * the IPC channel that exists when a parent process spawned the server with
 * one: nothing reaches it over the network.
 *
 * A parent sends `{ type: 'tessera-fault', id, fault, zone, cell }`:
 * - `kill-cell`: terminates the cell's worker (as a crash);
 * - `stall-cell`: the cell's fault-stall system loops forever at its next
 *   tick, until the supervisor's stall detector ends it (CELL_LOOP_CPU_MS);
 * and gets `{ type: 'tessera-fault-done', id, ok, error? }` back.
 */
import type { CellOptions } from '../../shared/cell-contract.ts';
import { FAULT_FLAG_BYTES, stallWord } from '../../shared/fault-flags.ts';
import type { Logger } from '../log.ts';
import type { CellSupervisor } from '../zones/supervisor.ts';

export const FAULT_KINDS = ['kill-cell', 'stall-cell'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRequest {
  type: 'tessera-fault';
  id: number;
  fault: FaultKind;
  zone: string;
  cell: number;
}

export interface FaultReply {
  type: 'tessera-fault-done';
  id: number;
  ok: boolean;
  error?: string;
}

const STALL_SYSTEM = new URL('../../workers/systems/fault-stall.ts', import.meta.url).href;

/** The request in `raw`, or why it is not one (hostile or broken input from the channel). */
export function parseFaultRequest(raw: unknown): FaultRequest | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'a fault request is an object';
  const r = raw as Record<string, unknown>;
  if (r.type !== 'tessera-fault') return 'not a fault request (type must be "tessera-fault")';
  if (typeof r.id !== 'number' || !Number.isSafeInteger(r.id) || r.id < 0) return 'id must be a non-negative integer';
  if (typeof r.fault !== 'string' || !(FAULT_KINDS as readonly string[]).includes(r.fault)) return `fault must be one of ${FAULT_KINDS.join(', ')}`;
  if (typeof r.zone !== 'string' || r.zone.length === 0 || r.zone.length > 64) return 'zone must be a zone name (1..64 characters)';
  if (typeof r.cell !== 'number' || !Number.isInteger(r.cell) || r.cell < 0 || r.cell > 4095) return 'cell must be an integer in 0..4095';
  return { type: 'tessera-fault', id: r.id, fault: r.fault as FaultKind, zone: r.zone, cell: r.cell };
}

/** The flags the stall system reads, and what the hooks do to a supervisor's cells. */
export class FaultHooks {
  readonly flags = new SharedArrayBuffer(FAULT_FLAG_BYTES);
  private readonly words = new Int32Array(this.flags);

  /** What every cell gets so the hooks reach it: the stall system and its flags. */
  cellOptions(): Pick<CellOptions, 'systemModules' | 'faultFlags'> {
    return { systemModules: [STALL_SYSTEM], faultFlags: this.flags };
  }

  /** Injects the fault; returns why it could not (unknown zone or cell, zone not running). */
  apply(supervisor: CellSupervisor, req: Pick<FaultRequest, 'fault' | 'zone' | 'cell'>): string | undefined {
    const zone = supervisor.zones.find((z) => z.spec.name === req.zone);
    if (!zone) return `no zone ${JSON.stringify(req.zone)}`;
    if (req.cell >= zone.workers.length) return `zone ${zone.spec.name} has ${zone.workers.length} cells`;
    if (!supervisor.restartable(zone)) return `zone ${zone.spec.name} is not running every cell (down or restarting)`;
    if (req.fault === 'kill-cell') {
      void zone.workers[req.cell].terminate();
      return undefined;
    }
    const word = stallWord(zone.spec.id, req.cell);
    if (word < 0) return `zone ${zone.spec.name} cell ${req.cell} is past the fault flags' reach`;
    Atomics.store(this.words, word, 1);
    return undefined;
  }

  /**
   * Answers fault requests on this process's IPC channel; returns the
   * function that stops listening. Without a channel (not spawned with
   * one) it only says so.
   */
  listen(proc: NodeJS.Process, supervisor: CellSupervisor, log: Logger): () => void {
    if (!proc.send) {
      log.warn('TESSERA_FAULT_HOOKS is on but the process has no IPC channel; no fault can be injected');
      return () => {};
    }
    log.warn('test-only fault hooks are on (TESSERA_FAULT_HOOKS, NODE_ENV=test)');
    const onMessage = (raw: unknown): void => {
      const req = parseFaultRequest(raw);
      if (typeof req === 'string') {
        log.warn({ problem: req }, 'fault hooks: ignored a message');
        return;
      }
      const error = this.apply(supervisor, req);
      log.warn({ fault: req.fault, zone: req.zone, cell: req.cell, error }, error ? 'fault not injected' : 'fault injected');
      const reply: FaultReply = error ? { type: 'tessera-fault-done', id: req.id, ok: false, error } : { type: 'tessera-fault-done', id: req.id, ok: true };
      proc.send?.(reply);
    };
    proc.on('message', onMessage);
    return () => proc.off('message', onMessage);
  }
}
