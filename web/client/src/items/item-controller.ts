import { Container, ItemOp, ANY_SLOT, type ItemOpValue } from '../../../../src/protocol/item-codes.ts';
import type { InventoryMessage, ItemRecord } from '../../../../src/protocol/item-messages.ts';
import { SELF_STATS, type SelfState } from '../../../../src/protocol/self-state.ts';
import type { Catalogue } from '../content/catalogue.ts';
import { EntityKindValues } from '../content/kinds.ts';
import type { DebugItems } from '../debug-types.ts';
import { BagPanel } from '../hud/bag-panel.ts';
import '../hud/items.css';
import { CharacterPanel } from '../hud/character-panel.ts';
import { ItemLook } from '../hud/item-look.ts';
import type { Session } from '../net/session.ts';
import { Inventory, primaryOp } from './inventory.ts';
import { itemDoneText, itemLabel, itemRefusalText, STAT_WORDS, statValue } from './item-text.ts';

/** A ground item's pick-up range, tiles (src/workers/items/ground-items.ts PICKUP_RANGE), less a margin for the drawn position's lag. */
export const PICKUP_REACH = 2.7;
/** How far G looks for loot to walk to, tiles. */
const LOOK_FOR_LOOT = 10;

/** An entity in view as the controller reads it. */
export interface ItemEntity {
  readonly state: { kind: number; template: number };
  readonly drawn: { x: number; y: number };
}

/** What the controller needs of the game. */
export interface ItemWorld {
  readonly session: Session;
  readonly catalogue: Catalogue;
  readonly base: string;
  readonly others: ReadonlyMap<number, ItemEntity>;
  myPosition(): { x: number; y: number } | undefined;
  myLevel(): number;
  myClass(): number;
  /** The own health and resource maximum, and the resource's name. */
  myMaxima(): { hp: number; resource: number; resourceName: string } | undefined;
  self(): SelfState | null;
  walkTo(x: number, y: number): void;
  /** A short line over the hotbar; `bad` in red. */
  message(text: string, bad: boolean): void;
}

/**
 * Items in the client: the inventory from INVENTORY, the bag (I) and
 * character (C) panels and their operations sent as ITEMs, and picking up
 * ground items (G, or a click on one: out of reach, the player walks there
 * first). Every answer says something: a refusal in red with its reason,
 * a pick-up, an equip, a drop or a destroy in plain words.
 */
export class ItemController {
  readonly inventory = new Inventory();
  readonly bag: BagPanel;
  readonly character: CharacterPanel;
  private readonly w: ItemWorld;
  private shownVersion = -1;
  /** A ground item (entity) the player walks to, to pick it up on arrival; 0: none. */
  private walkingTo = 0;

  constructor(w: ItemWorld, right: HTMLElement, left: HTMLElement) {
    this.w = w;
    const look = new ItemLook({ catalogue: w.catalogue, base: w.base, level: () => w.myLevel(), classTemplate: () => w.myClass() });
    this.bag = new BagPanel(right, look, {
      primary: (it) => this.primary(it),
      primaryVerb: (it) => ({ [ItemOp.USE]: 'Use', [ItemOp.EQUIP]: 'Equip', [ItemOp.UNEQUIP]: 'Take off' } as Record<number, string>)[this.primaryOf(it)] ?? '',
      drop: (it) => this.send(ItemOp.DROP, it),
      destroy: (it, n) => this.send(ItemOp.DESTROY, it, 0, n),
      split: (it, n) => {
        const free = this.inventory.firstFreeSlot();
        if (free < 0) return this.w.message(itemRefusalText(1), true);
        this.send(ItemOp.SPLIT, it, free, n);
      },
      move: (it, slot) => this.send(ItemOp.MOVE, it, slot),
      unequipTo: (id, slot) => {
        const it = this.inventory.items.get(id);
        if (it && it.container === Container.EQUIPMENT) this.send(ItemOp.UNEQUIP, it, slot);
      },
    });
    this.character = new CharacterPanel(left, look, {
      unequip: (it) => this.send(ItemOp.UNEQUIP, it, ANY_SLOT),
      equipId: (id) => {
        const it = this.inventory.items.get(id);
        if (it && it.container === Container.BAG) this.send(ItemOp.EQUIP, it);
      },
    });
  }

  private primaryOf(it: ItemRecord): ItemOpValue | 0 {
    const t = this.w.catalogue.json.items[it.template - 1];
    return primaryOp(it.container, t?.slot, t?.kind);
  }

  /** Right-click or U: use a consumable, equip equipment, take off what is worn. */
  primary(it: ItemRecord): void {
    const op = this.primaryOf(it);
    if (op === 0) return this.w.message(itemRefusalText(8), true);
    this.send(op, it, op === ItemOp.UNEQUIP ? ANY_SLOT : 0);
  }

  private send(op: ItemOpValue, it: ItemRecord, slot = 0, count = 0): void {
    const seq = this.w.session.item(op, it.id, it.version, slot, count);
    if (seq < 0) return this.w.message('Not connected; try again', true);
    this.inventory.sent(seq, op, it.id, it.template);
    this.redraw(true);
  }

  onMessage(m: InventoryMessage): void {
    const answers = this.inventory.apply(m);
    for (const a of answers) {
      const name = a.template ? itemLabel(this.w.catalogue.json, a.template, 1) : '';
      if (a.reason !== 0) this.w.message(itemRefusalText(a.reason), true);
      else {
        const text = itemDoneText(a.op, name);
        if (text) this.w.message(text, false);
      }
    }
    this.redraw(answers.length > 0);
  }

  /** Redraws the panels when the inventory changed (or `force`: a request's busy mark). */
  private redraw(force = false): void {
    if (!force && this.shownVersion === this.inventory.version) return;
    this.shownVersion = this.inventory.version;
    const busy = (id: number) => this.inventory.busy(id);
    this.bag.show(this.inventory.bag(), busy);
    this.bag.setGold(this.inventory.gold);
    this.character.show(this.inventory.equipment());
  }

  toggleBag(): void {
    this.bag.toggle();
  }

  toggleCharacter(): void {
    this.character.toggle();
  }

  /** The nearest ground item within `within` tiles of the player, or 0. */
  private nearestLoot(within: number): number {
    const me = this.w.myPosition();
    if (!me) return 0;
    let best = 0;
    let bestD = within;
    for (const [id, o] of this.w.others) {
      if (o.state.kind !== EntityKindValues.ITEM) continue;
      const d = Math.hypot(o.drawn.x - me.x, o.drawn.y - me.y);
      if (d <= bestD) [best, bestD] = [id, d];
    }
    return best;
  }

  /** G: picks up the nearest ground item in reach, or walks to the nearest one in sight. */
  pickUpNearest(): void {
    const id = this.nearestLoot(LOOK_FOR_LOOT);
    if (id === 0) return this.w.message('Nothing here to pick up', true);
    this.pickUp(id);
  }

  /** A click on the world at (x, y): picks up (or walks to) the ground item under it; false when there is none. */
  click(x: number, y: number): boolean {
    let hit = 0;
    let bestD = 0.6;
    for (const [id, o] of this.w.others) {
      if (o.state.kind !== EntityKindValues.ITEM) continue;
      const d = Math.hypot(o.drawn.x - x, o.drawn.y - y);
      if (d <= bestD) [hit, bestD] = [id, d];
    }
    if (hit === 0) return false;
    this.pickUp(hit);
    return true;
  }

  private pickUp(id: number): void {
    const o = this.w.others.get(id);
    const me = this.w.myPosition();
    if (!o || !me) return;
    if (Math.hypot(o.drawn.x - me.x, o.drawn.y - me.y) <= PICKUP_REACH) {
      this.walkingTo = 0;
      const seq = this.w.session.item(ItemOp.PICKUP, id, 0);
      if (seq < 0) return this.w.message('Not connected; try again', true);
      this.inventory.sent(seq, ItemOp.PICKUP, id, o.state.template);
      return;
    }
    this.walkingTo = id;
    this.w.walkTo(o.drawn.x, o.drawn.y);
  }

  /** After each snapshot: a ground item walked to is picked up once in reach (or forgotten when gone). */
  onSnapshot(): void {
    if (this.walkingTo === 0) return;
    const o = this.w.others.get(this.walkingTo);
    const me = this.w.myPosition();
    if (!o || o.state.kind !== EntityKindValues.ITEM) {
      this.walkingTo = 0;
      return;
    }
    if (me && Math.hypot(o.drawn.x - me.x, o.drawn.y - me.y) <= PICKUP_REACH) this.pickUp(this.walkingTo);
  }

  /** A new zone: a walk to loot of the old one is over. */
  reset(): void {
    this.walkingTo = 0;
  }

  /** The HUD refresh: the character panel's stats (the self record's, with the health and resource maxima). */
  refresh(): void {
    this.redraw();
    if (!this.character.open) return;
    const s = this.w.self();
    const m = this.w.myMaxima();
    if (!s || !m) return;
    const rows: [string, string][] = [['Health', String(m.hp)]];
    if (m.resource > 0) rows.push([m.resourceName[0].toUpperCase() + m.resourceName.slice(1), String(m.resource)]);
    const resource = m.resourceName[0].toUpperCase() + m.resourceName.slice(1);
    // manaRegen is the class resource's regeneration, whichever it is.
    SELF_STATS.forEach((k, i) => rows.push([k === 'manaRegen' ? `${resource} per second` : (STAT_WORDS[k] ?? k), statValue(k, s.stats[i])]));
    this.character.setStats(rows);
  }

  /** For the debug hook (tests). */
  debug(): DebugItems {
    const rec = (it: ItemRecord | null) => (it ? { id: it.id, template: it.template, count: it.count, slot: it.slot } : null);
    return {
      known: this.inventory.known,
      gold: this.inventory.gold,
      bag: this.inventory.bag().map(rec).filter((x) => x !== null),
      equipment: this.inventory.equipment().map(rec).filter((x) => x !== null),
      bagOpen: this.bag.open,
      characterOpen: this.character.open,
      waiting: this.inventory.waiting,
    };
  }
}
