import type { ItemRecord } from '../../../../src/protocol/item-messages.ts';
import type { ItemLook } from './item-look.ts';

/** What the menu's buttons ask of the game. */
export interface ItemMenuActions {
  /** Use a consumable, equip equipment (right-click, U). */
  primary(item: ItemRecord): void;
  /** The verb of `primary` for this item ('Use', 'Equip'), or '' when it has none. */
  primaryVerb(item: ItemRecord): string;
  drop(item: ItemRecord): void;
  destroy(item: ItemRecord, count: number): void;
  /** Take `count` off the stack into the first free slot. */
  split(item: ItemRecord, count: number): void;
  /** Start moving it with the keyboard (the bag panel's M). */
  startMove?(item: ItemRecord): void;
}

type Mode = 'main' | 'split' | 'drop' | 'destroy';

/**
 * A bag item's menu (Enter or a click on it): its verb (Use or Equip),
 * Split (asks how many), Move, Drop and Destroy (each asks first) and
 * Cancel. A plain
 * list of buttons in the panel, so Tab and Enter drive it; Escape closes it
 * and gives the focus back to the slot.
 */
export class ItemMenu {
  private readonly el: HTMLElement;
  private readonly look: ItemLook;
  private readonly actions: ItemMenuActions;
  private readonly back: () => void;
  private item: ItemRecord | null = null;

  constructor(parent: HTMLElement, look: ItemLook, actions: ItemMenuActions, back: () => void) {
    this.look = look;
    this.actions = actions;
    this.back = back;
    this.el = document.createElement('div');
    this.el.className = 'item-menu';
    this.el.id = 'item-menu';
    this.el.setAttribute('role', 'group');
    this.el.hidden = true;
    this.el.addEventListener('keydown', (e) => {
      // Keys typed here are the menu's (a count, Tab, Enter), never the world's; Escape closes the menu, not the panel.
      e.stopPropagation();
      if (e.key === 'Escape') this.close(true);
    });
    parent.append(this.el);
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  /** Opens the menu of `item` (at `mode`: straight to the split, drop or destroy question). */
  open(item: ItemRecord, mode: Mode = 'main'): void {
    this.item = item;
    this.draw(mode);
    this.el.hidden = false;
    (this.el.querySelector('input, button') as HTMLElement | null)?.focus();
  }

  /** After the bag changed: the item gone (used up, dropped), the menu closes; changed, it is redrawn. */
  refresh(bag: (ItemRecord | null)[]): void {
    if (!this.item || this.el.hidden) return;
    const now = bag.find((x) => x?.id === this.item!.id);
    if (!now) return this.close(true);
    if (now.count !== this.item.count || now.version !== this.item.version) {
      this.item = now;
      const title = this.el.querySelector('.menu-title');
      if (title) title.textContent = this.title(now);
    }
  }

  close(refocus = false): void {
    if (this.el.hidden) return;
    this.el.hidden = true;
    this.item = null;
    if (refocus) this.back();
  }

  private title(it: ItemRecord): string {
    const name = this.look.lines(it.template, it.count)[0].text;
    return it.count > 1 ? `${name} ×${it.count}` : name;
  }

  private draw(mode: Mode): void {
    const it = this.item!;
    const h = document.createElement('p');
    h.className = 'menu-title';
    h.textContent = this.title(it);
    const parts: HTMLElement[] = [h];
    const act = (fn: () => void) => () => {
      fn();
      this.close(true);
    };
    if (mode === 'main') {
      const verb = this.actions.primaryVerb(it);
      if (verb) parts.push(button(verb, act(() => this.actions.primary(it))));
      if (it.count > 1) parts.push(button('Split…', () => this.redraw('split')));
      if (this.actions.startMove) parts.push(button('Move', act(() => this.actions.startMove!(it))));
      parts.push(button('Drop…', () => this.redraw('drop')));
      parts.push(button('Destroy…', () => this.redraw('destroy')));
    } else if (mode === 'split') {
      const label = document.createElement('label');
      label.textContent = 'How many to take off: ';
      const input = document.createElement('input');
      input.type = 'number';
      input.min = '1';
      input.max = String(it.count - 1);
      input.value = String(Math.floor(it.count / 2));
      input.className = 'split-count';
      label.append(input);
      const ok = () => {
        const n = Math.floor(Number(input.value));
        if (n >= 1 && n < it.count) act(() => this.actions.split(it, n))();
        else input.setCustomValidity(`1 to ${it.count - 1}`);
      };
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') ok();
      });
      parts.push(label, button('Split', ok));
    } else if (mode === 'drop') {
      const q = document.createElement('p');
      q.textContent = `Drop ${this.title(it)} at your feet? Anyone may pick it up.`;
      parts.push(q, button('Drop', act(() => this.actions.drop(it))));
    } else {
      const q = document.createElement('p');
      q.textContent = `Destroy ${this.title(it)}? It is gone for good.`;
      parts.push(q, button('Destroy', act(() => this.actions.destroy(it, it.count)), 'danger'));
    }
    parts.push(button('Cancel', () => this.close(true), 'ghost'));
    this.el.replaceChildren(...parts);
  }

  private redraw(mode: Mode): void {
    this.draw(mode);
    (this.el.querySelector('input, button') as HTMLElement | null)?.focus();
  }
}

function button(text: string, onClick: () => void, cls = ''): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (cls) b.className = cls;
  b.addEventListener('click', onClick);
  return b;
}
