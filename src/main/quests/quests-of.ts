import type { Content } from '../../content/schema/kinds.ts';
import { decodeZonePack } from '../../content/pack/zone-pack.ts';
import type { Db } from '../persistence/db.ts';
import type { ZoneHandle } from '../zones/supervisor.ts';
import { QuestDefs } from './quest-defs.ts';
import { QuestStore } from './quest-store.ts';

/**
 * The gate's quests for a running world: the content's quests over the maps
 * of the zones this server runs, stored in `db` (characters' logs; guests'
 * live in memory), or in memory only without one.
 */
export function questsOf(catalogue: Pick<Content, 'quests' | 'npcs'>, zones: readonly ZoneHandle[], db: Db | null): { defs: QuestDefs; store: QuestStore | null } {
  const maps = new Map(zones.map((z) => [z.spec.name, decodeZonePack(new Uint8Array(z.views.init.map), `zone ${z.spec.name} pack`)]));
  const defs = new QuestDefs(catalogue, maps);
  return { defs, store: db ? new QuestStore(db, defs) : null };
}
