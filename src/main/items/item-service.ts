/**
 * The coordinator's side of items: a player's ITEM requests, the cells'
 * claims, refusals and despawns, and the player's own INVENTORY frames.
 * Every change goes through the ItemStore (one transaction); the player is
 * told, and the cells act (the ground item leaves, a dropped one appears),
 * only after it committed. Frames are coalesced: whatever one player's
 * commits and answers add up to within a tick goes out as one INVENTORY.
 * What a player enters with (its inventory read, its gear told to its
 * cell) is item-entry.ts.
 */
import { Container, ItemOp, ItemReason, ANY_SLOT, ITEM_OP_NAMES, ITEM_REASON_NAMES, type ContainerName } from '../../protocol/item-codes.ts';
import { noItemMetrics, type ItemMetrics } from '../metrics/items.ts';
import { encodeInventory, INVENTORY_MAX_RECORDS, type ItemRecord, type ItemRequest } from '../../protocol/item-messages.ts';
import { GOLD_TEMPLATE, ItemToCell, ItemToGate, itemFields, type ItemMessage } from '../../shared/messages/items.ts';
import type { Logger } from '../log.ts';
import { ItemEntry } from './item-entry.ts';
import type { ItemHost, ItemPlayer } from './item-host.ts';
import type { Inventory, ItemResult, ItemRow, ItemStore } from './item-store.ts';
import { UseCooldowns } from './use-cooldowns.ts';
import type { Queryable } from '../persistence/db.ts';

export type { ItemHost, ItemPlayer } from './item-host.ts';

interface Pending {
  full: boolean;
  gold: number;
  items: Map<number, ItemRecord>;
  removed: Set<number>;
  results: { seq: number; reason: number }[];
}

const containerNumber = (c: ContainerName): number => (c === 'bag' ? Container.BAG : c === 'equipment' ? Container.EQUIPMENT : Container.GROUND);

export class ItemService {
  private readonly store: ItemStore | null;
  private readonly host: ItemHost;
  private readonly tickMs: number;
  private readonly pending = new Map<number, Pending>();
  /** The seq of each PICKUP waiting for its cell's answer, by connection and ground item. */
  private readonly pickups = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  /** Each playing character's bag as the database has it: item id → template and count (quests' collect objectives count it). */
  private readonly bags = new Map<number, Map<number, { template: string; count: number }>>();
  /** Told each player's bag counts by template after its inventory loads and after each commit that touched it. */
  onBag: ((conn: number, counts: ReadonlyMap<string, number>) => void) | null = null;
  private readonly metrics: ItemMetrics;
  /** Item uses' cooldowns, checked before a use commits. */
  private readonly uses = new UseCooldowns();
  /** The inventory read at entry (again when a commit overtook it), and what each player wears. */
  private readonly entry: ItemEntry;

  /**
   * An operation refused because the item is another character's
   * (NOT_YOURS): the client can only know its own items' ids, so this is
   * the anti-cheat's `item_not_owned` (start-tessera.ts wires it).
   */
  onNotOwned: ((conn: number, itemId: number) => void) | null = null;

  constructor(store: ItemStore | null, host: ItemHost, log: Logger, tickMs = 50, metrics: ItemMetrics = noItemMetrics) {
    this.store = store;
    this.host = host;
    this.tickMs = tickMs;
    this.metrics = metrics;
    this.entry = new ItemEntry(store, host, log, (conn, inv) => this.restate(conn, inv));
  }

  /** Counts `op`'s answer and times its transaction. */
  private timed(op: string, r: Promise<ItemResult>): Promise<ItemResult> {
    const start = performance.now();
    return r.then((res) => {
      this.metrics.operation(op, ITEM_REASON_NAMES[res.ok ? 0 : res.reason] ?? 'other', (performance.now() - start) / 1000);
      return res;
    });
  }

  /** A player entered the world (or a zone): its whole inventory, from the database (ItemEntry.joined). */
  joined(p: ItemPlayer): Promise<void> {
    return this.entry.joined(p);
  }

  /** The player's entity is new (joined, or another zone): its cell learns what it wears. */
  entered(zone: number, p: ItemPlayer): void {
    this.entry.entered(zone, p);
  }

  /** The inventory read at entry: the player's next INVENTORY is all of it, its bag counted afresh. */
  private restate(conn: number, inv: Inventory): void {
    const out = this.pendingOf(conn);
    out.full = true;
    out.items.clear();
    out.removed.clear();
    out.gold = inv.gold;
    for (const r of inv.items) out.items.set(r.id, this.record(r));
    this.schedule();
    const bag = new Map<number, { template: string; count: number }>();
    for (const r of inv.items) if (r.container === 'bag') bag.set(r.id, { template: r.template, count: r.count });
    this.bags.set(conn, bag);
    this.tellBag(conn);
  }

  /** A client's ITEM. */
  request(zone: number, p: ItemPlayer, m: ItemRequest): void {
    const store = this.store;
    const op = ITEM_OP_NAMES[m.itemOp] ?? 'other';
    if (!store || p.characterId === 0) {
      this.metrics.operation(op, 'no_character', -1);
      return this.answer(p.id, m.seq, ItemReason.NO_CHARACTER);
    }
    const ch = p.characterId;
    const tick = this.host.tickOf(zone);
    let r: Promise<ItemResult>;
    switch (m.itemOp) {
      case ItemOp.PICKUP:
        this.pickups.set(`${p.id}/${m.item}`, m.seq);
        this.host.toCell(zone, p.handle, { ...itemFields(ItemToCell.PICKUP), conn: p.id, handle: m.item });
        return;
      case ItemOp.USE: {
        // Checked before the commit: a refused use consumes nothing.
        const used = store.catalogue.get(this.bags.get(p.id)?.get(m.item)?.template ?? '');
        const refused = this.uses.take(p.id, used, p.dead?.() ?? false);
        if (refused !== 0) {
          this.metrics.operation(op, ITEM_REASON_NAMES[refused] ?? 'other', -1);
          return this.answer(p.id, m.seq, refused);
        }
        r = store.use(ch, m.item, m.version, tick).then((res) => {
          if (!res.ok) this.uses.undo(p.id, used);
          return res;
        });
        break;
      }
      case ItemOp.EQUIP:
        r = store.equip(ch, m.item, m.version, { level: p.level(), classId: p.classId() }, tick);
        break;
      case ItemOp.UNEQUIP:
        r = store.unequip(ch, m.item, m.version, m.slot === ANY_SLOT ? -1 : m.slot, tick);
        break;
      case ItemOp.MOVE:
        r = store.move(ch, m.item, m.version, m.slot, tick);
        break;
      case ItemOp.SPLIT:
        r = store.split(ch, m.item, m.version, m.count, m.slot, tick);
        break;
      case ItemOp.DROP:
        r = store.drop(ch, m.item, m.version, tick);
        break;
      case ItemOp.DESTROY:
        r = store.destroy(ch, m.item, m.version, m.count, tick);
        break;
      case ItemOp.MERGE:
        r = store.merge(ch, m.item, m.version, m.other, m.otherVersion, tick);
        break;
    }
    void this.timed(op, r).then((res) => {
      this.apply(p.id, m.seq, res);
      if (!res.ok) {
        if (res.reason === ItemReason.NOT_YOURS) this.onNotOwned?.(p.id, m.item);
        return;
      }
      if (m.itemOp === ItemOp.USE) {
        // After the commit: the cell applies the item's skill to the player.
        const t = store.catalogue.list.find((x) => x.useSkill === res.useSkill && x.useSkillNumber > 0);
        if (t) this.host.toCell(zone, p.handle, { ...itemFields(ItemToCell.USE), conn: p.id, skill: t.useSkillNumber });
      }
      if (m.itemOp === ItemOp.DROP) {
        const dropped = res.changed.find((x) => x.container === 'ground');
        const t = dropped && store.catalogue.get(dropped.template);
        if (dropped && t) this.host.toCell(zone, p.handle, { ...itemFields(ItemToCell.DROPPED), conn: p.id, itemId: dropped.id, version: dropped.version, template: t.number, count: dropped.count });
      }
    });
  }

  /** A cell's ITEM. */
  cellItem(zone: number, m: ItemMessage): void {
    if (m.kind === ItemToGate.REFUSED) {
      const key = `${m.conn}/${m.handle}`;
      const seq = this.pickups.get(key);
      this.pickups.delete(key);
      return this.answer(m.conn, seq ?? 0, m.reason);
    }
    const store = this.store;
    if (m.kind === ItemToGate.DESPAWNED) {
      if (store) void this.timed('despawn', store.despawn(m.itemId, m.version, m.tick));
      return;
    }
    if (m.kind !== ItemToGate.CLAIMED) return;
    const { conn, handle, characterId, template, count, itemId, version, tick } = m;
    const settle = (res: ItemResult): void => {
      this.host.toCell(zone, handle, { ...itemFields(res.ok ? ItemToCell.TAKEN : ItemToCell.RETURNED), handle });
      const key = `${conn}/${handle}`;
      const seq = this.pickups.get(key) ?? 0;
      this.pickups.delete(key);
      const p = this.host.player(conn);
      if (p && p.characterId === characterId) this.apply(conn, seq, res);
    };
    if (!store) return settle({ ok: false, reason: ItemReason.NO_CHARACTER, message: 'no item storage' });
    const t = template === GOLD_TEMPLATE ? undefined : store.catalogue.byNumber(template);
    const commit: Promise<ItemResult> =
      template === GOLD_TEMPLATE
        ? this.timed('gold', store.gold(characterId, count, 'loot', tick))
        : itemId !== 0
          ? this.timed('pickup', store.pickUp(characterId, itemId, version, tick))
          : t
            ? this.timed('loot', store.loot(characterId, t.id, count, 'loot', tick))
            : Promise.resolve({ ok: false, reason: ItemReason.NO_SUCH_ITEM, message: `no item template ${template}` });
    void commit.then(settle);
  }

  /** Forgets a connection that left. */
  left(conn: number): void {
    this.pending.delete(conn);
    this.entry.left(conn);
    for (const key of this.pickups.keys()) if (key.startsWith(`${conn}/`)) this.pickups.delete(key);
    this.bags.delete(conn);
    this.uses.forget(conn);
  }

  /**
   * A reward (a quest turned in): items and gold for a playing character,
   * with `alsoInTx` in the same transaction; the player is told after it
   * commits, as after any item change.
   */
  grant(conn: number, characterId: number, items: readonly { template: string; count: number }[], gold: number, reason: string, alsoInTx: (q: Queryable) => Promise<void>): Promise<ItemResult> {
    return this.commitFor(conn, 'grant', (store, tick) => store.grant(characterId, items, gold, reason, tick, alsoInTx));
  }

  /** An operator's removal (main/admin/) from a playing character: ItemStore.take, the player told after the commit. */
  take(conn: number, characterId: number, template: string, count: number, reason: string, alsoInTx: (q: Queryable) => Promise<void>): Promise<ItemResult> {
    return this.commitFor(conn, 'take', (store, tick) => store.take(characterId, template, count, reason, tick, alsoInTx));
  }

  /** A change made for a playing player by someone else, at its zone's tick; told to it (and its cell, its quests) once committed. */
  private async commitFor(conn: number, op: string, run: (store: ItemStore, tick: number) => Promise<ItemResult>): Promise<ItemResult> {
    if (!this.store) return { ok: false, reason: ItemReason.UNAVAILABLE, message: 'no item store' };
    const zone = this.host.zoneOf(conn);
    const res = await this.timed(op, run(this.store, zone >= 0 ? this.host.tickOf(zone) : 0));
    if (res.ok) this.changed(conn, res);
    return res;
  }

  private apply(conn: number, seq: number, res: ItemResult): void {
    if (!res.ok) return this.answer(conn, seq, res.reason);
    this.changed(conn, res);
    this.answer(conn, seq, 0);
  }

  /** A commit's rows into the player's next INVENTORY, its gear to its cell, its bag to the quest counts. */
  private changed(conn: number, res: Extract<ItemResult, { ok: true }>): void {
    this.entry.committed(conn, res);
    const bag = this.bags.get(conn);
    if (bag) {
      for (const r of res.changed) {
        if (r.container === 'bag') bag.set(r.id, { template: r.template, count: r.count });
        else bag.delete(r.id);
      }
      for (const id of res.removed) bag.delete(id);
      this.tellBag(conn);
    }
    const out = this.pendingOf(conn);
    out.gold = res.gold;
    for (const r of res.changed) {
      if (r.container === 'ground') {
        out.items.delete(r.id);
        out.removed.add(r.id);
      } else {
        out.removed.delete(r.id);
        out.items.set(r.id, this.record(r));
      }
    }
    for (const id of res.removed) {
      out.items.delete(id);
      out.removed.add(id);
    }
    this.schedule();
  }

  private tellBag(conn: number): void {
    const bag = this.bags.get(conn);
    if (!bag || !this.onBag) return;
    const counts = new Map<string, number>();
    for (const it of bag.values()) counts.set(it.template, (counts.get(it.template) ?? 0) + it.count);
    this.onBag(conn, counts);
  }

  private answer(conn: number, seq: number, reason: number): void {
    const out = this.pendingOf(conn);
    if (out.results.length < INVENTORY_MAX_RECORDS) out.results.push({ seq, reason });
    this.schedule();
  }

  private record(r: ItemRow): ItemRecord {
    return { id: r.id, version: r.version, template: this.store?.catalogue.get(r.template)?.number ?? 0, count: r.count, container: containerNumber(r.container), slot: r.slot };
  }

  private pendingOf(conn: number): Pending {
    let p = this.pending.get(conn);
    if (!p) {
      p = { full: false, gold: -1, items: new Map(), removed: new Set(), results: [] };
      this.pending.set(conn, p);
    }
    return p;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), this.tickMs);
  }

  /** One INVENTORY per player with anything to tell. */
  flush(): void {
    this.timer = undefined;
    for (const [conn, p] of this.pending) {
      if (p.gold < 0 && p.items.size === 0 && p.removed.size === 0 && p.results.length === 0) continue;
      this.host.send(conn, encodeInventory({ full: p.full, gold: p.gold, items: [...p.items.values()].slice(0, INVENTORY_MAX_RECORDS), removed: [...p.removed].slice(0, INVENTORY_MAX_RECORDS), results: p.results }));
    }
    this.pending.clear();
  }
}
