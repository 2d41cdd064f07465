import { indexOf } from '../../shared/entity-store.ts';
import type { ReattachedPlayer } from '../../workers/cell-runtime.ts';
import type { Gate } from '../gate/gate.ts';
import type { Logger } from '../log.ts';
import type { CellSupervisor, ZoneHandle } from './supervisor.ts';

/**
 * Brings a zone back after its cells went down, keeping its players
 * connected: the gate first handles everything the dead cells published,
 * then the supervisor restarts the cells from the shared store with the
 * players to reattach, and finally the gate redoes what the cells never
 * answered (joins) and releases players who left meanwhile.
 */
export async function recoverZone(gate: Gate, supervisor: CellSupervisor, zone: ZoneHandle, log: Logger): Promise<void> {
  const { link, index } = gate.linkOf(zone);
  link.drainNow();
  link.dropPending();
  const owner = zone.views.store.f.owner;
  const players: ReattachedPlayer[] = [];
  for (const c of gate.connections.values()) {
    if (c.zone !== index || c.released || c.handle === 0) continue;
    if (!zone.views.store.isValid(c.handle)) continue;
    c.cell = Atomics.load(owner, indexOf(c.handle));
    players.push({ conn: c.id, handle: c.handle, characterId: c.characterId });
  }
  await supervisor.restartZone(zone, players);
  let rejoined = 0;
  let released = 0;
  for (const c of gate.connections.values()) {
    if (c.zone !== index) continue;
    if (c.phase === 'joining') {
      gate.rejoin(c);
      rejoined++;
    } else if (c.phase === 'closed' && !c.released && c.handle !== 0) {
      link.leave(c.cell, c.id);
      released++;
    }
  }
  log.warn({ zone: zone.spec.name, reattached: players.length, rejoined, released }, 'zone recovered');
}
