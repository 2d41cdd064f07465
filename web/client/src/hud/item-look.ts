import type { Catalogue } from '../content/catalogue.ts';
import { GOLD_TEMPLATE } from '../../../../src/protocol/item-codes.ts';
import { tooltipLines, type TooltipLine } from '../items/item-text.ts';

/**
 * How items look in the HTML panels: the icon is the item's own sprite from
 * the content's atlas (the same tile the map draws it with on the ground),
 * cut out with CSS background-position; and one shared tooltip element that
 * follows the slot under the pointer or the keyboard focus, and which the
 * slot names with aria-describedby.
 */
export interface ItemLookOptions {
  catalogue: Catalogue;
  /** Where the content's files are served from (Content.base). */
  base: string;
  /** The player's level and class now (for the tooltip's requirement lines). */
  level(): number;
  classTemplate(): number;
}

export class ItemLook {
  readonly tooltip: HTMLElement;
  private readonly o: ItemLookOptions;
  private readonly atlasUrl: string;
  private anchor: HTMLElement | null = null;

  constructor(o: ItemLookOptions) {
    this.o = o;
    const sp = o.catalogue.json.sprites;
    this.atlasUrl = sp && sp.image.path ? o.base + sp.image.path : '';
    this.tooltip = document.createElement('div');
    this.tooltip.id = 'item-tooltip';
    this.tooltip.className = 'item-tooltip';
    this.tooltip.setAttribute('role', 'tooltip');
    this.tooltip.hidden = true;
    document.body.append(this.tooltip);
  }

  /** Paints item `template`'s sprite as `el`'s background (a letter where the atlas has none). */
  paintIcon(el: HTMLElement, template: number): void {
    const sp = this.o.catalogue.json.sprites;
    // The item's own tile (the map draws an item without one as gold; a panel shows its letter instead).
    const name = template === GOLD_TEMPLATE ? 'gold' : this.o.catalogue.json.items[template - 1]?.id;
    const tile = name !== undefined && sp ? (sp.tiles[name] ?? -1) : -1;
    if (!sp || tile < 0 || !this.atlasUrl) {
      el.style.backgroundImage = '';
      el.textContent = template === GOLD_TEMPLATE ? '¤' : (this.o.catalogue.json.items[template - 1]?.name ?? '?').slice(0, 1);
      return;
    }
    el.textContent = '';
    const cols = Math.max(1, sp.columns);
    const rows = Math.max(1, Math.round((sp.image.height - sp.margin * 2 + sp.spacing) / (sp.tileHeight + sp.spacing)));
    const col = tile % cols;
    const row = Math.floor(tile / cols);
    // Percentages keep the cut right at any slot size (the atlas has no spacing or margin).
    el.style.backgroundImage = `url("${this.atlasUrl}")`;
    el.style.backgroundSize = `${cols * 100}% ${rows * 100}%`;
    el.style.backgroundPosition = `${cols > 1 ? (col / (cols - 1)) * 100 : 0}% ${rows > 1 ? (row / (rows - 1)) * 100 : 0}%`;
  }

  /** The quality of item `template` ('common' when unknown): the slot's border colour. */
  quality(template: number): string {
    return this.o.catalogue.json.items[template - 1]?.quality ?? 'common';
  }

  lines(template: number, count: number): TooltipLine[] {
    return tooltipLines(this.o.catalogue.json, template, count, this.o.level(), this.o.classTemplate());
  }

  /** Shows the tooltip of (template, count) beside `anchor` (to its left: the panels stand at the screen's edges). */
  show(anchor: HTMLElement, template: number, count: number, extra = ''): void {
    this.anchor = anchor;
    const parts = this.lines(template, count).map((l) => {
      const p = document.createElement('div');
      p.className = `tt-${l.style}`;
      if (l.style === 'name') p.dataset.quality = this.quality(template);
      p.textContent = l.text;
      return p;
    });
    if (extra) {
      const p = document.createElement('div');
      p.className = 'tt-keys';
      p.textContent = extra;
      parts.push(p);
    }
    this.tooltip.replaceChildren(...parts);
    this.tooltip.hidden = false;
    anchor.setAttribute('aria-describedby', this.tooltip.id);
    const r = anchor.getBoundingClientRect();
    const t = this.tooltip.getBoundingClientRect();
    const left = r.left > window.innerWidth / 2 ? r.left - t.width - 8 : r.right + 8;
    this.tooltip.style.left = `${Math.max(4, Math.min(window.innerWidth - t.width - 4, left))}px`;
    this.tooltip.style.top = `${Math.max(4, Math.min(window.innerHeight - t.height - 4, r.top))}px`;
  }

  /** Hides the tooltip if `anchor` (or nothing in particular) showed it. */
  hide(anchor?: HTMLElement): void {
    if (anchor && anchor !== this.anchor) return;
    this.anchor?.removeAttribute('aria-describedby');
    this.anchor = null;
    this.tooltip.hidden = true;
  }
}

/** The drag data type of an item dragged between the panels. */
export const ITEM_DRAG_TYPE = 'application/x-tessera-item';

/** The item a drop carries ({ id, from: 'bag' | 'equipment' }), or null for anything else (a drag from elsewhere, malformed data). */
export function readItemDrag(e: DragEvent): { id: number; from: 'bag' | 'equipment' } | null {
  const raw = e.dataTransfer?.getData(ITEM_DRAG_TYPE);
  if (!raw || raw.length > 200) return null;
  try {
    const d = JSON.parse(raw) as { id?: unknown; from?: unknown };
    if (typeof d.id !== 'number' || !Number.isSafeInteger(d.id) || (d.from !== 'bag' && d.from !== 'equipment')) return null;
    return { id: d.id, from: d.from };
  } catch {
    return null;
  }
}

/** The keys that walk (input/controls.ts): inside a panel they are the panel's, never the world's. */
const WALK_CODES = new Set(['KeyW', 'KeyA', 'KeyS', 'KeyD', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']);

/**
 * Keys in a panel: the walking keys stay in it (the focus in the bags must
 * not walk, nor a D meant for the bags), and Escape closes it (`close`),
 * which gives the keys back to the game.
 */
export function keepPanelKeys(root: HTMLElement, close: () => void): void {
  root.addEventListener('keydown', (e) => {
    if (WALK_CODES.has(e.code)) e.stopPropagation();
    else if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });
}
