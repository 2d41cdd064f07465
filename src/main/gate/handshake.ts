/** The handshake's pure parts: guest names and spawns, and how a failed login is answered. */
import { encodeWelcome } from '../../protocol/encode.ts';
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import { PROTOCOL_VERSION } from '../../protocol/opcodes.ts';
import type { ZoneSpec } from '../../shared/zone-memory.ts';
import type { GateMetrics } from '../metrics/gate-metrics.ts';
import { AuthRefusedError, ServiceUnavailableError, type WorldState } from './world.ts';

export type HandshakeResult = Parameters<GateMetrics['handshake']>[0];

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

/** The WELCOME that ends a handshake: the player's entity and its zone. */
export function welcomeOf(zone: ZoneSpec, entity: number): Uint8Array {
  return encodeWelcome({
    version: PROTOCOL_VERSION,
    entity,
    zoneId: zone.id,
    tickHz: zone.tickHz,
    mapWidth: zone.width,
    mapHeight: zone.height,
    aoiTile: zone.aoiTile,
    serverTime: Date.now(),
  });
}
