import type { PasswordHasher } from './hash.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { SessionStore } from './sessions.ts';
import type { AccountClass } from './classes.ts';
import type { Db } from '../persistence/db.ts';
import type { Tuning } from '../tuning.ts';

/* What the account API's routes (api.ts, session-routes.ts) are built on. */

/** Login latency for the metrics. */
export interface AccountTimings {
  /** One login attempt answered, in seconds. */
  login(result: 'ok' | 'failed', seconds: number): void;
}

/** What the account API needs; openAccounts builds it. */
export interface ApiDeps {
  db: Db;
  sessions: SessionStore;
  limiter: RateLimiter;
  hasher: PasswordHasher;
  tuning: Tuning;
  counters: { loginsOk: number; loginsFailed: number };
  /** Login latency for the metrics. */
  timings?: AccountTimings;
  /** Told when a character is deleted, so its pending saves and checkpoint go too. */
  onCharacterDeleted: (characterId: number) => void;
  /** Largest request body read (HTTP_MAX_BODY_BYTES); MAX_BODY_BYTES otherwise. */
  maxBodyBytes?: number;
  /** Told when every session of an account was revoked (logout everywhere, a password change), with its characters, so the gate closes them. */
  onSessionsRevoked?: (accountId: number, characterIds: number[]) => void;
  /** The classes a character may be created with: the content's (classes.ts). */
  classes: readonly AccountClass[];
  /** Why an account or address may not log in (moderation/bans.ts); nobody is banned when left out. */
  bans?: BanCheck;
}

/** Why an account or address may not enter, or undefined. */
export interface BanCheck {
  refusal(accountId: number, address: string): string | undefined;
}
