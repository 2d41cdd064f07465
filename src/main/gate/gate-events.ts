import { encodeNotice } from '../../protocol/encode.ts';
import { NoticeCode } from '../../protocol/notices.ts';
import type { WorldEventHost } from '../events/world-events.ts';
import type { QuestHost } from './quests-port.ts';
import type { Connection } from './connection.ts';
import type { ZoneLink } from './zone-link.ts';

/**
 * The gate as world events' host: announcements as a NOTICE to everyone
 * playing in the zone, the boss through the zone link to the cell that owns
 * its point, dismissals to every cell, rewards as quests pay them.
 */
export function gateEventHost(
  links: readonly ZoneLink[],
  connections: () => Iterable<Connection>,
  send: (c: Connection, bytes: Uint8Array, type: string) => void,
  quests: QuestHost,
): WorldEventHost {
  const link = (zone: string) => links.find((l) => l.zone.spec.name === zone);
  return {
    announce(zone, text) {
      const z = links.findIndex((l) => l.zone.spec.name === zone);
      const bytes = encodeNotice(NoticeCode.WORLD_EVENT, text);
      for (const c of connections()) if (c.zone === z && c.phase === 'playing') send(c, bytes, 'notice');
    },
    spawnNpc(zone, template, x, y) {
      const l = link(zone);
      if (!l || l.zone.lost) return false;
      l.spawnNpc(l.cellOf(x, y), template, x, y);
      return true;
    },
    dismissNpcs(zone, template) {
      link(zone)?.dismissNpcs(template);
    },
    reward: (p, xp) => quests.reward(p as Connection, xp),
    // A bag without room loses the items, as loot left on the ground would; the gold is lost with them (one transaction).
    grant: (p, items, gold, reason) =>
      void quests.grant(p as Connection, items, gold, reason, async () => {}).then((r) => {
        if (r !== 'ok') (p as Connection).log.warn({ reason, result: r }, 'world event reward not given');
      }),
  };
}
