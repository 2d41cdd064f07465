/**
 * Where a portal leads, as the gate resolves it: the target zone by name
 * among the zones this process runs, the target point by name in that zone's
 * map. Pure, so every refusal is tested without a running zone.
 */
import type { NamedPoint, Portal, ZoneMap } from '../../content/zone-map.ts';
import type { PortalRefusal } from '../metrics/gate-metrics.ts';

export type { PortalRefusal };

/** What the gate knows of one zone it serves, by its index among the gate's links. */
export interface PortalZone {
  readonly name: string;
  /** The zone's map (decoded from its zone pack), or undefined when it has none. */
  readonly map: ZoneMap | undefined;
  /** The zone failed past its restart budget and stays down. */
  readonly lost: boolean;
}

export type PortalRoute =
  | { ok: true; portal: Portal; to: number; point: NamedPoint }
  | { ok: false; portal: Portal | undefined; refusal: PortalRefusal; why: string };

/**
 * Resolves portal `index` of zone `from`. The target point is looked up
 * among the map's named points, then its spawn points. A zone this process
 * does not run is refused: a portal to a zone on another host will hand the
 * client a single-use signed ticket to reconnect with (DESIGN, "Beyond one
 * host"), which is not built yet.
 */
export function routePortal(zones: readonly PortalZone[], from: number, index: number): PortalRoute {
  const portal = zones[from]?.map?.portals[index];
  if (!portal) return { ok: false, portal, refusal: 'unknown_portal', why: `zone ${zones[from]?.name ?? from} has no portal #${index}` };
  const to = zones.findIndex((z) => z.name === portal.zone);
  if (to < 0) {
    return { ok: false, portal, refusal: 'zone_not_served', why: `portal ${portal.name} leads to zone ${portal.zone}, which this server does not run (cross-host portals are not built)` };
  }
  const target = zones[to];
  const point = target.map?.points.find((p) => p.name === portal.target) ?? target.map?.spawnPoints.find((p) => p.name === portal.target);
  if (!point) return { ok: false, portal, refusal: 'unknown_point', why: `portal ${portal.name}: zone ${portal.zone} has no point named ${portal.target}` };
  if (target.lost) return { ok: false, portal, refusal: 'zone_down', why: `portal ${portal.name}: zone ${portal.zone} is down` };
  return { ok: true, portal, to, point };
}
