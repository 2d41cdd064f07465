import type { Db, Queryable } from './db.ts';
import type { SaveEntry } from './save-queue.ts';

/**
 * Every SQL statement of accounts and characters, so both drivers run the
 * same text. Integers come back as int4 (ids) or are cast (::float8 for the
 * bigint stamp, ::int for counts) because pg and PGlite parse int8 apart.
 */

export interface AccountRow {
  id: number;
  passwordHash: string;
}

export interface Appearance {
  body: number;
  hair: number;
  color: number;
}

/** A character as the API lists it. */
export interface CharacterSummary {
  id: number;
  name: string;
  classId: number;
  appearance: Appearance;
  level: number;
  zone: string;
  createdAt: string;
}

/** A character as entering the world needs it. */
export interface CharacterRow {
  id: number;
  accountId: number;
  name: string;
  classId: number;
  zone: string;
  x: number;
  y: number;
  hp: number;
  level: number;
  xp: number;
  /** The highest experience_owed seq the saved xp includes (migrations/007). */
  rewardSeq: number;
  stateAtMs: number;
}

export interface NewCharacter {
  accountId: number;
  name: string;
  nameKey: string;
  classId: number;
  appearance: Appearance;
  zone: string;
  x: number;
  y: number;
  hp: number;
}

/** Inserts an account; a taken username surfaces as the driver's unique-violation error. */
export async function insertAccount(db: Queryable, username: string, passwordHash: string): Promise<number> {
  const rows = await db.query<{ id: number }>(
    'INSERT INTO accounts (username, password_hash) VALUES ($1, $2) RETURNING id',
    [username, passwordHash],
  );
  return rows[0]!.id;
}

export async function findAccount(db: Queryable, username: string): Promise<AccountRow | undefined> {
  const rows = await db.query<AccountRow>('SELECT id, password_hash AS "passwordHash" FROM accounts WHERE username = $1', [username]);
  return rows[0];
}

export async function findAccountById(db: Queryable, accountId: number): Promise<AccountRow | undefined> {
  const rows = await db.query<AccountRow>('SELECT id, password_hash AS "passwordHash" FROM accounts WHERE id = $1', [accountId]);
  return rows[0];
}

/** Replaces an account's password hash; false when the account is gone. */
export async function updatePassword(db: Queryable, accountId: number, passwordHash: string): Promise<boolean> {
  const rows = await db.query<{ id: number }>('UPDATE accounts SET password_hash = $2 WHERE id = $1 RETURNING id', [accountId, passwordHash]);
  return rows.length > 0;
}

export async function touchLogin(db: Queryable, accountId: number): Promise<void> {
  await db.query('UPDATE accounts SET last_login_at = now() WHERE id = $1', [accountId]);
}

const SUMMARY_COLS = `id, name, class_id AS "classId", appearance, level, zone,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt"`;

export async function listCharacters(db: Queryable, accountId: number): Promise<CharacterSummary[]> {
  return db.query<CharacterSummary>(`SELECT ${SUMMARY_COLS} FROM characters WHERE account_id = $1 ORDER BY id`, [accountId]);
}

/**
 * Creates a character unless the account already has `limit`. The account
 * row is locked for the count-and-insert, so two concurrent creates cannot
 * both squeeze under the limit. Returns undefined when at the limit.
 */
export async function insertCharacter(db: Db, c: NewCharacter, limit: number): Promise<CharacterSummary | undefined> {
  return db.tx(async (q) => {
    await q.query('SELECT id FROM accounts WHERE id = $1 FOR UPDATE', [c.accountId]);
    const [{ n }] = (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM characters WHERE account_id = $1', [c.accountId])) as [{ n: number }];
    if (n >= limit) return undefined;
    const rows = await q.query<CharacterSummary>(
      `INSERT INTO characters (account_id, name, name_key, class_id, appearance, zone, x, y, hp, state_at_ms)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, 0) RETURNING ${SUMMARY_COLS}`,
      [c.accountId, c.name, c.nameKey, c.classId, JSON.stringify(c.appearance), c.zone, c.x, c.y, c.hp],
    );
    return rows[0];
  });
}

/** Deletes the account's character; false when there is no such character of that account. */
export async function deleteCharacter(db: Queryable, accountId: number, characterId: number): Promise<boolean> {
  const rows = await db.query<{ id: number }>('DELETE FROM characters WHERE id = $1 AND account_id = $2 RETURNING id', [characterId, accountId]);
  return rows.length > 0;
}

export async function loadCharacter(db: Queryable, characterId: number): Promise<CharacterRow | undefined> {
  const rows = await db.query<CharacterRow>(
    `SELECT id, account_id AS "accountId", name, class_id AS "classId", zone, x, y, hp, level, xp::float8 AS xp,
            reward_seq::float8 AS "rewardSeq", state_at_ms::float8 AS "stateAtMs"
     FROM characters WHERE id = $1`,
    [characterId],
  );
  return rows[0];
}

/**
 * Writes a batch of live states (the caller runs it in one transaction). A
 * row only changes when the entry is newer than what it holds, so a retried
 * old batch can never overwrite a newer save. A deleted character is
 * skipped. The experience and the stored rewards it includes (reward_seq)
 * are written together, in the one statement; the rewards owed at or below
 * a row's reward_seq are then paid, and their rows go (cleanup only: a row
 * at or below reward_seq is never paid again, whether it is there or not).
 */
export async function saveStates(db: Queryable, batch: readonly SaveEntry[]): Promise<number> {
  if (batch.length === 0) return 0;
  const rows = await db.query<{ id: number }>(
    `UPDATE characters AS c
        SET zone = v.zone, x = v.x, y = v.y, hp = v.hp, level = COALESCE(v.level, c.level), xp = COALESCE(v.xp, c.xp),
            reward_seq = CASE WHEN v.xp IS NULL THEN c.reward_seq ELSE COALESCE(v.reward_seq, c.reward_seq) END,
            state_at_ms = v.at, saved_at = now()
       FROM (SELECT * FROM unnest($1::int[], $2::text[], $3::float8[], $4::float8[], $5::int[], $6::bigint[], $7::int[], $8::bigint[], $9::bigint[])
               AS t(id, zone, x, y, hp, at, level, xp, reward_seq)) AS v
      WHERE c.id = v.id AND c.state_at_ms < v.at
      RETURNING c.id`,
    [
      batch.map((e) => e.characterId),
      batch.map((e) => e.state.zone),
      batch.map((e) => e.state.x),
      batch.map((e) => e.state.y),
      batch.map((e) => Math.round(e.state.hp)),
      batch.map((e) => Math.round(e.at)),
      // A state without level and experience (before combat knew them) keeps the row's.
      batch.map((e) => (e.state.level === undefined ? null : Math.round(e.state.level))),
      batch.map((e) => (e.state.xp === undefined ? null : Math.round(e.state.xp))),
      batch.map((e) => (e.state.rewardSeq === undefined ? null : Math.round(e.state.rewardSeq))),
    ],
  );
  if (rows.length > 0) {
    await db.query(
      `DELETE FROM experience_owed AS o USING characters AS c
        WHERE c.id = ANY($1::int[]) AND o.character_id = c.id AND o.seq <= c.reward_seq`,
      [rows.map((r) => r.id)],
    );
  }
  return rows.length;
}
