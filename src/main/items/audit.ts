/**
 * The item audit (`npm run audit:items`): every live item instance lies in
 * exactly one valid place (a bag slot, an equipment slot its template fits,
 * or the ground), holds a count its template allows, and the item ledger,
 * replayed from the first row, arrives at exactly the live instances; every
 * character's gold is the sum of its gold ledger. Read-only.
 */
import type { Queryable } from '../persistence/db.ts';
import { BAG_SLOTS } from '../../protocol/item-codes.ts';
import { EQUIP_SLOT_COUNT, type ItemCatalogue } from './catalogue.ts';
import type { ItemRow } from './item-sql.ts';

export interface AuditReport {
  items: number;
  ledgerRows: number;
  characters: number;
  /** What is wrong, one line each (at most MAX_PROBLEMS); empty when the audit balances. */
  problems: string[];
}

const MAX_PROBLEMS = 50;

interface LedgerRow {
  seq: number;
  itemId: number;
  otherId: number | null;
  kind: string;
  fromOwner: number | null;
  fromContainer: string | null;
  fromSlot: number | null;
  toOwner: number | null;
  toContainer: string | null;
  toSlot: number | null;
  count: number;
}

interface Replayed {
  owner: number;
  container: string;
  slot: number;
  count: number;
}

/** Runs the audit on q (ideally one transaction, so the tables are read at one moment). */
export async function auditItems(q: Queryable, catalogue: ItemCatalogue): Promise<AuditReport> {
  const problems: string[] = [];
  const say = (p: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const live = await q.query<ItemRow>(`SELECT id::float8 AS id, template, count, owner_id AS "ownerId", container, slot, version FROM item_instances ORDER BY id`);
  const ledger = await q.query<LedgerRow>(
    `SELECT seq::float8 AS seq, item_id::float8 AS "itemId", other_id::float8 AS "otherId", kind, from_owner AS "fromOwner", from_container AS "fromContainer",
            from_slot AS "fromSlot", to_owner AS "toOwner", to_container AS "toContainer", to_slot AS "toSlot", count FROM item_ledger ORDER BY seq`,
  );
  const chars = await q.query<{ id: number; gold: number; ledger: number }>(
    `SELECT c.id, c.gold::float8 AS gold, COALESCE((SELECT sum(delta) FROM gold_ledger g WHERE g.character_id = c.id), 0)::float8 AS ledger FROM characters c`,
  );
  const exists = new Set(chars.map((c) => c.id));

  // Places: valid, and one item each.
  const places = new Map<string, number>();
  for (const r of live) {
    const t = catalogue.get(r.template);
    const name = `item ${r.id} (${r.template} x${r.count})`;
    if (!t) say(`${name}: template not in the content`);
    else if (r.count > t.stackSize) say(`${name}: count over the stack size ${t.stackSize}`);
    if (r.count < 1) say(`${name}: count below 1`);
    if (r.container === 'bag' && (r.slot < 0 || r.slot >= BAG_SLOTS)) say(`${name}: bag slot ${r.slot} out of 0-${BAG_SLOTS - 1}`);
    if (r.container === 'equipment' && (r.slot < 0 || r.slot >= EQUIP_SLOT_COUNT || (t && t.equipSlot !== r.slot))) say(`${name}: in equipment slot ${r.slot}, which it does not fit`);
    if (r.container === 'ground' && r.slot !== 0) say(`${name}: on the ground with slot ${r.slot}`);
    if (r.container === 'ground') continue;
    const key = `${r.ownerId}/${r.container}/${r.slot}`;
    const other = places.get(key);
    if (other !== undefined) say(`${name}: shares ${key} with item ${other}`);
    places.set(key, r.id);
  }

  // Replay.
  const items = new Map<number, Replayed>();
  const at = (row: LedgerRow, id: number, side: 'from' | 'to'): Replayed | undefined => {
    const it = items.get(id);
    const owner = side === 'from' ? row.fromOwner : row.toOwner;
    const container = side === 'from' ? row.fromContainer : row.toContainer;
    const slot = side === 'from' ? row.fromSlot : row.toSlot;
    if (!it) return void say(`ledger ${row.seq} (${row.kind} of item ${id}): the item does not exist at that point`);
    if (it.owner !== owner || it.container !== container || it.slot !== slot) {
      return void say(`ledger ${row.seq} (${row.kind} of item ${id}): the item is at ${it.owner}/${it.container}/${it.slot}, the ledger says ${owner}/${container}/${slot}`);
    }
    return it;
  };
  const take = (row: LedgerRow, id: number, it: Replayed, n: number): void => {
    if (it.count < n) say(`ledger ${row.seq} (${row.kind} of item ${id}): takes ${n} of ${it.count}`);
    it.count -= n;
    if (it.count <= 0) items.delete(id);
  };
  const place = (row: LedgerRow, n: number): Replayed => ({ owner: row.toOwner ?? -1, container: row.toContainer ?? '?', slot: row.toSlot ?? -1, count: n });
  for (const row of ledger) {
    switch (row.kind) {
      case 'created': {
        const it = items.get(row.itemId);
        if (!it) items.set(row.itemId, place(row, row.count));
        else if (at(row, row.itemId, 'to')) it.count += row.count;
        break;
      }
      case 'moved': {
        const it = at(row, row.itemId, 'from');
        if (!it) break;
        if (it.count !== row.count) say(`ledger ${row.seq} (moved item ${row.itemId}): moves ${row.count}, the item holds ${it.count}`);
        items.set(row.itemId, place(row, it.count));
        break;
      }
      case 'split': {
        if (items.has(row.itemId)) say(`ledger ${row.seq} (split into item ${row.itemId}): the new item already exists`);
        const src = row.otherId === null ? undefined : at(row, row.otherId, 'from');
        if (src) take(row, row.otherId!, src, row.count);
        items.set(row.itemId, place(row, row.count));
        break;
      }
      case 'merged': {
        const src = at(row, row.itemId, 'from');
        const into = row.otherId === null ? undefined : at(row, row.otherId, 'to');
        if (src) take(row, row.itemId, src, row.count);
        if (into) into.count += row.count;
        break;
      }
      case 'destroyed': {
        const it = at(row, row.itemId, 'from');
        if (it) take(row, row.itemId, it, row.count);
        break;
      }
      default:
        say(`ledger ${row.seq}: unknown kind ${row.kind}`);
    }
  }
  const liveById = new Map(live.map((r) => [r.id, r]));
  for (const [id, it] of items) {
    // Items of a deleted character went with it (ON DELETE CASCADE), without ledger rows.
    if (!exists.has(it.owner)) continue;
    const r = liveById.get(id);
    if (!r) say(`item ${id}: the ledger says it is at ${it.owner}/${it.container}/${it.slot} x${it.count}, it does not exist`);
    else if (r.ownerId !== it.owner || r.container !== it.container || r.slot !== it.slot || r.count !== it.count) {
      say(`item ${id}: at ${r.ownerId}/${r.container}/${r.slot} x${r.count}, the ledger says ${it.owner}/${it.container}/${it.slot} x${it.count}`);
    }
  }
  for (const r of live) if (!items.has(r.id)) say(`item ${r.id} (${r.template}): exists, the ledger never created it or says it is gone`);

  for (const c of chars) if (c.gold !== c.ledger) say(`character ${c.id}: ${c.gold} gold, the gold ledger adds up to ${c.ledger}`);
  return { items: live.length, ledgerRows: ledger.length, characters: chars.length, problems };
}
