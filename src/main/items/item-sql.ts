/**
 * The SQL of items: rows of item_instances locked, written and removed, and
 * the ledgers appended, always on the transaction's Queryable. ids are
 * bigint in the database and come back as float8 (both drivers parse int8
 * apart; 2⁵³ ids are enough).
 */
import type { Queryable } from '../persistence/db.ts';
import type { ContainerName } from '../../protocol/item-codes.ts';

/** One item instance as stored. */
export interface ItemRow {
  id: number;
  template: string;
  count: number;
  ownerId: number;
  container: ContainerName;
  slot: number;
  version: number;
}

/** Where an item lies. */
export interface Place {
  owner: number;
  container: ContainerName;
  slot: number;
}

export type LedgerKind = 'created' | 'moved' | 'split' | 'merged' | 'destroyed';

export interface LedgerEntry {
  itemId: number;
  otherId?: number;
  kind: LedgerKind;
  from?: Place;
  to?: Place;
  count: number;
  reason: string;
  tick: number;
}

const COLS = `id::float8 AS id, template, count, owner_id AS "ownerId", container, slot, version`;

export const placeOf = (r: ItemRow): Place => ({ owner: r.ownerId, container: r.container, slot: r.slot });

/** The character's gold, its row locked for the transaction (every item operation of a character goes one at a time); undefined when there is no such character. */
export async function lockCharacter(q: Queryable, characterId: number): Promise<number | undefined> {
  const rows = await q.query<{ gold: number }>('SELECT gold::float8 AS gold FROM characters WHERE id = $1 FOR UPDATE', [characterId]);
  return rows[0]?.gold;
}

/** The item, locked for the transaction. */
export async function lockItem(q: Queryable, id: number): Promise<ItemRow | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const rows = await q.query<ItemRow>(`SELECT ${COLS} FROM item_instances WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

/** Every bag and equipment item of the character (ground items excluded), locked. */
export async function lockCarried(q: Queryable, characterId: number): Promise<ItemRow[]> {
  return q.query<ItemRow>(`SELECT ${COLS} FROM item_instances WHERE owner_id = $1 AND container <> 'ground' ORDER BY container, slot FOR UPDATE`, [characterId]);
}

export async function insertItem(q: Queryable, template: string, count: number, at: Place): Promise<ItemRow> {
  const rows = await q.query<ItemRow>(
    `INSERT INTO item_instances (template, count, owner_id, container, slot) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLS}`,
    [template, count, at.owner, at.container, at.slot],
  );
  return rows[0]!;
}

/** Moves and recounts an item, bumping its version; the version it was read at must still hold. */
export async function updateItem(q: Queryable, r: ItemRow, count: number, at: Place): Promise<ItemRow> {
  const rows = await q.query<ItemRow>(
    `UPDATE item_instances SET count = $2, owner_id = $3, container = $4, slot = $5, version = version + 1
      WHERE id = $1 AND version = $6 RETURNING ${COLS}`,
    [r.id, count, at.owner, at.container, at.slot, r.version],
  );
  if (!rows[0]) throw new Error(`item ${r.id} changed under its row lock`);
  return rows[0];
}

export async function deleteItem(q: Queryable, r: ItemRow): Promise<void> {
  const rows = await q.query<{ id: number }>('DELETE FROM item_instances WHERE id = $1 AND version = $2 RETURNING id::float8 AS id', [r.id, r.version]);
  if (!rows[0]) throw new Error(`item ${r.id} changed under its row lock`);
}

export async function appendLedger(q: Queryable, entries: readonly LedgerEntry[]): Promise<void> {
  for (const e of entries) {
    await q.query(
      `INSERT INTO item_ledger (item_id, other_id, kind, from_owner, from_container, from_slot, to_owner, to_container, to_slot, count, reason, tick)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [e.itemId, e.otherId ?? null, e.kind, e.from?.owner ?? null, e.from?.container ?? null, e.from?.slot ?? null, e.to?.owner ?? null, e.to?.container ?? null, e.to?.slot ?? null, e.count, e.reason, Math.max(0, Math.floor(e.tick))],
    );
  }
}

/** Adds delta to the character's gold and records it; the caller checked the result stays ≥ 0. */
export async function changeGold(q: Queryable, characterId: number, delta: number, reason: string, tick: number): Promise<number> {
  const rows = await q.query<{ gold: number }>('UPDATE characters SET gold = gold + $2 WHERE id = $1 RETURNING gold::float8 AS gold', [characterId, delta]);
  await q.query('INSERT INTO gold_ledger (character_id, delta, reason, tick) VALUES ($1, $2, $3, $4)', [characterId, delta, reason, Math.max(0, Math.floor(tick))]);
  return rows[0]!.gold;
}

/**
 * Up to `limit` ground items that nothing has touched for `idleMs` (no ledger
 * row since), locked; rows another transaction holds are skipped.
 */
export async function lockIdleGround(q: Queryable, idleMs: number, limit: number): Promise<ItemRow[]> {
  return q.query<ItemRow>(
    `SELECT ${COLS} FROM item_instances i
      WHERE container = 'ground'
        AND NOT EXISTS (SELECT 1 FROM item_ledger l WHERE l.item_id = i.id AND l.at > now() - $1::float8 * interval '1 millisecond')
      ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [idleMs, limit],
  );
}
