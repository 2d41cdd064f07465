import { EntityFlags, EntityKind } from '../../shared/layout.ts';
import { indexOf } from '../../shared/entity-store.ts';
import { CELL_ITEM_OP, DESPAWN_S, GOLD_TEMPLATE, ItemMessage, ItemToCell, ItemToGate, writeItem } from '../../shared/messages/items.ts';
import { ItemReason } from '../../protocol/item-codes.ts';
import type { LootTables } from '../../content/loot-table.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { Rng } from '../../shared/random.ts';
import { EventType } from '../event-types.ts';
import { PartId, type PrivatePart } from '../private-state.ts';
import type { CellContext, System } from '../system.ts';

/** Tiles a player may stand from a ground item it picks up. */
export const PICKUP_RANGE = 3;
/** Seconds a dead NPC's loot is its killer's alone. */
export const OWNER_WINDOW_S = 30;
/** A position travels in an event word as two 16-bit fixed-point halves of 1/8 tile (maps up to 8,191 tiles a side). */
const POS_SCALE = 8;

export const packPosition = (x: number, y: number): number => ((Math.round(x * POS_SCALE) & 0xffff) << 16) | (Math.round(y * POS_SCALE) & 0xffff);
export const unpackX = (p: number): number => ((p >>> 16) & 0xffff) / POS_SCALE;
export const unpackY = (p: number): number => (p & 0xffff) / POS_SCALE;

/**
 * Ground items (docs/game.md, "Loot"): entities of kind ITEM, replicated
 * like any other (template: the item's number, GOLD_TEMPLATE for gold). A
 * dead NPC's loot lies around its corpse, its killer's alone for
 * OWNER_WINDOW_S, then anyone's, until DESPAWN_S. A pick-up goes from the
 * player's cell as an ITEM_CLAIM event to the cell that owns the item, which
 * decides it in the order events arrive: the first claim wins and the item
 * is held for it (CLAIMED to the gate, which commits it to the database);
 * every later one is refused (ALREADY_TAKEN). The gate answers TAKEN (the
 * item leaves) or RETURNED (the commit failed: it lies there again).
 */
export class GroundItems implements PrivatePart {
  readonly id = PartId.GROUND_ITEMS;
  readonly name = 'ground-items';
  /** Database id of a dropped item (0: loot not yet in the database) and its version. */
  readonly itemId: Float64Array;
  readonly version: Uint32Array;
  readonly count: Uint32Array;
  /** Handle of the killer whose loot it is until ownerUntil (0: anyone's). */
  readonly killer: Uint32Array;
  readonly ownerUntil: Int32Array;
  readonly despawnAt: Int32Array;
  /** Handle of the player whose claim holds it (0: free). */
  readonly claimedBy: Uint32Array;
  private readonly live = new Set<number>();
  private readonly ctx: CellContext;
  private readonly loot: LootTables;
  private readonly rng: Rng;
  private readonly out = new ItemMessage();

  constructor(ctx: CellContext, loot: LootTables) {
    const cap = ctx.store.capacity;
    this.ctx = ctx;
    this.loot = loot;
    this.rng = new Rng(0x10075 ^ (ctx.cell * 104_729));
    this.itemId = new Float64Array(cap);
    this.version = new Uint32Array(cap);
    this.count = new Uint32Array(cap);
    this.killer = new Uint32Array(cap);
    this.ownerUntil = new Int32Array(cap);
    this.despawnAt = new Int32Array(cap);
    this.claimedBy = new Uint32Array(cap);
    ctx.parts.register(this);
    ctx.events.on(EventType.ITEM_CLAIM, (e, slot) => this.claim(slot, e.source, e.a, e.b, e.c));
  }

  appliesTo(kind: number): boolean {
    return kind === EntityKind.ITEM;
  }

  size(): number {
    return 8 + 4 * 6;
  }

  write(w: Writer, slot: number): void {
    w.f64(this.itemId[slot]);
    w.u32(this.version[slot]);
    w.u32(this.count[slot]);
    w.u32(this.killer[slot]);
    w.i32(this.ownerUntil[slot]);
    w.i32(this.despawnAt[slot]);
    w.u32(this.claimedBy[slot]);
  }

  read(r: Reader, slot: number): void {
    this.itemId[slot] = r.f64();
    this.version[slot] = r.u32();
    this.count[slot] = r.u32();
    this.killer[slot] = r.u32();
    this.ownerUntil[slot] = r.i32();
    this.despawnAt[slot] = r.i32();
    this.claimedBy[slot] = r.u32();
    this.live.add(slot);
  }

  /** After a restart what the item was is gone with the cell: the ground item goes (a dropped one stays on the ground in the database, for the audit). */
  recover(): boolean {
    return false;
  }

  release(slot: number): void {
    this.live.delete(slot);
    this.claimedBy[slot] = 0;
  }

  /** Told each item a dead NPC's loot rolled (the combat log's LOOT event): its slot, killer handle, template number and count. */
  onLootRolled: ((npcSlot: number, killer: number, template: number, count: number) => void) | null = null;

  /** A dead NPC's loot, rolled from its template's table, scattered around where it fell. */
  dropLoot(npcSlot: number, killer: number): void {
    const f = this.ctx.store.f;
    const x = f.x[npcSlot];
    const y = f.y[npcSlot];
    this.loot.roll(f.template[npcSlot], () => this.rng.float(), (item, count) => {
      const a = this.rng.float() * Math.PI * 2;
      const template = item === 0 ? GOLD_TEMPLATE : item;
      this.place(x + Math.cos(a) * 0.6, y + Math.sin(a) * 0.6, template, count, 0, 0, killer);
      this.onLootRolled?.(npcSlot, killer, template, count);
    });
  }

  /** Puts an item on the ground (spawned at the spawn phase). */
  place(x: number, y: number, template: number, count: number, itemId: number, version: number, killer: number): void {
    const c = this.ctx;
    const now = c.tick;
    c.lifecycle.spawn({
      kind: EntityKind.ITEM,
      template,
      x,
      y,
      hp: 1,
      maxHp: 1,
      level: 0,
      onSpawned: (slot) => {
        this.itemId[slot] = itemId;
        this.version[slot] = version;
        this.count[slot] = count;
        this.killer[slot] = killer;
        this.ownerUntil[slot] = killer === 0 ? 0 : now + Math.round(OWNER_WINDOW_S * c.tickHz);
        this.despawnAt[slot] = now + Math.round(DESPAWN_S * c.tickHz);
        this.claimedBy[slot] = 0;
        this.live.add(slot);
      },
    });
  }

  /** A player of this cell asks for ground item `handle`: sent to the item's owner as an ITEM_CLAIM. */
  requestPickUp(playerSlot: number, conn: number, characterId: number, handle: number): void {
    const c = this.ctx;
    const f = c.store.f;
    if (characterId === 0) return this.refuse(conn, handle, ItemReason.NO_CHARACTER);
    if ((f.flags[playerSlot] & EntityFlags.DEAD) !== 0) return this.refuse(conn, handle, ItemReason.DEAD);
    if (!c.store.isValid(handle) || f.kind[indexOf(handle)] !== EntityKind.ITEM) return this.refuse(conn, handle, ItemReason.NO_SUCH_ITEM);
    c.events.send(EventType.ITEM_CLAIM, handle, c.store.handleAt(playerSlot), characterId, conn, packPosition(f.x[playerSlot], f.y[playerSlot]));
  }

  /** The owner's decision on a claim, in the order claims arrive: the first one in range and allowed wins. */
  private claim(slot: number, player: number, characterId: number, conn: number, pos: number): void {
    const c = this.ctx;
    const f = c.store.f;
    const handle = c.store.handleAt(slot);
    if (f.kind[slot] !== EntityKind.ITEM || !this.live.has(slot)) return this.refuse(conn, handle, ItemReason.NO_SUCH_ITEM);
    if (this.claimedBy[slot] !== 0) return this.refuse(conn, handle, ItemReason.ALREADY_TAKEN);
    if (this.killer[slot] !== 0 && this.killer[slot] !== player && c.tick < this.ownerUntil[slot]) return this.refuse(conn, handle, ItemReason.NOT_YET_YOURS);
    const dx = unpackX(pos) - f.x[slot];
    const dy = unpackY(pos) - f.y[slot];
    if (dx * dx + dy * dy > PICKUP_RANGE * PICKUP_RANGE) return this.refuse(conn, handle, ItemReason.OUT_OF_RANGE);
    this.claimedBy[slot] = player;
    const m = this.out.clear(ItemToGate.CLAIMED);
    m.conn = conn;
    m.characterId = characterId;
    m.handle = handle;
    m.itemId = this.itemId[slot];
    m.version = this.version[slot];
    m.template = f.template[slot];
    m.count = this.count[slot];
    m.tick = c.tick;
    writeItem(c.gateOut, CELL_ITEM_OP, m);
  }

  /** The gate's word on a ground item of this cell (TAKEN, RETURNED) or on a player of this cell (DROPPED). */
  settle(m: ItemMessage, playerSlot: number): void {
    const c = this.ctx;
    if (m.kind === ItemToCell.DROPPED) {
      const f = c.store.f;
      return this.place(f.x[playerSlot], f.y[playerSlot], m.template, m.count, m.itemId, m.version, 0);
    }
    if (!c.store.isValid(m.handle)) return;
    const slot = indexOf(m.handle);
    if (!this.live.has(slot)) return;
    if (m.kind === ItemToCell.TAKEN) c.lifecycle.despawn(slot);
    else if (m.kind === ItemToCell.RETURNED) this.claimedBy[slot] = 0;
  }

  /** Tells the gate that `conn`'s request for ground item `handle` was refused. */
  private refuse(conn: number, handle: number, reason: number): void {
    const m = this.out.clear(ItemToGate.REFUSED);
    m.conn = conn;
    m.handle = handle;
    m.reason = reason;
    m.tick = this.ctx.tick;
    writeItem(this.ctx.gateOut, CELL_ITEM_OP, m);
  }

  /** The `ground-items` system: items past their time leave (a dropped one is destroyed in the database through the gate). */
  system(): System {
    return {
      name: 'ground-items',
      phase: 'simulate',
      every: 10,
      run: (c) => {
        for (const slot of this.live) {
          if (c.tick < this.despawnAt[slot] || this.claimedBy[slot] !== 0) continue;
          this.live.delete(slot);
          if (this.itemId[slot] !== 0) {
            const m = this.out.clear(ItemToGate.DESPAWNED);
            m.itemId = this.itemId[slot];
            m.version = this.version[slot];
            m.tick = c.tick;
            writeItem(c.gateOut, CELL_ITEM_OP, m);
          }
          c.lifecycle.despawn(slot);
        }
      },
    };
  }
}
