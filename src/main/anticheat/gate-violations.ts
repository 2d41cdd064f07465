import type { Connection } from '../gate/connection.ts';
import type { GateViolations } from '../gate/violation-hook.ts';
import type { Anticheat } from './anticheat.ts';

/**
 * The gate's own refusals as anti-cheat violations (gate/violation-hook.ts):
 * a frame the decoder refused (`malformed`) and a connection over its
 * message or byte rate (`flood`). The gate has closed both connections
 * (4000-range protocol errors, 4004) before it tells; counted per player,
 * they also weigh toward a ban across reconnects.
 */
export function gateViolations(anticheat: Anticheat<Connection>): GateViolations {
  return {
    malformed: (c) => void anticheat.report(c, 'malformed'),
    flood: (c) => void anticheat.report(c, 'flood'),
  };
}
