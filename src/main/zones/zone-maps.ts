import { decodeZonePack } from '../../content/pack/zone-pack.ts';
import type { ZoneMap } from '../../content/zone-map.ts';
import type { ZoneHandle } from './supervisor.ts';

/** The maps of the zones this server runs, by zone name (decoded from their packs). */
export function zoneMapsOf(zones: readonly ZoneHandle[]): Map<string, ZoneMap> {
  return new Map(zones.map((z) => [z.spec.name, decodeZonePack(new Uint8Array(z.views.init.map), `zone ${z.spec.name} pack`)]));
}
