import { invalid } from './api-errors.ts';
import type { Appearance } from '../persistence/store.ts';
import type { AccountClass } from './classes.ts';

/**
 * Input rules of the account API. Each function takes the parsed JSON value
 * of one field and returns the clean value or throws a 422 naming the field.
 */

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const NAME_MIN = 3;
export const NAME_MAX = 16;


/** Inclusive upper bounds of the appearance fields; all start at 0. */
export const APPEARANCE_MAX: Appearance = { body: 3, hair: 7, color: 7 };

const USERNAME_RE = /^[a-z0-9_.-]+$/;
/** Control, format (zero-width, bidi overrides, BOM), separators, surrogates, private use, unassigned. */
const INVISIBLE_RE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/u;
/**
 * True when `s` holds a control or format character (zero-width, bidi
 * overrides and isolates, BOM), a line or paragraph separator, a lone
 * surrogate, private use or an unassigned code point: what character names
 * refuse, and chat too (src/main/chat/chat-text.ts).
 */
export function hasInvisibleCharacters(s: string): boolean {
  return INVISIBLE_RE.test(s);
}

/** A letter, then letters or combining marks (after NFC there are few marks left). */
const NAME_RE = /^\p{L}[\p{L}\p{M}]*$/u;

/** The body must be a JSON object. */
export function requireObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('body', 'body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** Usernames are ASCII, compared and stored lower-case. */
export function username(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw invalid('username', 'username is required (a string)');
  const u = v.toLowerCase();
  if (u.length < USERNAME_MIN || u.length > USERNAME_MAX || !USERNAME_RE.test(u)) {
    throw invalid('username', `username must be ${USERNAME_MIN}-${USERNAME_MAX} characters: letters a-z, digits, '_', '.' or '-'`);
  }
  return u;
}

/**
 * Passwords may hold any printable Unicode; they are NFC-normalised so the
 * same password typed on two keyboards (composed or decomposed accents)
 * matches. For login only presence and type are checked, so a rule change
 * never locks out an existing password.
 */
export function password(v: unknown, forLogin = false): string {
  if (typeof v !== 'string' || v.length === 0) throw invalid('password', 'password is required (a string)');
  const p = v.normalize('NFC');
  const len = [...p].length;
  if (len > PASSWORD_MAX) throw invalid('password', `password must be at most ${PASSWORD_MAX} characters`);
  if (forLogin) return p;
  if (len < PASSWORD_MIN) throw invalid('password', `password must be at least ${PASSWORD_MIN} characters`);
  if (/\p{Cc}/u.test(p)) throw invalid('password', 'password must not contain control characters');
  return p;
}

/** A character name as shown (NFC) and its uniqueness key (NFC, lower-case). */
export function characterName(v: unknown): { name: string; key: string } {
  if (typeof v !== 'string' || v.length === 0) throw invalid('name', 'name is required (a string)');
  if (hasInvisibleCharacters(v)) {
    throw invalid('name', 'name must not contain control, invisible or direction-changing characters');
  }
  const name = v.normalize('NFC');
  const len = [...name].length;
  if (len < NAME_MIN || len > NAME_MAX) throw invalid('name', `name must be ${NAME_MIN}-${NAME_MAX} characters`);
  if (!NAME_RE.test(name)) throw invalid('name', 'name must be letters only (any alphabet), starting with a letter');
  return { name, key: name.toLowerCase().normalize('NFC') };
}

/** A classId of one of `classes` (the content's: classes.ts). */
export function classId(v: unknown, classes: readonly AccountClass[]): number {
  const list = classes.map((c) => `${c.id} (${c.key})`).join(', ');
  if (v === undefined) throw invalid('classId', `classId is required: one of ${list}`);
  if (typeof v !== 'number' || !classes.some((c) => c.id === v)) throw invalid('classId', `classId must be one of ${list}`);
  return v;
}

export function appearance(v: unknown): Appearance {
  if (v === undefined) return { body: 0, hair: 0, color: 0 };
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid('appearance', 'appearance must be an object');
  const a = v as Record<string, unknown>;
  const out: Appearance = { body: 0, hair: 0, color: 0 };
  for (const k of Object.keys(a)) {
    if (!Object.hasOwn(APPEARANCE_MAX, k)) throw invalid(`appearance.${k}`, `appearance has no field ${JSON.stringify(k.slice(0, 32))}`);
  }
  for (const k of Object.keys(APPEARANCE_MAX) as (keyof Appearance)[]) {
    const x = a[k];
    if (x === undefined) continue;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > APPEARANCE_MAX[k]) {
      throw invalid(`appearance.${k}`, `appearance.${k} must be an integer 0-${APPEARANCE_MAX[k]}`);
    }
    out[k] = x;
  }
  return out;
}

/** A character id from the URL path: a positive int4, else undefined (404). */
export function pathId(s: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 0x7fffffff ? n : undefined;
}
