import type { Gate } from './gate/gate.ts';
import type { Logger } from './log.ts';
import { RestartBudgetError, type CellSupervisor, type ZoneHandle } from './zones/supervisor.ts';

/**
 * Brings a zone back after its cells went down, keeping its players
 * connected:
 * 1. the gate handles everything the dead cells published (JOINED, LEFT...);
 * 2. connections whose entity is gone from the store (their LEFT was lost
 *    with the cell) are released and saved from their last reported state;
 * 3. the supervisor restarts the cells from the shared store, reattaching
 *    every connection whose entity survives (closed ones too, so their
 *    LEAVE can be honoured);
 * 4. the gate redoes what the cells never answered: joins are re-sent (a JOIN
 *    is idempotent), closed players are asked to leave again, and a
 *    connection that closed while joining is released and saved.
 * A restart that fails is retried when the zone goes down again; past the
 * supervisor's restart budget the zone's players are saved and told
 * (ZONE_DOWN), never left on a dead zone.
 */
export async function recoverZone(gate: Gate, supervisor: CellSupervisor, zone: ZoneHandle, log: Logger): Promise<void> {
  const { players, lost } = gate.beforeZoneRestart(zone);
  try {
    await supervisor.restartZone(zone, players);
  } catch (err) {
    if (err instanceof RestartBudgetError) {
      const told = gate.zoneLost(zone, err.message);
      log.error({ zone: zone.spec.name, players: told }, 'zone failed past its restart budget; its players were saved and disconnected');
      return;
    }
    log.error({ err, zone: zone.spec.name }, 'zone restart failed; retried when it goes down again');
    return;
  }
  const { rejoined, released } = gate.afterZoneRestart(zone);
  log.warn({ zone: zone.spec.name, reattached: players.length, rejoined, released, lost }, 'zone recovered');
}
