import { BitmapText, Container, Graphics } from 'pixi.js';
import type { FloatKind } from '../combat/event-text.ts';

/**
 * Floating combat text over entities (damage, heals, misses, experience),
 * rising and fading for a second, from a fixed pool of BitmapTexts (one
 * white font, coloured by tint: no font is generated per number). And the
 * target ring: an ellipse under the selected entity, red for an enemy.
 */
const LIFE_MS = 1100;
const POOL = 48;
const STYLE = { fontFamily: 'system-ui, sans-serif', fontSize: 15, fontWeight: 'bold', fill: 0xffffff, stroke: { color: 0x000000, width: 4 } } as const;
export const FLOAT_TINT: Record<FloatKind, number> = {
  damage: 0xffe066,
  damageTaken: 0xff5a4a,
  heal: 0x5cff7a,
  miss: 0xd0d0d0,
  dodge: 0xd0d0d0,
  xp: 0xd6a6ff,
  level: 0xffd84a,
};

interface Floater {
  text: BitmapText;
  born: number;
  /** World position it started at (pixels) and its sideways drift. */
  x: number;
  y: number;
  drift: number;
  scale: number;
}

export class Floaters {
  readonly layer = new Container({ label: 'floaters' });
  private readonly pool: Floater[] = [];
  private next = 0;
  /** Texts shown since the page loaded (the tests read it). */
  shown = 0;

  constructor() {
    for (let i = 0; i < POOL; i++) {
      const text = new BitmapText({ text: '', style: STYLE });
      text.anchor.set(0.5, 1);
      text.visible = false;
      this.layer.addChild(text);
      this.pool.push({ text, born: 0, x: 0, y: 0, drift: 0, scale: 1 });
    }
  }

  /** Shows `text` over world pixel (x, y). */
  spawn(kind: FloatKind, text: string, x: number, y: number, crit: boolean, now: number): void {
    const f = this.pool[this.next];
    this.next = (this.next + 1) % POOL;
    f.text.text = text;
    f.text.tint = FLOAT_TINT[kind];
    f.text.visible = true;
    f.born = now;
    f.x = x;
    f.y = y;
    f.drift = ((this.shown % 5) - 2) * 6;
    f.scale = crit ? 1.5 : kind === 'level' ? 1.3 : kind === 'xp' ? 0.9 : 1;
    this.shown++;
  }

  /** Moves and fades every live text; `zoom` keeps them a steady size on screen. */
  update(now: number, zoom: number): void {
    for (const f of this.pool) {
      if (!f.text.visible) continue;
      const t = (now - f.born) / LIFE_MS;
      if (t >= 1) {
        f.text.visible = false;
        continue;
      }
      f.text.position.set(f.x + f.drift * t, f.y - 36 * t);
      f.text.alpha = t < 0.7 ? 1 : 1 - (t - 0.7) / 0.3;
      // A crit pops: larger at first, settling.
      f.text.scale.set((f.scale * (t < 0.12 ? 1 + (0.12 - t) * 3 : 1)) / zoom);
    }
  }

  clear(): void {
    for (const f of this.pool) f.text.visible = false;
  }
}

/** The ring under the target. */
export class TargetRing {
  readonly ring = new Graphics();
  private colour = -1;
  private size = -1;

  constructor() {
    this.ring.visible = false;
  }

  /** Shows the ring at world pixel (x, y) under an entity of `tile` pixels, `hostile` red, else yellow (friendly NPCs) or green (players). */
  show(x: number, y: number, tile: number, colour: number, now: number): void {
    if (colour !== this.colour || tile !== this.size) {
      this.colour = colour;
      this.size = tile;
      this.ring.clear().ellipse(0, 0, tile * 0.42, tile * 0.2).stroke({ color: colour, width: 2, alpha: 0.95 }).ellipse(0, 0, tile * 0.42, tile * 0.2).fill({ color: colour, alpha: 0.18 });
    }
    this.ring.position.set(x, y + tile * 0.32);
    this.ring.alpha = 0.75 + 0.25 * Math.sin(now / 180);
    this.ring.visible = true;
  }

  hide(): void {
    this.ring.visible = false;
  }
}
