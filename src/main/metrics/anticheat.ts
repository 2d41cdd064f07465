import type { Registry } from 'prom-client';
import { registerFamily } from './family.ts';

/**
 * The checks DESIGN.md's failure model names for a hostile client. Each
 * starts at zero so the violations panel and its alert have series before
 * the anti-cheat system exists; until it does, every one stays at zero.
 */
export const ANTICHEAT_CHECKS = ['malformed', 'flood', 'speed', 'impossible_action'] as const;

export interface AnticheatMetrics {
  /** Counts one refused action; `check` should be one of ANTICHEAT_CHECKS (others count as 'other'). */
  violation(check: string): void;
}

export function registerAnticheatMetrics(registry: Registry): AnticheatMetrics {
  const counts = new Map<string, number>(ANTICHEAT_CHECKS.map((c) => [c, 0]));
  registerFamily(registry, 'tessera_anticheat_violations_total', 'Client actions refused by an anti-cheat check, by check.', 'counter', (out) => {
    for (const [check, n] of counts) out.push({ labels: { check }, value: n });
  });
  return {
    violation(check) {
      const key = counts.has(check) ? check : 'other';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
  };
}
