/**
 * The admin API's field checks: each returns the value or throws a 422
 * naming the field. Free text (reasons, announcements) is for people and is
 * shown in the console, in logs and to players: printable, trimmed, short.
 */
import { invalid } from '../accounts/api-errors.ts';
import { normaliseIp } from '../net/ip.ts';
import { checkChatText } from '../chat/chat-text.ts';
import { isRole, ROLES, type Role } from './roles.ts';

/** Longest reason kept in the audit log, in characters. */
export const MAX_REASON = 200;
/** Longest announcement, in UTF-8 bytes (a NOTICE's message carries at most 200). */
export const MAX_ANNOUNCEMENT_BYTES = 200;
/** Longest mute or timed ban, in minutes (ten years; "for good" is its own choice). */
export const MAX_MINUTES = 10 * 365 * 24 * 60;

/** No control, format (bidi, zero-width) or line/paragraph separator characters. */
const PRINTABLE = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;

/** Printable text of 1..max characters (after NFC and trimming). */
export function text(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string') throw invalid(field, `${field} is required (a string)`);
  const s = v.normalize('NFC').trim();
  if (s.length === 0) throw invalid(field, `${field} must not be empty`);
  if (s.length > max) throw invalid(field, `${field} must be at most ${max} characters`);
  if (!PRINTABLE.test(s)) throw invalid(field, `${field} must be printable text (no control or invisible characters)`);
  return s;
}

export function reason(v: unknown): string {
  return text(v, 'reason', MAX_REASON);
}

/** An announcement: a NOTICE's text and a chat SYSTEM line both, so what either refuses is refused here. */
export function announcement(v: unknown): string {
  const s = text(v, 'message', MAX_ANNOUNCEMENT_BYTES);
  if (Buffer.byteLength(s) > MAX_ANNOUNCEMENT_BYTES) throw invalid('message', `message must be at most ${MAX_ANNOUNCEMENT_BYTES} bytes of UTF-8`);
  if (typeof checkChatText(s, { maxBytes: MAX_ANNOUNCEMENT_BYTES, maxChars: MAX_ANNOUNCEMENT_BYTES }) === 'number') throw invalid('message', 'message holds characters chat refuses (invisible or control characters)');
  return s;
}

/** A positive integer id up to `max`. */
export function id(v: unknown, field: string, max = 0x7fffffff): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) throw invalid(field, `${field} must be an integer from 1 to ${max}`);
  return v;
}

export function coordinate(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(field, `${field} must be a finite number`);
  return v;
}

export function minutes(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_MINUTES) throw invalid('minutes', `minutes must be an integer from 1 to ${MAX_MINUTES}`);
  return v;
}

export function role(v: unknown): Role {
  if (!isRole(v)) throw invalid('role', `role must be one of ${ROLES.join(', ')}`);
  return v;
}

/** An IP address in its plain form. */
export function address(v: unknown): string {
  const ip = typeof v === 'string' && v.length <= 64 ? normaliseIp(v) : undefined;
  if (ip === undefined) throw invalid('address', 'address must be an IPv4 or IPv6 address');
  return ip;
}

export function usernameRef(v: unknown): string {
  if (typeof v !== 'string' || !/^[A-Za-z0-9_.-]{3,32}$/.test(v)) throw invalid('username', 'username must be 3-32 letters a-z, digits, _ . or -');
  return v.toLowerCase();
}

/** A zone name as the configuration allows them. */
export function zoneName(v: unknown, field = 'zone'): string {
  if (typeof v !== 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(v)) throw invalid(field, `${field} must be a zone name`);
  return v;
}

/** Exactly one of `fields` is present in `body`; returns its name. */
export function oneOf<K extends string>(body: Record<string, unknown>, fields: readonly K[]): K {
  const present = fields.filter((f) => body[f] !== undefined);
  if (present.length !== 1) throw invalid(fields[0]!, `give exactly one of ${fields.join(', ')}`);
  return present[0]!;
}

/** A query-string parameter: at most `max` characters, printable. */
export function query(v: string | null, field: string, max: number): string | undefined {
  if (v === null || v === '') return undefined;
  return text(v, field, max);
}

/** A query-string limit, 1..max, `dflt` when absent. */
export function limit(v: string | null, max: number, dflt: number): number {
  if (v === null || v === '') return dflt;
  if (!/^[1-9][0-9]{0,5}$/.test(v) || Number(v) > max) throw invalid('limit', `limit must be an integer from 1 to ${max}`);
  return Number(v);
}
