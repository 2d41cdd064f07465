import type { Content } from '../../content/schema/kinds.ts';
import type { Db } from '../persistence/db.ts';
import type { ZoneMap } from '../../content/zone-map.ts';
import { QuestDefs } from './quest-defs.ts';
import { QuestStore } from './quest-store.ts';

/**
 * The gate's quests for a running world: the content's quests over the maps
 * of the zones this server runs, stored in `db` (characters' logs; guests'
 * live in memory), or in memory only without one.
 */
export function questsOf(catalogue: Pick<Content, 'quests' | 'npcs'>, maps: ReadonlyMap<string, ZoneMap>, db: Db | null): { defs: QuestDefs; store: QuestStore | null } {
  const defs = new QuestDefs(catalogue, maps);
  return { defs, store: db ? new QuestStore(db, defs) : null };
}
