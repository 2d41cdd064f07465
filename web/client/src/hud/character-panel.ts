import type { ItemRecord } from '../../../../src/protocol/item-messages.ts';
import { EQUIPMENT_SLOTS, SLOT_LABELS } from '../items/inventory.ts';
import { ITEM_DRAG_TYPE, keepPanelKeys, readItemDrag, type ItemLook } from './item-look.ts';

/** What the character panel asks of the game. */
export interface CharacterActions {
  /** Take a worn item off into the first free bag slot (right-click, Enter, U). */
  unequip(item: ItemRecord): void;
  /** A bag item (its id) was dragged onto an equipment slot: equip it. */
  equipId(itemId: number): void;
}

/**
 * The character panel (C): the thirteen equipment slots, each with what is
 * worn there (its sprite, its tooltip) or the slot's name, and the
 * character's stats as the server computes them (the self record's, with
 * the health and resource maximum), so equipping a piece shows what it
 * changed. Arrow keys move between the slots; Enter, U or a right-click
 * takes an item off; Escape closes the panel; an item dragged from the bag onto a slot is equipped.
 */
export const EQUIPMENT_COLUMNS = 5;

export class CharacterPanel {
  readonly root: HTMLElement;
  private readonly slots: HTMLButtonElement[] = [];
  private readonly stats: HTMLElement;
  private readonly look: ItemLook;
  private readonly actions: CharacterActions;
  private worn: (ItemRecord | null)[] = new Array(EQUIPMENT_SLOTS.length).fill(null);
  private focused = 0;
  private shownStats = '';

  constructor(parent: HTMLElement, look: ItemLook, actions: CharacterActions) {
    this.look = look;
    this.actions = actions;
    this.root = document.createElement('section');
    this.root.className = 'item-panel character-panel';
    this.root.id = 'character-panel';
    this.root.setAttribute('aria-label', 'Character');
    this.root.hidden = true;
    const h = document.createElement('h2');
    h.textContent = 'Character (C)';
    const grid = document.createElement('div');
    grid.className = 'item-grid equipment-grid';
    grid.setAttribute('role', 'group');
    grid.setAttribute('aria-label', 'Equipment: arrows move, Enter or U takes an item off');
    EQUIPMENT_SLOTS.forEach((_, i) => this.slots.push(this.makeSlot(i)));
    grid.append(...this.slots);
    this.stats = document.createElement('dl');
    this.stats.className = 'stats';
    this.stats.id = 'character-stats';
    this.root.append(h, grid, this.stats);
    parent.append(this.root);
    keepPanelKeys(this.root, () => this.toggle());
  }

  get open(): boolean {
    return !this.root.hidden;
  }

  toggle(focus = true): void {
    this.root.hidden = !this.root.hidden;
    if (this.root.hidden) this.look.hide();
    else if (focus) this.slots[this.focused].focus();
  }

  /** Redraws the slots from what is worn (by equipment slot). */
  show(worn: (ItemRecord | null)[]): void {
    this.worn = worn;
    worn.forEach((it, i) => {
      const b = this.slots[i];
      const icon = b.firstElementChild as HTMLElement;
      const name = SLOT_LABELS[EQUIPMENT_SLOTS[i]];
      b.dataset.empty = String(!it);
      b.draggable = !!it;
      if (it) {
        this.look.paintIcon(icon, it.template);
        b.dataset.quality = this.look.quality(it.template);
        b.setAttribute('aria-label', `${name}: ${this.look.lines(it.template, 1)[0].text}`);
      } else {
        icon.style.backgroundImage = '';
        icon.textContent = '';
        delete b.dataset.quality;
        b.setAttribute('aria-label', `${name}: nothing`);
      }
    });
  }

  /** The stats list: [label, value] pairs (redrawn only when they changed). */
  setStats(rows: readonly (readonly [string, string])[]): void {
    const key = rows.map((r) => r.join('=')).join('|');
    if (key === this.shownStats) return;
    this.shownStats = key;
    this.stats.replaceChildren(
      ...rows.flatMap(([k, v]) => {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v;
        dd.dataset.stat = k;
        return [dt, dd];
      }),
    );
  }

  private makeSlot(i: number): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'item-slot equip-slot';
    b.id = `equip-${EQUIPMENT_SLOTS[i]}`;
    b.tabIndex = i === 0 ? 0 : -1;
    const icon = document.createElement('span');
    icon.className = 'item-icon';
    icon.setAttribute('aria-hidden', 'true');
    const label = document.createElement('span');
    label.className = 'slot-label';
    label.setAttribute('aria-hidden', 'true');
    label.textContent = SLOT_LABELS[EQUIPMENT_SLOTS[i]];
    b.append(icon, label);
    const tip = () => {
      const it = this.worn[i];
      if (it) this.look.show(b, it.template, 1, 'Right-click, Enter or U: take off');
      else this.look.hide(b);
    };
    b.addEventListener('pointerenter', tip);
    b.addEventListener('focus', () => {
      this.slots[this.focused].tabIndex = -1;
      this.focused = i;
      b.tabIndex = 0;
      tip();
    });
    b.addEventListener('pointerleave', () => this.look.hide(b));
    b.addEventListener('blur', () => this.look.hide(b));
    const off = () => {
      const it = this.worn[i];
      if (it) this.actions.unequip(it);
    };
    b.addEventListener('click', off);
    b.addEventListener('contextmenu', (e) => {
      e.preventDefault();
      off();
    });
    b.addEventListener('keydown', (e) => {
      const step: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -EQUIPMENT_COLUMNS, ArrowDown: EQUIPMENT_COLUMNS };
      if (e.key in step) {
        e.preventDefault();
        e.stopPropagation();
        const to = i + step[e.key];
        if (to >= 0 && to < this.slots.length) this.slots[to].focus();
      } else if ((e.key === 'u' || e.key === 'U') && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.stopPropagation();
        off();
      }
    });
    b.addEventListener('dragstart', (e) => {
      const it = this.worn[i];
      if (it && e.dataTransfer) e.dataTransfer.setData(ITEM_DRAG_TYPE, JSON.stringify({ id: it.id, from: 'equipment' }));
    });
    b.addEventListener('dragover', (e) => {
      if (e.dataTransfer?.types.includes(ITEM_DRAG_TYPE)) e.preventDefault();
    });
    b.addEventListener('drop', (e) => {
      e.preventDefault();
      const d = readItemDrag(e);
      if (!d) return;
      if (d.from === 'bag') this.actions.equipId(d.id);
    });
    return b;
  }
}
