import { ACTION_CHECKS } from '../../shared/layout.ts';
import type { Connection } from '../gate/connection.ts';
import type { ZoneLink } from '../gate/zone-link.ts';
import type { Anticheat } from './anticheat.ts';

/**
 * Hands the cells' VIOLATION reports (an impossible action, with the
 * player's connection) to the anti-cheat for its per-player enforcement.
 * The cells counted them in their stat slots already, which the metric
 * reads: here they are weighed and logged, not counted again. A report
 * about a connection that has since left, or changed zone, is dropped.
 */
export function watchCellViolations(links: readonly ZoneLink[], connections: ReadonlyMap<number, Connection>, anticheat: Anticheat<Connection>): void {
  for (const link of links) {
    link.onViolation = (zone, conn, check) => {
      const c = connections.get(conn);
      if (!c || c.zone !== zone || c.released || c.phase === 'closed') return;
      anticheat.report(c, ACTION_CHECKS[check] ?? 'other', 'cell', { zone });
    };
  }
}
