import type { QuestHost, QuestPlayer } from './quests-port.ts';
import type { Connection } from './connection.ts';
import type { ZoneLink } from './zone-link.ts';
import type { GateItems } from './items-port.ts';
import type { OwedRewards } from './owed-rewards.ts';

/**
 * The gate as the quest service's host: a connection's entity in its zone's
 * shared store, frames sent through the gate's own send (metered), and
 * experience rewards as must-deliver REWARDs to the cell owning the player,
 * sent again until it reports them paid (owed-rewards.ts).
 */
export function gateQuestHost(links: readonly ZoneLink[], send: (c: Connection, bytes: Uint8Array, type: string) => void, items: () => GateItems, rewards: OwedRewards): QuestHost {
  const conn = (p: QuestPlayer) => p as Connection;
  return {
    send: (p, bytes, type) => send(conn(p), bytes, type),
    where(p) {
      const c = conn(p);
      if (c.phase !== 'playing' || c.transfer) return undefined;
      return { store: links[c.zone].zone.views.store, handle: c.handle };
    },
    grant: (p, list, gold, reason, alsoInTx) => items().grant(conn(p), list, gold, reason, alsoInTx),
    reward: (p, experience, seq = 0) => rewards.owe(conn(p), experience, seq),
  };
}
