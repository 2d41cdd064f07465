import type { Queryable } from '../persistence/db.ts';

/**
 * The SQL of bans and mutes (migrations/004_admin.sql). Times are ms since
 * the epoch as float8 (pg and PGlite parse bigint apart); a ban's until of
 * null is for good.
 */

export interface BanRow {
  id: number;
  /** The banned account, or null for an address ban. */
  accountId: number | null;
  /** Its username, when an account is banned. */
  username: string | null;
  /** The banned address key (IPv4, or an IPv6 /64), or null for an account ban. */
  address: string | null;
  reason: string;
  /** ms since the epoch, or null: for good. */
  untilMs: number | null;
  createdBy: string | null;
  createdAt: string;
}

export interface MuteRow {
  characterId: number;
  name: string;
  untilMs: number;
  reason: string;
}

const BAN_COLS = `b.id, b.account_id AS "accountId", a.username, b.address, b.reason, b.until_ms::float8 AS "untilMs",
  c.username AS "createdBy", to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt"`;

/** Bans not lifted and not expired at `nowMs`. */
export async function liveBans(db: Queryable, nowMs: number): Promise<BanRow[]> {
  return db.query<BanRow>(
    `SELECT ${BAN_COLS} FROM bans b LEFT JOIN accounts a ON a.id = b.account_id LEFT JOIN accounts c ON c.id = b.created_by
     WHERE b.lifted_at IS NULL AND (b.until_ms IS NULL OR b.until_ms > $1) ORDER BY b.id`,
    [nowMs],
  );
}

export async function insertBan(
  db: Queryable,
  b: { accountId: number | null; address: string | null; reason: string; untilMs: number | null; createdBy: number | null },
): Promise<BanRow> {
  const [row] = await db.query<{ id: number }>(
    'INSERT INTO bans (account_id, address, reason, until_ms, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [b.accountId, b.address, b.reason, b.untilMs, b.createdBy],
  );
  const [full] = await db.query<BanRow>(
    `SELECT ${BAN_COLS} FROM bans b LEFT JOIN accounts a ON a.id = b.account_id LEFT JOIN accounts c ON c.id = b.created_by WHERE b.id = $1`,
    [row!.id],
  );
  return full!;
}

/** Lifts a ban in force; false when there is none with that id (or it was already lifted). */
export async function liftBan(db: Queryable, id: number, by: number): Promise<BanRow | undefined> {
  const rows = await db.query<{ id: number }>('UPDATE bans SET lifted_at = now(), lifted_by = $2 WHERE id = $1 AND lifted_at IS NULL RETURNING id', [id, by]);
  if (rows.length === 0) return undefined;
  const [full] = await db.query<BanRow>(
    `SELECT ${BAN_COLS} FROM bans b LEFT JOIN accounts a ON a.id = b.account_id LEFT JOIN accounts c ON c.id = b.created_by WHERE b.id = $1`,
    [id],
  );
  return full;
}

/** Mutes in force at `nowMs`. */
export async function liveMutes(db: Queryable, nowMs: number): Promise<MuteRow[]> {
  return db.query<MuteRow>(
    `SELECT m.character_id AS "characterId", ch.name, m.until_ms::float8 AS "untilMs", m.reason
     FROM mutes m JOIN characters ch ON ch.id = m.character_id WHERE m.until_ms > $1 ORDER BY m.until_ms`,
    [nowMs],
  );
}

/** Mutes a character until `untilMs` (replacing an older mute); false when the character does not exist. */
export async function upsertMute(db: Queryable, characterId: number, untilMs: number, reason: string, by: number): Promise<boolean> {
  const rows = await db.query<{ characterId: number }>(
    `INSERT INTO mutes (character_id, until_ms, reason, created_by)
     SELECT id, $2, $3, $4 FROM characters WHERE id = $1
     ON CONFLICT (character_id) DO UPDATE SET until_ms = EXCLUDED.until_ms, reason = EXCLUDED.reason, created_by = EXCLUDED.created_by, created_at = now()
     RETURNING character_id AS "characterId"`,
    [characterId, untilMs, reason, by],
  );
  return rows.length > 0;
}

export async function deleteMute(db: Queryable, characterId: number): Promise<boolean> {
  const rows = await db.query<{ characterId: number }>('DELETE FROM mutes WHERE character_id = $1 RETURNING character_id AS "characterId"', [characterId]);
  return rows.length > 0;
}
