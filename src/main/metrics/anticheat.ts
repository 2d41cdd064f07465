import type { Registry } from 'prom-client';
import { ACTION_CHECKS, StatSlot } from '../../shared/layout.ts';
import type { CellSupervisor } from '../zones/supervisor.ts';
import { registerFamily } from './family.ts';

/**
 * The checks the coordinator counts itself (main/anticheat/): a frame the
 * decoder refused (`malformed`), a connection over its message or byte
 * rate (`flood`: GATE_MSG_RATE, GATE_BYTE_RATE), an item operation on an
 * item another character owns (`item_not_owned`), a quest turned in that
 * is not in the log or not complete (`quest_not_earned`), chat sent on
 * after the server said it is over its rate (`chat_flood`).
 */
export const COORDINATOR_CHECKS = ['malformed', 'flood', 'item_not_owned', 'quest_not_earned', 'chat_flood'] as const;

/**
 * Every check of tessera_anticheat_violations_total: the coordinator's, and
 * the impossible actions the cells count by type (layout.ts ACTION_CHECKS:
 * a skill the class does not have, a target far out of range, a skill used
 * well before its cooldown ends, a line of sight through a thick wall, a
 * burst of actions in one tick, a destination off the map or far away).
 * Movement is the server's (a client sends a direction or a destination,
 * never a position), so there is no speed check to fail. Each starts at
 * zero so the violations panel and its alert have series from the start.
 */
export const ANTICHEAT_CHECKS = [...COORDINATOR_CHECKS, ...ACTION_CHECKS] as const;

export interface AnticheatMetrics {
  /** Counts one refused action; `check` should be one of ANTICHEAT_CHECKS (others count as 'other'). */
  violation(check: string): void;
}

/**
 * Registers tessera_anticheat_violations_total: what the coordinator counts
 * (violation()) plus, for the action checks, what every cell of the
 * supervisor's zones counted in its stat slots (read at scrape time).
 */
export function registerAnticheatMetrics(registry: Registry, supervisor?: CellSupervisor): AnticheatMetrics {
  const counts = new Map<string, number>(ANTICHEAT_CHECKS.map((c) => [c, 0]));
  const fromCells = new Float64Array(ACTION_CHECKS.length);
  // One stats view per cell, made once: a scrape allocates none.
  const views = new WeakMap<object, Float64Array[]>();
  const statsOf = (zone: NonNullable<typeof supervisor>['zones'][number]) => {
    let v = views.get(zone);
    if (!v) views.set(zone, (v = Array.from({ length: zone.views.geometry.cellCount }, (_, c) => zone.views.stats(c))));
    return v;
  };
  registerFamily(registry, 'tessera_anticheat_violations_total', 'Client actions refused by an anti-cheat check, by check.', 'counter', (out) => {
    fromCells.fill(0);
    for (const zone of supervisor?.zones ?? []) {
      for (const stats of statsOf(zone)) {
        for (let k = 0; k < ACTION_CHECKS.length; k++) fromCells[k] += stats[StatSlot.anticheat + k];
      }
    }
    for (const [check, n] of counts) {
      const k = (ACTION_CHECKS as readonly string[]).indexOf(check);
      out.push({ labels: { check }, value: n + (k >= 0 ? fromCells[k] : 0) });
    }
  });
  return {
    violation(check) {
      const key = counts.has(check) ? check : 'other';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
  };
}
