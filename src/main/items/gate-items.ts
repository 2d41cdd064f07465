import { ItemReason } from '../../protocol/item-codes.ts';
import { EntityFlags, ZoneControl } from '../../shared/layout.ts';
import { indexOf } from '../../shared/entity-store.ts';
import type { Connection } from '../gate/connection.ts';
import type { ZoneLink } from '../gate/zone-link.ts';
import type { GateItemsFactory } from '../gate/items-port.ts';
import type { Logger } from '../log.ts';
import type { ItemMetrics } from '../metrics/items.ts';
import { ItemService, type ItemHost, type ItemPlayer } from './item-service.ts';
import type { ItemStore } from './item-store.ts';

/**
 * A playing connection as the item service sees it: its live level from the
 * cell's last report, and its content class id (`classIds`: classes.json's
 * ids in order; a character's classId is its 1-based number there) for the
 * class check on equip. A class the content does not know gives '', which
 * skips the check.
 */
export function itemPlayer(c: Connection, classIds: readonly string[] = [], links: readonly ZoneLink[] = []): ItemPlayer {
  return {
    id: c.id,
    characterId: c.characterId,
    handle: c.handle,
    level: () => c.lastState?.level ?? c.joinAt?.level ?? 1,
    classId: () => classIds[c.classId - 1] ?? '',
    // Read from the zone's shared store, as the gate's quest checks do (the cells write flags in simulate).
    dead: () => {
      const store = links[c.zone]?.zone.views.store;
      return c.phase === 'playing' && store !== undefined && store.isValid(c.handle) && (store.f.flags[indexOf(c.handle)] & EntityFlags.DEAD) !== 0;
    },
  };
}

/** The item service's view of the gate: its connections, its zone links and its send. */
export function gateItemHost(connections: Map<number, Connection>, links: readonly ZoneLink[], send: (c: Connection, bytes: Uint8Array) => void, classIds: readonly string[] = []): ItemHost {
  return {
    player: (conn) => {
      const c = connections.get(conn);
      return c && itemPlayer(c, classIds, links);
    },
    send: (conn, bytes) => {
      const c = connections.get(conn);
      if (c && c.phase === 'playing') send(c, bytes);
    },
    toCell: (zone, handle, m) => {
      const link = links[zone];
      if (link) link.item(link.ownerOf(handle), m);
    },
    zoneOf: (conn) => connections.get(conn)?.zone ?? -1,
    tickOf: (zone) => (links[zone] ? Atomics.load(links[zone].zone.views.control, ZoneControl.zoneTick) : 0),
  };
}

/** The gate's items: the item service on the gate's connections and links (start-tessera.ts passes it to the Gate). */
export function gateItems(store: ItemStore | null, log: Logger, classIds: readonly string[] = [], metrics?: ItemMetrics): GateItemsFactory {
  return (g) => {
    const service = new ItemService(store, gateItemHost(g.connections, g.links, g.send, classIds), log, undefined, metrics);
    return {
      set onBag(fn: ((conn: number, counts: ReadonlyMap<string, number>) => void) | null) {
        service.onBag = fn;
      },
      get onBag() {
        return service.onBag;
      },
      grant: async (c, items, gold, reason, alsoInTx) => {
        const res = await service.grant(c.id, c.characterId, items, gold, reason, alsoInTx);
        return res.ok ? 'ok' : res.reason === ItemReason.BAG_FULL ? 'bag_full' : 'unavailable';
      },
      request: (zone, c, m) => service.request(zone, itemPlayer(c, classIds, g.links), m),
      joined: (c) => void service.joined(itemPlayer(c, classIds, g.links)),
      entered: (zone, c) => service.entered(zone, itemPlayer(c, classIds, g.links)),
      cellItem: (zone, m) => service.cellItem(zone, m),
      left: (conn) => service.left(conn),
    };
  };
}
