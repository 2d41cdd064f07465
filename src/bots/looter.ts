import type { ItemRequest } from '../protocol/item-messages.ts';
import { CombatEvent } from '../protocol/combat-codes.ts';
import type { ClientView } from '../protocol/client-view.ts';
import { Container, ItemOp, ItemReason } from '../protocol/item-codes.ts';
import type { InventoryMessage, ItemRecord } from '../protocol/item-messages.ts';
import { Limits, MoveKind } from '../protocol/opcodes.ts';
import { EntityFlags, EntityKind } from '../shared/layout.ts';
import type { Intent } from './behavior.ts';
import type { CombatCounter } from './fight.ts';
import type { BookItem } from './world-book.ts';

/** A kill's loot is the killer's for 30 s (ground-items.ts); a bot looks for it a little less. */
const OWED_MS = 25_000;
/** Loot lies within 0.6 tiles of where the NPC fell; looked for a little wider. */
const OWED_NEAR = 1.5;
/** Picks up from this near (the server allows 3 tiles). */
const REACH = 2.5;
/** Ground items it walks to this far at most. */
const WALK_NEAR = 12;
/** An ITEM without an answer by then is taken as lost. */
const RESULT_TIMEOUT_MS = 5000;
/** A use refused as on cooldown (the server keeps the content's cooldown per use skill) is tried again after this. */
const COOLDOWN_RETRY_MS = 10_000;
/** Drinks below this share of its health. */
const DRINK_BELOW = 0.35;
/** Kill spots remembered, and ground items or bag items refused (not asked again). */
const SPOTS = 4;
const BLOCKED = 16;
const REASON_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ItemReason).map(([k, v]) => [v, k.toLowerCase()]));
const DONE_NAMES: Record<number, string> = { [ItemOp.PICKUP]: 'picked_up', [ItemOp.EQUIP]: 'equipped', [ItemOp.USE]: 'potions_used' };

/** The ITEM a bot sends, filled by Looter.decide() (but its seq). */
export type ItemAsk = Omit<ItemRequest, 'op' | 'itemOp'> & { itemOp: number };

/**
 * One bot's hands (fighting and questing bots with a character): picks up
 * the loot of its own kills (ground items lying where an NPC fell whose
 * LOOT events named the bot its killer, while they are still its alone), wears a bag item when it scores better
 * than what is worn in its slot (and the bot's level and class allow it),
 * and drinks a healing consumable when low on health. Its bag and gear
 * come from INVENTORY. One request at a time; what the server refuses is
 * not asked again. Counts pick-ups, equips, potions and refusals by reason.
 */
export class Looter {
  readonly request: ItemAsk = { seq: 0, itemOp: 0, item: 0, version: 0, other: 0, otherVersion: 0, slot: 0, count: 0 };
  /** The last decide() wrote the intent (walking to loot). */
  steering = false;
  private readonly items = new Map<number, ItemRecord>();
  private readonly book: readonly (BookItem | null)[];
  private readonly classId: number;
  private readonly count: CombatCounter;
  /** The server keeps no items for this bot (a guest): it stops asking. */
  private off = false;
  private pendingSeq = -1;
  private pendingOp = 0;
  private pendingItem = 0;
  private pendingUntil = 0;
  private pendingAt = 0;
  private seq = 0;
  private readonly spotX = new Float32Array(SPOTS);
  private readonly spotY = new Float32Array(SPOTS);
  private readonly spotUntil = new Float64Array(SPOTS);
  private spotNext = 0;
  private readonly blocked = new Float64Array(BLOCKED);
  private blockedNext = 0;
  private drinkAt = 0;
  private bagChanged = true;

  /** `classId`: the character's class number (0: unknown; items for some classes only are then tried and may be refused). */
  constructor(book: readonly (BookItem | null)[], classId: number, count: CombatCounter) {
    this.book = book;
    this.classId = classId;
    this.count = count;
  }

  onInventory(m: InventoryMessage): void {
    if (m.full) this.items.clear();
    for (const r of m.items) {
      if (r.container === Container.GROUND) this.items.delete(r.id);
      else this.items.set(r.id, r);
    }
    for (const id of m.removed) this.items.delete(id);
    this.bagChanged = true;
    for (const r of m.results) {
      if (r.seq !== this.pendingSeq) continue;
      this.pendingSeq = -1;
      if (r.reason === 0) {
        this.count(DONE_NAMES[this.pendingOp] ?? 'done');
        continue;
      }
      this.count(`refused_${REASON_NAMES[r.reason] ?? r.reason}`);
      if (r.reason === ItemReason.NO_CHARACTER) this.off = true;
      else if (r.reason === ItemReason.ON_COOLDOWN) this.drinkAt = Math.max(this.drinkAt, this.pendingAt + COOLDOWN_RETRY_MS);
      // What passes (the database, a stale version, a step too far) is asked again; the rest never.
      else if (r.reason !== ItemReason.UNAVAILABLE && r.reason !== ItemReason.VERSION_CONFLICT && r.reason !== ItemReason.OUT_OF_RANGE) this.block(this.pendingItem);
    }
  }

  /** Notes where this snapshot's loot dropped for the bot fell (its own for a while): LOOT events naming it the killer. */
  observe(view: ClientView, now: number): void {
    const ev = view.events;
    const you = view.header.you;
    for (let i = 0; i < ev.count; i++) {
      if (ev.type[i] !== CombatEvent.LOOT || ev.target[i] !== you) continue;
      const row = view.current.indexOf(ev.source[i]);
      if (row < 0) continue;
      const k = this.spotNext++ % SPOTS;
      this.spotX[k] = view.current.x[row] / Limits.positionScale;
      this.spotY[k] = view.current.y[row] / Limits.positionScale;
      this.spotUntil[k] = now + OWED_MS;
    }
  }

  /**
   * Fills `request` (but its seq) and returns true when an ITEM is due: a
   * potion, an upgrade to wear, or owed loot in reach. Loot further away
   * is walked to (the intent; `steering` says so).
   */
  decide(now: number, view: ClientView, pos: { x: number; y: number } | null, it: Intent): boolean {
    this.steering = false;
    if (this.off || pos === null) return false;
    const cur = view.current;
    const me = cur.indexOf(view.header.you);
    if (me < 0 || (cur.flags[me] & EntityFlags.DEAD) !== 0) return false;
    if (this.pendingSeq >= 0) {
      if (now < this.pendingUntil) return false;
      this.pendingSeq = -1;
      this.count('result_timeouts');
    }
    if (cur.hp[me] < cur.maxHp[me] * DRINK_BELOW && now >= this.drinkAt) {
      const potion = this.find((r, b) => r.container === Container.BAG && b.heals);
      if (potion !== null) {
        this.drinkAt = now + Math.max(this.book[potion.template]!.cooldownMs, 1000);
        return this.ask(now, ItemOp.USE, potion.id, potion.version);
      }
    }
    if (this.bagChanged) {
      this.bagChanged = false;
      const level = cur.level[me];
      const up = this.find((r, b) => r.container === Container.BAG && b.slot >= 0 && b.levelRequired <= level && (this.classId === 0 || b.classes.length === 0 || b.classes.includes(this.classId)) && b.score > this.wornScore(b.slot));
      if (up !== null) {
        this.bagChanged = true; // another upgrade may follow this one
        return this.ask(now, ItemOp.EQUIP, up.id, up.version);
      }
    }
    return this.loot(now, view, pos, it);
  }

  /** Owed loot: picks up the nearest piece in reach, or walks to it. */
  private loot(now: number, view: ClientView, pos: { x: number; y: number }, it: Intent): boolean {
    let live = false;
    for (let k = 0; k < SPOTS; k++) if (this.spotUntil[k] > now) live = true;
    if (!live) return false;
    const cur = view.current;
    let best = -1;
    let bestD = WALK_NEAR;
    for (let i = 0; i < cur.count; i++) {
      if (cur.kind[i] !== EntityKind.ITEM || this.isBlocked(cur.ids[i])) continue;
      const x = cur.x[i] / Limits.positionScale;
      const y = cur.y[i] / Limits.positionScale;
      if (!this.owed(x, y, now)) continue;
      const d = Math.hypot(x - pos.x, y - pos.y);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best < 0) return false;
    if (bestD <= REACH) return this.ask(now, ItemOp.PICKUP, cur.ids[best], 0);
    this.steering = true;
    it.move = MoveKind.DESTINATION;
    it.x = cur.x[best] / Limits.positionScale;
    it.y = cur.y[best] / Limits.positionScale;
    it.until = now + 1000;
    return false;
  }

  private owed(x: number, y: number, now: number): boolean {
    for (let k = 0; k < SPOTS; k++) if (this.spotUntil[k] > now && Math.hypot(x - this.spotX[k], y - this.spotY[k]) <= OWED_NEAR) return true;
    return false;
  }

  private wornScore(slot: number): number {
    for (const r of this.items.values()) if (r.container === Container.EQUIPMENT && r.slot === slot) return this.book[r.template]?.score ?? 0;
    return 0;
  }

  private find(test: (r: ItemRecord, b: BookItem) => boolean): ItemRecord | null {
    for (const r of this.items.values()) {
      const b = this.book[r.template];
      if (b && !this.isBlocked(r.id) && test(r, b)) return r;
    }
    return null;
  }

  private ask(now: number, op: number, item: number, version: number): boolean {
    const a = this.request;
    a.itemOp = op;
    a.item = item;
    a.version = version;
    this.seq = (this.seq + 1) & 0xffff;
    a.seq = this.seq;
    this.pendingSeq = this.seq;
    this.pendingOp = op;
    this.pendingItem = item;
    this.pendingUntil = now + RESULT_TIMEOUT_MS;
    this.pendingAt = now;
    return true;
  }

  private block(id: number): void {
    this.blocked[this.blockedNext++ % BLOCKED] = id;
  }

  private isBlocked(id: number): boolean {
    for (let k = 0; k < BLOCKED; k++) if (this.blocked[k] === id && id !== 0) return true;
    return false;
  }
}
