import { BAG_SLOTS } from '../../../../src/protocol/item-codes.ts';
import type { ItemRecord } from '../../../../src/protocol/item-messages.ts';
import { ITEM_DRAG_TYPE, keepPanelKeys, readItemDrag, type ItemLook } from './item-look.ts';
import { ItemMenu, type ItemMenuActions } from './item-menu.ts';

/**
 * The bag panel (I): 24 slots in a grid with each item's sprite and stack
 * count, the gold, a tooltip on hover and focus, and every operation:
 * right-click or U uses or equips, Enter (or a click) opens the item's menu
 * (use or equip, split, move, drop, destroy), D and Delete ask to drop and
 * to destroy, M picks the item up to move it (arrows choose the
 * slot, Enter puts it there, Escape gives up), and the pointer drags an
 * item onto another slot (a move; onto a stack of the same item, a merge).
 * Arrow keys move the focus between slots (one tab stop for the grid);
 * Escape closes the panel.
 */
export const BAG_COLUMNS = 6;

export interface BagActions extends ItemMenuActions {
  /** An item was dragged or moved to bag slot `slot`. */
  move(item: ItemRecord, slot: number): void;
  /** Something was dropped onto bag slot `slot` from the equipment panel (its id). */
  unequipTo(itemId: number, slot: number): void;
}

export class BagPanel {
  readonly root: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly goldEl: HTMLElement;
  private readonly slots: HTMLButtonElement[] = [];
  private readonly look: ItemLook;
  private readonly actions: BagActions;
  private readonly menu: ItemMenu;
  private bag: (ItemRecord | null)[] = new Array(BAG_SLOTS).fill(null);
  private focused = 0;
  /** The item being moved with the keyboard (M), or null. */
  private moving: ItemRecord | null = null;

  constructor(parent: HTMLElement, look: ItemLook, actions: BagActions) {
    this.look = look;
    this.actions = actions;
    this.root = document.createElement('section');
    this.root.className = 'item-panel bag-panel';
    this.root.id = 'bag-panel';
    this.root.setAttribute('aria-label', 'Inventory');
    this.root.hidden = true;
    const h = document.createElement('h2');
    h.textContent = 'Bags (I)';
    this.goldEl = document.createElement('p');
    this.goldEl.className = 'gold';
    this.goldEl.id = 'gold';
    this.grid = document.createElement('div');
    this.grid.className = 'item-grid';
    this.grid.setAttribute('role', 'group');
    this.grid.setAttribute('aria-label', 'Bag slots: arrows move, Enter for the menu, U or right-click to use or equip');
    for (let i = 0; i < BAG_SLOTS; i++) this.slots.push(this.makeSlot(i));
    this.grid.append(...this.slots);
    // The menu goes under the grid: the item's slot stays in sight above it.
    this.root.append(h, this.goldEl, this.grid);
    const startMove = (it: ItemRecord) => {
      this.moving = it;
      this.root.dataset.moving = 'true';
    };
    this.menu = new ItemMenu(this.root, look, { ...actions, startMove }, () => this.slots[this.focused].focus());
    parent.append(this.root);
    keepPanelKeys(this.root, () => this.toggle());
    this.setGold(0);
  }

  get open(): boolean {
    return !this.root.hidden;
  }

  /** Shows or hides the panel; shown, the focus goes to its first slot (keyboard players land in it). */
  toggle(focus = true): void {
    this.root.hidden = !this.root.hidden;
    if (this.root.hidden) {
      this.menu.close();
      this.look.hide();
      this.moving = null;
    } else if (focus) this.slots[this.focused].focus();
  }

  setGold(gold: number): void {
    this.goldEl.textContent = `Gold: ${gold}`;
    this.goldEl.setAttribute('aria-label', `${gold} gold`);
  }

  /** Redraws the slots from the bag (by slot); `busy` says which items wait on an answer. */
  show(bag: (ItemRecord | null)[], busy: (id: number) => boolean): void {
    this.bag = bag;
    bag.forEach((it, i) => {
      const b = this.slots[i];
      const icon = b.firstElementChild as HTMLElement;
      const count = b.lastElementChild as HTMLElement;
      b.dataset.empty = String(!it);
      b.dataset.busy = String(!!it && busy(it.id));
      b.dataset.itemId = it ? String(it.id) : '';
      b.draggable = !!it;
      if (it) {
        this.look.paintIcon(icon, it.template);
        b.dataset.quality = this.look.quality(it.template);
        count.textContent = it.count > 1 ? String(it.count) : '';
        b.setAttribute('aria-label', `Slot ${i + 1}: ${this.look.lines(it.template, it.count)[0].text}${it.count > 1 ? ` ×${it.count}` : ''}`);
      } else {
        icon.style.backgroundImage = '';
        icon.textContent = '';
        count.textContent = '';
        delete b.dataset.quality;
        b.setAttribute('aria-label', `Slot ${i + 1}: empty`);
      }
    });
    this.menu.refresh(bag);
  }

  private makeSlot(i: number): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'item-slot';
    b.id = `bag-slot-${i}`;
    b.tabIndex = i === 0 ? 0 : -1;
    const icon = document.createElement('span');
    icon.className = 'item-icon';
    icon.setAttribute('aria-hidden', 'true');
    const count = document.createElement('span');
    count.className = 'item-count';
    count.setAttribute('aria-hidden', 'true');
    b.append(icon, count);
    const tip = () => {
      const it = this.bag[i];
      if (it) this.look.show(b, it.template, it.count, 'Right-click or U: use / equip · Enter: more');
      else this.look.hide(b);
    };
    b.addEventListener('pointerenter', tip);
    b.addEventListener('focus', () => {
      this.setFocus(i, false);
      tip();
    });
    b.addEventListener('pointerleave', () => this.look.hide(b));
    b.addEventListener('blur', () => this.look.hide(b));
    b.addEventListener('click', () => {
      if (this.moving) return this.placeMoving(i);
      const it = this.bag[i];
      if (it) this.menu.open(it);
    });
    b.addEventListener('contextmenu', (e) => {
      e.preventDefault();
      const it = this.bag[i];
      if (it) this.actions.primary(it);
    });
    b.addEventListener('keydown', (e) => this.onKey(e, i));
    b.addEventListener('dragstart', (e) => {
      const it = this.bag[i];
      if (!it || !e.dataTransfer) return;
      e.dataTransfer.setData(ITEM_DRAG_TYPE, JSON.stringify({ id: it.id, from: 'bag' }));
      e.dataTransfer.effectAllowed = 'move';
    });
    b.addEventListener('dragover', (e) => {
      if (e.dataTransfer?.types.includes(ITEM_DRAG_TYPE)) e.preventDefault();
    });
    b.addEventListener('drop', (e) => {
      e.preventDefault();
      const d = readItemDrag(e);
      if (!d) return;
      if (d.from === 'equipment') return this.actions.unequipTo(d.id, i);
      const it = this.bag.find((x) => x?.id === d.id);
      if (it && it.slot !== i) this.actions.move(it, i);
    });
    return b;
  }

  private setFocus(i: number, move: boolean): void {
    this.slots[this.focused].tabIndex = -1;
    this.focused = i;
    this.slots[i].tabIndex = 0;
    if (move) this.slots[i].focus();
  }

  private placeMoving(i: number): void {
    const it = this.moving;
    this.moving = null;
    this.root.dataset.moving = 'false';
    if (it && it.slot !== i) this.actions.move(it, i);
  }

  private onKey(e: KeyboardEvent, i: number): void {
    const step: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -BAG_COLUMNS, ArrowDown: BAG_COLUMNS };
    if (e.key in step) {
      // The panel's keys stay in the panel: arrows here choose a slot, they do not walk.
      e.preventDefault();
      e.stopPropagation();
      const to = i + step[e.key];
      if (to >= 0 && to < BAG_SLOTS) this.setFocus(to, true);
      return;
    }
    if (e.key === 'Escape') {
      // Escape first gives up a move; the next one closes the panel (keepPanelKeys).
      if (this.moving) {
        this.moving = null;
        this.root.dataset.moving = 'false';
        e.preventDefault();
        e.stopPropagation();
      }
      return;
    }
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const it = this.bag[i];
    const key = e.key.toLowerCase();
    if (this.moving && (e.key === 'Enter' || key === 'm')) {
      e.preventDefault();
      e.stopPropagation();
      return this.placeMoving(i);
    }
    if (!it) return;
    if (key === 'u') this.actions.primary(it);
    else if (key === 'd') this.menu.open(it, 'drop');
    else if (e.key === 'Delete') this.menu.open(it, 'destroy');
    else if (key === 's' && it.count > 1) this.menu.open(it, 'split');
    else if (key === 'm') {
      this.moving = it;
      this.root.dataset.moving = 'true';
    } else return;
    e.preventDefault();
    e.stopPropagation();
  }
}
