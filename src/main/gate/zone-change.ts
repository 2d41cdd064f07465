/**
 * A player walks into a portal and comes out in another zone on the same
 * socket. The old zone's cell has already freed the entity and sent PORTAL;
 * from there the gate:
 * 1. resolves the target zone and point (portals.ts);
 * 2. JOINs the player there, through the ordinary join path (the connection
 *    is 'joining': inputs are dropped, frames of either zone are not sent);
 * 3. on JOINED OK sends ZONE_CHANGE (before the new zone's first snapshot:
 *    that snapshot follows the JOINED in the same ring) and saves the
 *    character in its new zone at once, as on logout;
 * 4. on a refusal (the target is full, down, unknown or on another host)
 *    tells the client with a NOTICE and JOINs it back in its old zone, on its
 *    last spot outside the portal; that JOINED sends a ZONE_CHANGE naming the
 *    old zone, as the player is a new entity there. When even that fails,
 *    the character is saved there and the connection closed.
 */
import type { ZoneMap } from '../../content/zone-map.ts';
import { ErrorCode, ProtocolError } from '../../protocol/errors.ts';
import { encodeNotice } from '../../protocol/encode.ts';
import { NoticeCode, type NoticeCodeValue } from '../../protocol/notices.ts';
import { JoinStatus, OPERATOR_PORTAL } from '../../shared/messages/cell-to-gate.ts';
import type { GateMetrics } from '../metrics/gate-metrics.ts';
import { NO_HANDLE, type Connection, type ZoneTransfer } from './connection.ts';
import { zoneChangeOf } from './handshake.ts';
import { routePortal, type PortalRefusal, type PortalZone } from './portals.ts';
import type { World, WorldState } from './world.ts';
import type { ZoneLink } from './zone-link.ts';

/** What a zone change needs from the gate. */
export interface ZoneChangeHost {
  readonly links: readonly ZoneLink[];
  /** Each link's zone map, by link index. */
  readonly maps: readonly (ZoneMap | undefined)[];
  readonly contentHash: string;
  readonly world: World | null;
  readonly metrics: GateMetrics;
  /** Asks zone `zone`'s cell that owns `at` for an entity for `c` (the ordinary join). */
  join(c: Connection, zone: number, at: WorldState): void;
  send(c: Connection, bytes: Uint8Array, type: string): void;
  /** Forgets a connection that has no entity anywhere: saved at `at`; closed with `err` when it is still open. */
  release(c: Connection, at: WorldState, err?: ProtocolError): void;
  /** Ends the handshake of a client that never had an entity (WELCOME): its first JOINED came after its PORTAL. */
  welcome(c: Connection, handle: number): void;
  /** Sends the stored rewards its cell has not reported paid to its new entity (owed-rewards.ts). */
  resendRewards(c: Connection): void;
}

const NOTICE_OF: Record<PortalRefusal, NoticeCodeValue> = {
  zone_full: NoticeCode.PORTAL_ZONE_FULL,
  unknown_portal: NoticeCode.PORTAL_UNAVAILABLE,
  zone_not_served: NoticeCode.PORTAL_UNAVAILABLE,
  unknown_point: NoticeCode.PORTAL_UNAVAILABLE,
  zone_down: NoticeCode.PORTAL_ZONE_DOWN,
};

/** The gate's side of portals: a PORTAL from a cell in, a ZONE_CHANGE to the client out. */
export class ZoneChanges {
  private readonly host: ZoneChangeHost;

  constructor(host: ZoneChangeHost) {
    this.host = host;
  }

  /**
   * Zone `zone`'s cell freed `c`'s entity at the end of `tick` because it
   * stepped into portal `index` at x, y with hp, level and xp (and the
   * stored rewards that includes, `rewardSeq`); back is its last spot outside.
   */
  portal(c: Connection, zone: number, tick: number, index: number, x: number, y: number, hp: number, backX: number, backY: number, level = 0, xp = 0, rewardSeq = 0): void {
    const h = this.host;
    const fromName = h.links[zone].zone.spec.name;
    const back: WorldState = { zone: fromName, x: backX, y: backY, hp, level, xp, rewardSeq };
    c.handle = NO_HANDLE;
    c.lastState = back;
    if (c.phase === 'closed') {
      // Its LEAVE reached a cell that no longer had it: nothing else will release it.
      h.release(c, back);
      c.log.info({ zone: fromName, portal: index }, 'player closed while stepping into a portal; saved next to it');
      return;
    }
    const sent = c.teleportTo;
    c.teleportTo = undefined;
    if (index === OPERATOR_PORTAL && sent) return this.operatorTeleport(c, zone, tick, back, sent);
    const zones: PortalZone[] = h.links.map((l, i) => ({ name: l.zone.spec.name, map: h.maps[i], lost: l.zone.lost }));
    const route = routePortal(zones, zone, index);
    const t: ZoneTransfer = { from: zone, portal: route.portal?.name ?? `#${index}`, back, lastFrameTick: Math.max(c.lastFrameTick, tick), fallback: false };
    c.transfer = t;
    if (!route.ok) {
      // A map that leads nowhere this server runs is an operator's to fix; a zone down is already reported.
      if (route.refusal !== 'zone_down') c.log.warn({ zone: fromName, x, y }, `portal refused: ${route.why}`);
      return this.goBack(c, t, route.refusal, route.why);
    }
    c.log.info({ from: fromName, to: route.portal.zone, portal: route.portal.name, point: route.point.name }, 'player stepped into a portal');
    h.join(c, route.to, { zone: route.portal.zone, x: route.point.x, y: route.point.y, hp, level, xp, rewardSeq });
  }

  /** An operator's teleport to another zone (main/gate/operator.ts): joined there like a portal's traveller, back here if refused. */
  private operatorTeleport(c: Connection, zone: number, tick: number, back: WorldState, to: { zone: number; x: number; y: number }): void {
    const h = this.host;
    const t: ZoneTransfer = { from: zone, portal: 'operator', back, lastFrameTick: Math.max(c.lastFrameTick, tick), fallback: false };
    c.transfer = t;
    const target = h.links[to.zone]!.zone;
    if (target.lost) return this.goBack(c, t, 'zone_down', `zone ${target.spec.name} is down`);
    c.log.info({ from: h.links[zone]!.zone.spec.name, to: target.spec.name, x: to.x, y: to.y }, 'player sent to another zone by an operator');
    h.join(c, to.zone, { zone: target.spec.name, x: to.x, y: to.y, hp: back.hp, level: back.level, xp: back.xp, rewardSeq: back.rewardSeq });
  }

  /** The answer to the JOIN of a transfer (`c.transfer` is set, `c` is joining). */
  joined(c: Connection, status: number, handle: number): void {
    const h = this.host;
    const t = c.transfer!;
    const spec = h.links[c.zone].zone.spec;
    if (status !== JoinStatus.OK) {
      if (!t.fallback) return this.goBack(c, t, 'zone_full', `zone ${spec.name} is full`);
      c.log.warn({ zone: spec.name }, 'portal refused and no room back in the old zone either; saved and closed');
      return h.release(c, t.back, new ProtocolError(ErrorCode.SERVER_FULL, 'no room in the zone'));
    }
    c.transfer = undefined;
    c.carry = null;
    if (!c.welcomed) {
      // Its client has not been told of an entity yet: it first joined, or it resumed (resume.ts), after the PORTAL.
      h.welcome(c, handle);
    } else {
      c.handle = handle;
      c.phase = 'playing';
      h.send(c, zoneChangeOf(spec, handle, h.contentHash), 'zone_change');
    }
    // Rewards sent to the old entity may have found it gone: the new one gets them (it pays each once).
    h.resendRewards(c);
    if (t.fallback) {
      c.log.info({ zone: spec.name, entity: handle }, 'player back next to the portal');
      return;
    }
    const from = h.links[t.from].zone.spec.name;
    h.metrics.zoneChange(from, spec.name);
    // Saved at once in its new zone, as on logout: a crash now must not bring it back in the old one.
    c.lastState = { ...c.joinAt!, zone: spec.name };
    if (c.characterId !== 0) h.world?.leaveWorld(c.characterId, c.lastState);
    c.log.info({ from, to: spec.name, portal: t.portal, entity: handle }, 'player changed zone');
  }

  /** The target refused the player: told why, and joined back in its old zone next to the portal. */
  private goBack(c: Connection, t: ZoneTransfer, reason: PortalRefusal, why: string): void {
    const h = this.host;
    h.metrics.portalRefused(reason);
    h.send(c, encodeNotice(NOTICE_OF[reason], why), 'notice');
    t.fallback = true;
    const link = h.links[t.from];
    if (link.zone.lost) {
      return h.release(c, t.back, new ProtocolError(ErrorCode.ZONE_DOWN, `zone ${link.zone.spec.name} is down`));
    }
    h.join(c, t.from, t.back);
    // The old zone's ticks go on: none of the old entity's frames (up to the one it was freed at) goes out after this.
    c.lastFrameTick = t.lastFrameTick;
  }
}
