import type { Queryable } from '../persistence/db.ts';
import type { Role } from './roles.ts';

/**
 * The SQL of roles, look-ups by name and the audit log
 * (migrations/004_admin.sql). Names are matched case-insensitively, as
 * prefixes, with LIKE's wildcards escaped.
 */

export interface AccountWithRole {
  id: number;
  username: string;
  role: Role;
}

export interface FoundCharacter {
  id: number;
  name: string;
  accountId: number;
  username: string;
  level: number;
  zone: string;
  x: number;
  y: number;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  reason: string;
  detail: Record<string, unknown>;
}

export interface AuditEntry {
  /** The acting account; null for the command line. */
  actorId: number | null;
  actor: string;
  action: string;
  target: string;
  reason: string;
  detail?: Record<string, unknown>;
}

export async function roleOf(db: Queryable, accountId: number): Promise<AccountWithRole | undefined> {
  const rows = await db.query<AccountWithRole>('SELECT id, username, role FROM accounts WHERE id = $1', [accountId]);
  return rows[0];
}

/** Sets an account's role by username; undefined when there is no such account. */
export async function setRole(db: Queryable, username: string, role: Role): Promise<AccountWithRole | undefined> {
  const rows = await db.query<AccountWithRole>('UPDATE accounts SET role = $2 WHERE username = $1 RETURNING id, username, role', [username.toLowerCase(), role]);
  return rows[0];
}

/** Accounts with a role above player. */
export async function listStaff(db: Queryable): Promise<AccountWithRole[]> {
  return db.query<AccountWithRole>("SELECT id, username, role FROM accounts WHERE role <> 'player' ORDER BY role, username");
}

function prefixPattern(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export async function findAccounts(db: Queryable, prefix: string, limit: number): Promise<AccountWithRole[]> {
  return db.query<AccountWithRole>('SELECT id, username, role FROM accounts WHERE username LIKE $1 ORDER BY username LIMIT $2', [prefixPattern(prefix), limit]);
}

const CHARACTER_COLS = `ch.id, ch.name, ch.account_id AS "accountId", a.username, ch.level, ch.zone, ch.x, ch.y`;

export async function findCharacters(db: Queryable, prefix: string, limit: number): Promise<FoundCharacter[]> {
  return db.query<FoundCharacter>(
    `SELECT ${CHARACTER_COLS} FROM characters ch JOIN accounts a ON a.id = ch.account_id WHERE ch.name_key LIKE $1 ORDER BY ch.name_key LIMIT $2`,
    [prefixPattern(prefix.normalize('NFC')), limit],
  );
}

export async function characterById(db: Queryable, id: number): Promise<FoundCharacter | undefined> {
  const rows = await db.query<FoundCharacter>(`SELECT ${CHARACTER_COLS} FROM characters ch JOIN accounts a ON a.id = ch.account_id WHERE ch.id = $1`, [id]);
  return rows[0];
}

export async function accountById(db: Queryable, id: number): Promise<AccountWithRole | undefined> {
  return roleOf(db, id);
}

export async function writeAudit(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query('INSERT INTO admin_audit (actor_id, actor, action, target, reason, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
    e.actorId,
    e.actor,
    e.action,
    e.target,
    e.reason,
    JSON.stringify(e.detail ?? {}),
  ]);
}

/** The newest audit rows, newest first; `before` pages back. */
export async function listAudit(db: Queryable, limit: number, before?: number): Promise<AuditRow[]> {
  return db.query<AuditRow>(
    `SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, action, target, reason, detail
     FROM admin_audit WHERE ($2::int IS NULL OR id < $2) ORDER BY id DESC LIMIT $1`,
    [limit, before ?? null],
  );
}

export async function auditCount(db: Queryable): Promise<number> {
  const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM admin_audit');
  return r!.n;
}
