/**
 * The admin API's item routes: an admin grants a character items, or takes
 * them away, through the item ledger (ItemStore: one transaction, the
 * ledger row and the audit row in it, so a refused or failed change leaves
 * neither). A character in the world is told at once, through the item
 * service (its INVENTORY frame, its cell's gear, its quests' bag counts);
 * one offline finds the change at its next login.
 */
import { ApiError, invalid } from '../accounts/api-errors.ts';
import { sendJson, svc } from '../accounts/api.ts';
import { pathId } from '../accounts/validate.ts';
import type { Connection } from '../gate/connection.ts';
import type { ItemCatalogue, ItemTemplate } from '../items/catalogue.ts';
import type { ItemResult, ItemRow } from '../items/item-store.ts';
import type { Db, Queryable } from '../persistence/db.ts';
import { ItemReason } from '../../protocol/item-codes.ts';
import type { AdminRequest, AdminRoute } from './admin-api.ts';
import type { AdminWorld } from './admin-world.ts';
import * as store from './admin-store.ts';
import * as v from './admin-validate.ts';

/** Most items one grant or removal moves (a bag holds far fewer of most things). */
export const MAX_ITEM_COUNT = 1000;

export interface ItemRoutesDeps {
  db: Db;
  world: () => AdminWorld;
  audited?: (action: string) => void;
}

/** A row as the console shows it. */
export interface ItemView {
  id: number;
  item: string;
  count: number;
  container: string;
  slot: number;
}

const view = (r: ItemRow): ItemView => ({ id: r.id, item: r.template, count: r.count, container: r.container, slot: r.slot });

/** The content's item template a body names, or a 422 naming `item`. */
export function itemOf(catalogue: ItemCatalogue, raw: unknown): ItemTemplate {
  if (typeof raw !== 'string' || !/^[a-z][a-z0-9_.-]{0,63}$/.test(raw)) throw invalid('item', 'item must be an item id of the content (item.something)');
  const t = catalogue.get(raw);
  if (!t) throw invalid('item', `no item ${raw} in the content`);
  return t;
}

export function itemCount(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_ITEM_COUNT) throw invalid('count', `count must be an integer from 1 to ${MAX_ITEM_COUNT}`);
  return raw;
}

/** What a refused ledger change answers. */
function refusal(res: Extract<ItemResult, { ok: false }>): ApiError {
  switch (res.reason) {
    case ItemReason.BAG_FULL:
      return new ApiError('bag_full', `${res.message}; nothing was given`);
    case ItemReason.BAD_COUNT:
      return new ApiError('not_enough_items', `${res.message}; nothing was taken`);
    case ItemReason.NO_CHARACTER:
      return new ApiError('not_found', 'no such character');
    case ItemReason.VERSION_CONFLICT:
      return new ApiError('unavailable', 'the character\'s items changed at the same moment; try again', { retryAfterS: 1 });
    default:
      return new ApiError('unavailable', `the item change could not be saved: ${res.message}`, { retryAfterS: 5 });
  }
}

export function itemRoutes(d: ItemRoutesDeps): AdminRoute[] {
  const ledger = (w: AdminWorld) => {
    if (!w.items) throw new ApiError('unavailable', 'this server keeps no items (it runs without a database or without content)');
    return w.items;
  };
  const characterOf = async (r: AdminRequest) => {
    const id = pathId(r.arg);
    const ch = id === undefined ? undefined : await svc(store.characterById(d.db, id), 'database');
    if (!ch) throw new ApiError('not_found', 'no such character');
    return ch;
  };
  /** The connection playing the character, when it is in the world (its inventory loaded and shown). */
  const playing = (w: AdminWorld, characterId: number): Connection | undefined => {
    const c = w.op.byCharacter(characterId);
    return c && c.phase === 'playing' ? c : undefined;
  };

  /** A grant or a removal: checked whole, then one ledger transaction with its audit row. */
  const change = (action: 'item.grant' | 'item.remove'): AdminRoute['run'] =>
    async function run(r) {
      const body = await r.body();
      const why = v.reason(body.reason);
      const w = d.world();
      const items = ledger(w);
      const t = itemOf(items.store.catalogue, body.item);
      const count = itemCount(body.count);
      const ch = await characterOf(r);
      const c = playing(w, ch.id);
      // The ledger's reason says who and why (item_ledger.reason, gold_ledger.reason).
      const because = `admin:${r.me.username}: ${why}`;
      const audit = (q: Queryable) =>
        store.writeAudit(q, { actorId: r.me.id, actor: r.me.username, action, target: `character:${ch.id}:${ch.name}`, reason: why, detail: { item: t.id, count, online: c !== undefined } });
      const wanted = [{ template: t.id, count }];
      let res: ItemResult;
      if (action === 'item.grant') res = c ? await items.service.grant(c.id, ch.id, wanted, 0, because, audit) : await items.store.grant(ch.id, wanted, 0, because, 0, audit);
      else res = c ? await items.service.take(c.id, ch.id, t.id, count, because, audit) : await items.store.take(ch.id, t.id, count, because, 0, audit);
      if (!res.ok) throw refusal(res);
      d.audited?.(action);
      sendJson(r.res, action === 'item.grant' ? 201 : 200, {
        characterId: ch.id,
        name: ch.name,
        item: t.id,
        count,
        online: c !== undefined,
        changed: res.changed.map(view),
        removed: res.removed,
      });
    };

  return [
    {
      // The content's items, for the console's grant form.
      method: 'GET',
      re: /^\/api\/admin\/items$/,
      needs: 'read',
      async run(r) {
        const items = ledger(d.world());
        sendJson(r.res, 200, { items: items.store.catalogue.list.map((t) => ({ id: t.id, kind: t.kind, stackSize: t.stackSize })), maxCount: MAX_ITEM_COUNT });
      },
    },
    {
      method: 'GET',
      re: /^\/api\/admin\/characters\/([^/]+)\/items$/,
      needs: 'read',
      async run(r) {
        const w = d.world();
        const items = ledger(w);
        const ch = await characterOf(r);
        const inv = await svc(items.store.inventory(ch.id), 'database');
        sendJson(r.res, 200, { characterId: ch.id, name: ch.name, online: playing(w, ch.id) !== undefined, gold: inv.gold, items: inv.items.map(view) });
      },
    },
    { method: 'POST', re: /^\/api\/admin\/characters\/([^/]+)\/items$/, needs: 'items', run: change('item.grant') },
    { method: 'POST', re: /^\/api\/admin\/characters\/([^/]+)\/items\/remove$/, needs: 'items', run: change('item.remove') },
  ];
}
