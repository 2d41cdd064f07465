/**
 * What the gate reports as it works. The metrics module implements it with
 * prom-client; the default does nothing, so the gate runs without metrics.
 * Message types are protocol names ('hello', 'input', 'snapshot', ...).
 */
export interface GateMetrics {
  connectionOpened(): void;
  connectionClosed(code: number): void;
  handshake(result: 'ok' | 'bad_version' | 'auth_failed' | 'full' | 'timeout' | 'error' | 'unavailable' | 'resume_refused' | 'banned'): void;
  messageIn(type: string, bytes: number): void;
  messageOut(type: string, bytes: number): void;
  /** A snapshot not sent because the client's send buffer was over the bound. */
  backpressureSkip(): void;
  /** A connection closed for staying over the bound too long. */
  backpressureKick(): void;
  /**
   * A droppable message the gate did not pass on: an input or ack on a full
   * cell ring (the next one supersedes it), or a snapshot older than one the
   * client already has (the old and new owner's rings drain apart).
   */
  dropped(reason: GateDropReason): void;
  /** How to read the JOINs and LEAVEs waiting for room in full cell rings (must-deliver). */
  watchControlWaiting(read: () => number): void;
  /** A player went through a portal from zone `from` into zone `to`. */
  zoneChange(from: string, to: string): void;
  /** A portal transfer was refused (the player stays, next to the portal). */
  portalRefused(reason: PortalRefusal): void;
  /** An upgrade on /play refused before a WebSocket was made (HTTP 429 or 503). */
  refused(reason: GateRefusal): void;
  /** A connection closed (4004) for going over its message or byte rate. */
  rateLimited(limit: RateLimit): void;
  /** A connection dropped and its character waits, was resumed, its grace ran out, or a resume was refused (gate/resume.ts). */
  resume(event: ResumeEvent): void;
  /** How to read how many dropped connections wait for a resume now. */
  watchDetached(read: () => number): void;
}

export const RESUME_EVENTS = ['dropped', 'resumed', 'expired', 'refused'] as const;
export type ResumeEvent = (typeof RESUME_EVENTS)[number];

/**
 * Why an upgrade was refused at the door: the address holds its
 * GATE_SOCKETS_PER_IP or GATE_HANDSHAKES_PER_IP, or it is over its
 * GATE_CONNECT_RATE_PER_IP (429); the server is shutting down (503); the
 * request is not a valid WebSocket upgrade (400, 405).
 */
export const GATE_REFUSALS = ['ip_sockets', 'ip_handshakes', 'ip_connect_rate', 'shutting_down', 'bad_upgrade'] as const;
export type GateRefusal = (typeof GATE_REFUSALS)[number];

/** Which per-connection rate a client went over: GATE_MSG_RATE or GATE_BYTE_RATE. */
export const RATE_LIMITS = ['messages', 'bytes'] as const;
export type RateLimit = (typeof RATE_LIMITS)[number];

/** resume_delta: a delta snapshot for a resumed client that has no baseline (it waits for a full one). */
export const GATE_DROP_REASONS = ['input_ring_full', 'action_ring_full', 'stale_snapshot', 'resume_delta'] as const;
export type GateDropReason = (typeof GATE_DROP_REASONS)[number];

/**
 * Why a portal transfer was refused (gate/portals.ts): the portal is not in
 * the zone's map, its zone is not run by this server, its target point is not
 * in that zone's map, or the zone is down or full.
 */
export const PORTAL_REFUSALS = ['unknown_portal', 'zone_not_served', 'unknown_point', 'zone_down', 'zone_full'] as const;
export type PortalRefusal = (typeof PORTAL_REFUSALS)[number];

export const noGateMetrics: GateMetrics = {
  connectionOpened() {},
  connectionClosed() {},
  handshake() {},
  messageIn() {},
  messageOut() {},
  backpressureSkip() {},
  backpressureKick() {},
  dropped() {},
  watchControlWaiting() {},
  zoneChange() {},
  portalRefused() {},
  refused() {},
  rateLimited() {},
  resume() {},
  watchDetached() {},
};
