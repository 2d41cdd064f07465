import type { Content } from '../../content/schema/kinds.ts';
import type { ZoneMap } from '../../content/zone-map.ts';
import type { GateQuestsFactory, QuestPlayer } from '../gate/quests-port.ts';
import type { Db } from '../persistence/db.ts';
import { QuestDefs } from './quest-defs.ts';
import { QuestService } from './quest-service.ts';
import { QuestStore } from './quest-store.ts';

/**
 * The gate's quests for a running world: the content's quests over the maps
 * of the zones this server runs, stored in `db` (characters' logs; guests'
 * live in memory), or in memory only without one. `notEarned`: told of a
 * turn-in the player has not earned (the anti-cheat).
 */
export function questsOf(catalogue: Pick<Content, 'quests' | 'npcs'>, maps: ReadonlyMap<string, ZoneMap>, db: Db | null, notEarned?: (p: QuestPlayer, quest: number) => void): GateQuestsFactory {
  const defs = new QuestDefs(catalogue, maps);
  const store = db ? new QuestStore(db, defs) : null;
  return (host) => new QuestService(defs, store, host, { notEarned });
}
