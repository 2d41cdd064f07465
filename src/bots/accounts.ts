/**
 * The bots' way in through the real HTTP API (docs/api.md, issue 3):
 * register, log in for a session token, create a character. Each step is
 * retried on 429/503 with the server's Retry-After (login storms are rate
 * limited on purpose), and a failure is reported with the step's name so the
 * load report can count failures by reason.
 */

export interface Credentials {
  token: string;
  characterId: number;
}

/** A failed step, e.g. `register: 500` or `login: fetch failed`. */
export class LoginError extends Error {
  override name = 'LoginError';
  readonly reason: string;
  constructor(step: string, detail: string) {
    super(`${step}: ${detail}`);
    this.reason = `${step}_${detail.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 40)}`;
  }
}

const MAX_ATTEMPTS = 6;
/** Longest Retry-After the bots wait for. */
const MAX_WAIT_S = 30;

async function call(base: string, step: string, method: string, path: string, body: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      if (attempt < MAX_ATTEMPTS) {
        await sleep(200 * attempt);
        continue;
      }
      throw new LoginError(step, (err as Error).name === 'TimeoutError' ? 'timeout' : 'network');
    }
    const text = await res.text();
    if ((res.status === 429 || res.status === 503) && attempt < MAX_ATTEMPTS) {
      const after = Number(res.headers.get('retry-after'));
      // A limit that resets within seconds (hashing queue, login window) is waited out; an hourly one is a failure to report.
      if (!(Number.isFinite(after) && after > MAX_WAIT_S)) {
        await sleep(Number.isFinite(after) && after > 0 ? after * 1000 : 250 * 2 ** attempt);
        continue;
      }
    }
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // a non-JSON body is reported by status below
    }
    return { status: res.status, json };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Registers `username` (a 409 means it exists from an earlier run, which is
 * fine), logs in and creates a character named `characterName` of class
 * `classId` (by default one picked from the name's length, for variety; it
 * must be one the server's content has); returns what the WebSocket HELLO
 * needs.
 */
export async function loginBot(base: string, username: string, password: string, characterName: string, classId = 1 + (characterName.length % 4)): Promise<Credentials> {
  const reg = await call(base, 'register', 'POST', '/api/accounts', { username, password });
  if (reg.status !== 201 && reg.status !== 200 && reg.status !== 409) throw new LoginError('register', String(reg.status));
  const ses = await call(base, 'login', 'POST', '/api/sessions', { username, password });
  if (ses.status !== 201 && ses.status !== 200) throw new LoginError('login', String(ses.status));
  const token = ses.json.token;
  if (typeof token !== 'string' || token === '') throw new LoginError('login', 'no_token');
  const ch = await call(base, 'character', 'POST', '/api/characters', { name: characterName, classId }, token);
  if (ch.status === 409) {
    // The name is taken by this account in an earlier run: use that character.
    const list = await call(base, 'character', 'GET', '/api/characters', undefined, token);
    const found = findCharacter(list.json, characterName);
    if (found !== null) return { token, characterId: found };
  }
  if (ch.status !== 201 && ch.status !== 200) throw new LoginError('character', String(ch.status));
  const id = Number((ch.json.character as Record<string, unknown> | undefined)?.id ?? ch.json.id);
  if (!Number.isInteger(id) || id <= 0) throw new LoginError('character', 'no_id');
  return { token, characterId: id };
}

function findCharacter(json: Record<string, unknown>, name: string): number | null {
  const list = (Array.isArray(json) ? json : (json.characters ?? json.items)) as unknown;
  if (!Array.isArray(list)) return null;
  for (const c of list as Record<string, unknown>[]) {
    if (c && c.name === name && Number.isInteger(Number(c.id))) return Number(c.id);
  }
  return null;
}

/**
 * A character name for bot `index` of a run: names are letters only (3–16,
 * unique over the server), so the run's prefix and the index are spelled in
 * letters: digits of the prefix become a–j, the index is base 26.
 */
export function characterNameFor(prefix: string, index: number): string {
  const tag = prefix
    .toLowerCase()
    .replace(/[0-9]/g, (d) => String.fromCharCode(97 + Number(d)))
    .replace(/[^a-z]/g, '')
    .slice(0, 10);
  let n = index;
  let suffix = '';
  do {
    suffix = String.fromCharCode(97 + (n % 26)) + suffix;
    n = Math.floor(n / 26);
  } while (n > 0);
  const name = `${tag || 'bot'}${suffix}`;
  return name.length >= 3 ? name.slice(0, 16) : name.padEnd(3, 'a');
}
