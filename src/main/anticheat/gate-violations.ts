import type { GateMetrics } from '../metrics/gate-metrics.ts';
import type { Connection } from '../gate/connection.ts';
import type { Anticheat } from './anticheat.ts';

/**
 * The gate's own refusals as anti-cheat violations: a frame the decoder
 * refused (`malformed`) and a connection over its message or byte rate
 * (`flood`). The gate closes both connections itself (4000-range protocol
 * errors, 4004); counted per player, they also weigh toward a ban across
 * reconnects. gate.ts calls these from its hooks (see the branch report:
 * `onMessage`'s decode catch and `rateLimited`).
 */
export interface GateViolations {
  malformed(c: Connection): void;
  flood(c: Connection): void;
}

export function gateViolations(anticheat: Anticheat<Connection>): GateViolations {
  return {
    malformed: (c) => void anticheat.report(c, 'malformed'),
    flood: (c) => void anticheat.report(c, 'flood'),
  };
}

/**
 * Until gate.ts has those hooks: the gate's metrics with the two refusals
 * also counted in tessera_anticheat_violations_total (by check, not per
 * player). The gate counts an undecodable frame as messageIn('invalid') and
 * a rate-limit close as rateLimited(). Drop this wrapper when the hooks land,
 * or the two checks count twice.
 */
export function countingGateRefusals(m: GateMetrics, count: (check: 'malformed' | 'flood') => void): GateMetrics {
  return new Proxy(m, {
    get(target, key) {
      if (key === 'messageIn') {
        return (type: string, bytes: number) => {
          if (type === 'invalid') count('malformed');
          target.messageIn(type, bytes);
        };
      }
      if (key === 'rateLimited') {
        return (limit: Parameters<GateMetrics['rateLimited']>[0]) => {
          count('flood');
          target.rateLimited(limit);
        };
      }
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
