import type { ReattachedPlayer } from '../shared/cell-contract.ts';
import { NO_HANDLE } from './gate/connection.ts';
import { checkpointOf } from './gate/combat-checkpoint.ts';
import type { Gate } from './gate/gate.ts';
import type { Logger } from './log.ts';
import { RestartBudgetError, type CellSupervisor, type RestartRecord, type ZoneHandle } from './zones/supervisor.ts';

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
 *    is idempotent), stored rewards not reported paid are sent again (a
 *    cell pays each seq once), closed players are asked to leave again, and
 *    a connection that closed while joining is released and saved.
 * A restart that fails is retried when the zone goes down again; past the
 * supervisor's restart budget the zone's players are saved and told
 * (ZONE_DOWN), never left on a dead zone.
 */
export async function recoverZone(gate: Gate, supervisor: CellSupervisor, zone: ZoneHandle, log: Logger): Promise<void> {
  const { players, lost } = beforeRestart(gate, zone);
  let restart: RestartRecord;
  try {
    restart = await supervisor.restartZone(zone, players);
  } catch (err) {
    if (err instanceof RestartBudgetError) {
      const told = zoneLost(gate, zone, err.message);
      log.error({ zone: zone.spec.name, players: told }, 'zone failed past its restart budget; its players were saved and disconnected');
      return;
    }
    log.error({ err, zone: zone.spec.name }, 'zone restart failed; retried when it goes down again');
    return;
  }
  const { rejoined, released } = afterRestart(gate, zone);
  // hosts: how each cell got its thread (warm: its own, released by the failure; spare; cold: a new one, loading code).
  log.warn({ zone: zone.spec.name, reattached: players.length, rejoined, released, lost, ...restart }, 'zone recovered');
}

/** Saves and disconnects every player of a zone that stays down; returns how many. */
function zoneLost(gate: Gate, zone: ZoneHandle, why: string): number {
  const { index } = gate.linkOf(zone);
  let n = 0;
  for (const c of [...gate.connections.values()]) {
    if (c.zone !== index || c.released) continue;
    gate.releaseLost(c, why);
    n++;
  }
  return n;
}

/**
 * Before the cells restart: handles everything the dead cells published,
 * forgets the JOINs and LEAVEs held for them, releases (and saves)
 * connections whose entity is gone from the store, and returns the
 * connections whose entity survives, to reattach — closed ones too, so
 * their LEAVE can be honoured after.
 */
function beforeRestart(gate: Gate, zone: ZoneHandle): { players: ReattachedPlayer[]; lost: number } {
  const { link, index } = gate.linkOf(zone);
  link.drainNow();
  link.dropPending();
  const store = zone.views.store;
  const players: ReattachedPlayer[] = [];
  let lost = 0;
  for (const c of [...gate.connections.values()]) {
    if (c.zone !== index || c.released || c.handle === NO_HANDLE) continue;
    if (!store.isValid(c.handle)) {
      gate.releaseLost(c, 'entity gone with its cell');
      lost++;
      continue;
    }
    players.push({ conn: c.id, handle: c.handle, characterId: c.characterId, combat: checkpointOf(c) });
  }
  return { players, lost };
}

/**
 * After the cells restarted: re-sends the joins they never answered (a JOIN
 * is idempotent), asks again for the leaves of players that closed
 * meanwhile, and releases (and saves) a connection that closed while joining.
 */
function afterRestart(gate: Gate, zone: ZoneHandle): { rejoined: number; released: number } {
  const { link, index } = gate.linkOf(zone);
  let rejoined = 0;
  let released = 0;
  for (const c of [...gate.connections.values()]) {
    if (c.zone !== index || c.released) continue;
    if (c.phase === 'joining') {
      gate.rejoin(c);
      rejoined++;
    } else if (c.phase === 'playing') {
      // The restarted cell lost what its players wear (private state): told again.
      gate.parts.items.entered(index, c);
      // Stored rewards not reported paid died in the ring, or with their answer: sent again (the store says which are paid).
      gate.parts.rewards.resend(c);
    } else if (c.phase === 'closed') {
      if (c.handle === NO_HANDLE) gate.releaseLost(c, 'closed while joining during a zone restart');
      else link.leave(link.ownerOf(c.handle), c.id);
      released++;
    }
  }
  return { rejoined, released };
}
