/**
 * NOTICE codes: what the server tells a client without closing the
 * connection (a refused portal, stale content). docs/protocol.md documents
 * each one (a test checks). Unlike an ERROR, a NOTICE never precedes a close.
 */
export const NoticeCode = {
  /** The client's content hash (HELLO) differs from the server's (WELCOME): its maps and data are stale. */
  CONTENT_STALE: 1,
  /** A portal's target zone is full: the player stays where it was, next to the portal. */
  PORTAL_ZONE_FULL: 2,
  /** A portal's target zone is down (failed past its restart budget): the player stays. */
  PORTAL_ZONE_DOWN: 3,
  /** A portal leads to a zone this server does not run, or to a point its map lacks: the player stays. */
  PORTAL_UNAVAILABLE: 4,
  /** An operator's announcement to the zone or to everyone (the console): the message is the text to show. */
  ANNOUNCEMENT: 30,
  /** A world event's announcement to everyone in its zone (the message is the content's text). */
  WORLD_EVENT: 60,
  /** The anti-cheat's warning: the player's actions were refused as impossible ANTICHEAT_WARN_AT times within its window; more closes the connection (CHEATING). */
  CHEAT_WARNING: 70,
} as const;
export type NoticeCodeValue = (typeof NoticeCode)[keyof typeof NoticeCode];
