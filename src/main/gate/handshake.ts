/**
 * The handshake: a HELLO checked and its player logged in (a guest, or a
 * character by session token), guest names and spawns, how a failed login
 * is answered, and the messages that end it.
 */
import { encodeNotice, encodeWelcome, encodeZoneChange } from '../../protocol/encode.ts';
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import { NoticeCode } from '../../protocol/notices.ts';
import type { ClientMessage } from '../../protocol/messages.ts';
import { AuthKind, PROTOCOL_VERSION } from '../../protocol/opcodes.ts';
import type { ZoneSpec } from '../../shared/zone-memory.ts';
import type { Config } from '../config.ts';
import type { GateMetrics } from '../metrics/gate-metrics.ts';
import type { CharacterSessions } from './character-sessions.ts';
import type { Connection } from './connection.ts';
import { AuthRefusedError, ServiceUnavailableError, type World, type WorldState } from './world.ts';

export type HandshakeResult = Parameters<GateMetrics['handshake']>[0];

/** What a login needs from the gate. */
export interface LoginHost {
  readonly cfg: Pick<Config, 'allowGuests' | 'spawnSpread'>;
  readonly world: World | null;
  readonly sessions: CharacterSessions;
  /** The zone guests enter. */
  firstZone(): ZoneSpec;
  /** Counts a refused handshake, sends the typed error and closes. */
  refuse(c: Connection, result: HandshakeResult, code: ErrorCodeValue, message: string): void;
  /** Puts the player in the world at `at`. */
  admit(c: Connection, at: WorldState): void;
  /** Closes the older connection of a character that logged in again. */
  takenOver(previous: Connection): void;
  /** Takes over the connection that still plays (or holds, dropped) the character, keeping its entity (resume.ts); false when there is none. */
  resume(c: Connection, previous: Connection | undefined): boolean;
  /** Why an account (0: a guest) or address may not enter (moderation/bans.ts), or undefined. */
  banned(accountId: number, address: string): string | undefined;
  /** Counts a banned handshake, tells the client why and closes (BANNED). */
  refuseBanned(c: Connection, message: string): void;
}

/**
 * A HELLO's login: the version checked, then a guest admitted near the first
 * zone's centre, or a character entered with its session token where it was
 * saved (taking over a connection that still plays it).
 */
export function login(h: LoginHost, c: Connection, m: Extract<ClientMessage, { op: 'hello' }>): void {
  if (m.version !== PROTOCOL_VERSION) {
    return h.refuse(c, 'bad_version', ErrorCode.UNSUPPORTED_VERSION, `protocol ${m.version} unsupported; server speaks ${PROTOCOL_VERSION}`);
  }
  if (m.auth === AuthKind.GUEST) {
    const ban = h.banned(0, c.remote);
    if (ban !== undefined) return h.refuseBanned(c, ban);
    const name = guestName(m.credential);
    if (!h.cfg.allowGuests) return h.refuse(c, 'auth_failed', ErrorCode.AUTH_FAILED, 'guests are not admitted; log in with a session token');
    if (name === null) return h.refuse(c, 'auth_failed', ErrorCode.BAD_VALUE, 'guest name must be 1-24 bytes of printable characters');
    c.name = name;
    return h.admit(c, guestSpawn(h.firstZone(), h.cfg.spawnSpread));
  }
  if (!h.world) return h.refuse(c, 'auth_failed', ErrorCode.AUTH_FAILED, 'accounts are not available on this server');
  c.phase = 'entering';
  h.world.enterWorld(m.credential, m.characterId).then(
    (ch) => {
      if (c.phase !== 'entering') return; // closed meanwhile
      const ban = h.banned(ch.accountId, c.remote);
      if (ban !== undefined) return h.refuseBanned(c, ban);
      c.accountId = ch.accountId;
      c.characterId = ch.characterId;
      c.classId = ch.classId;
      c.name = ch.name;
      c.log = c.log.child({ character: ch.characterId });
      if (h.resume(c, h.sessions.get(ch.characterId))) return;
      // The stored rewards its experience includes come with it (world.ts WorldState.rewardSeq).
      h.sessions.takeOver(c, { zone: ch.zone, x: ch.x, y: ch.y, hp: ch.hp, level: ch.level, xp: ch.xp, rewardSeq: ch.rewardSeq }, h.admit, h.takenOver);
    },
    (err: unknown) => {
      const r = loginRefusal(err);
      if (r.result === 'error') c.log.error({ err }, 'enter world failed');
      h.refuse(c, r.result, r.code, r.message);
    },
  );
}

/** How a failed world entry is counted and answered: refused, try again later, or an unexpected error. */
export function loginRefusal(err: unknown): { result: HandshakeResult; code: ErrorCodeValue; message: string } {
  if (err instanceof AuthRefusedError) return { result: 'auth_failed', code: ErrorCode.AUTH_FAILED, message: err.message };
  if (err instanceof ServiceUnavailableError) return { result: 'unavailable', code: ErrorCode.UNAVAILABLE, message: 'login unavailable, try again shortly' };
  return { result: 'error', code: ErrorCode.UNAVAILABLE, message: 'login failed, try again' };
}

/** Printable names only: no control, format (bidi, zero-width) or separator characters. */
const GUEST_NAME = /^[^\p{Cc}\p{Cf}\p{Z}][^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;

/** A guest's name as it will be shown (NFC, trimmed), or null when it is empty or not printable. */
export function guestName(credential: string): string | null {
  const name = credential.normalize('NFC').trim();
  return name.length > 0 && GUEST_NAME.test(name) ? name : null;
}

/** Where a guest enters: the first zone, around its centre. */
export function guestSpawn(zone: ZoneSpec, spread: number): WorldState {
  return { zone: zone.name, x: spawnCoord(zone.width, spread), y: spawnCoord(zone.height, spread), hp: 0 };
}

/**
 * A guest's spawn coordinate: uniform over the part of [centre - spread,
 * centre + spread] that lies on the map (not clamped, which would pile
 * guests on the edges when the spread is wider than the map).
 */
function spawnCoord(edge: number, spread: number): number {
  const lo = Math.max(1, edge / 2 - spread);
  const hi = Math.min(edge - 1, edge / 2 + spread);
  return lo + Math.random() * (hi - lo);
}

/** The WELCOME that ends a handshake: the player's entity, its zone (number and name) and the server's content hash. */
export function welcomeOf(zone: ZoneSpec, entity: number, contentHash: string): Uint8Array {
  return encodeWelcome({
    version: PROTOCOL_VERSION,
    entity,
    zoneId: zone.id,
    tickHz: zone.tickHz,
    mapWidth: zone.width,
    mapHeight: zone.height,
    aoiTile: zone.aoiTile,
    serverTime: Date.now(),
    contentHash,
    zoneName: zone.name,
  });
}

/** The ZONE_CHANGE of a player that is now `entity` in `zone`. */
export function zoneChangeOf(zone: ZoneSpec, entity: number, contentHash: string): Uint8Array {
  return encodeZoneChange({
    entity,
    zoneId: zone.id,
    tickHz: zone.tickHz,
    mapWidth: zone.width,
    mapHeight: zone.height,
    aoiTile: zone.aoiTile,
    zoneName: zone.name,
    contentHash,
  });
}

/**
 * The NOTICE for a client whose content differs from the server's, or null.
 * Told, not fatal: maps and data may have moved on since the client's build,
 * and it can still play (and fetch the new content).
 */
export function contentNotice(clientHash: string, serverHash: string): Uint8Array | null {
  if (clientHash === '' || serverHash === '' || clientHash === serverHash) return null;
  return encodeNotice(NoticeCode.CONTENT_STALE, `your content ${clientHash.slice(0, 12)} is stale; the server runs ${serverHash.slice(0, 12)}`);
}
