import type { Walkability } from '../net/movement.ts';
import { EntityFlagValues, EntityKindValues } from '../content/kinds.ts';

/**
 * The minimap: the zone's terrain (walkable ground, rock, water) drawn once
 * per zone into an offscreen canvas, then each refresh that picture with the
 * entities in view as dots and the player as a ring, centred on the player
 * when the zone is larger than the minimap.
 */
const TERRAIN_COLOURS = ['#4b6b3a', '#3b3b42', '#2d5a8a'];

export interface Dot {
  x: number;
  y: number;
  colour: string;
}

export class Minimap {
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private terrain: HTMLCanvasElement | null = null;
  private map: Walkability | null = null;
  /** Canvas pixels per tile. */
  private scale = 2;

  constructor(canvas: HTMLCanvasElement) {
    this.canvas = canvas;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
  }

  setZone(map: Walkability, title: string): void {
    this.map = map;
    const off = document.createElement('canvas');
    off.width = map.width;
    off.height = map.height;
    const c = off.getContext('2d')!;
    const img = c.createImageData(map.width, map.height);
    const rgb = TERRAIN_COLOURS.map((h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)]);
    for (let i = 0; i < map.tiles.length; i++) {
      const [r, g, b] = rgb[Math.min(map.tiles[i], rgb.length - 1)];
      img.data[i * 4] = r;
      img.data[i * 4 + 1] = g;
      img.data[i * 4 + 2] = b;
      img.data[i * 4 + 3] = 255;
    }
    c.putImageData(img, 0, 0);
    this.terrain = off;
    this.scale = Math.max(1, Math.min(3, Math.floor(this.canvas.width / Math.max(map.width, map.height)) || 1));
    this.canvas.setAttribute('aria-label', `Map of ${title}`);
  }

  draw(me: { x: number; y: number } | null, dots: readonly Dot[]): void {
    const { ctx, canvas, terrain, map } = this;
    ctx.fillStyle = '#111';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (!terrain || !map) return;
    const s = this.scale;
    // Top-left of the view in tiles: centred on the player, kept inside the zone.
    const viewW = canvas.width / s;
    const viewH = canvas.height / s;
    const cx = me ? me.x : map.width / 2;
    const cy = me ? me.y : map.height / 2;
    const ox = map.width <= viewW ? (map.width - viewW) / 2 : Math.max(0, Math.min(map.width - viewW, cx - viewW / 2));
    const oy = map.height <= viewH ? (map.height - viewH) / 2 : Math.max(0, Math.min(map.height - viewH, cy - viewH / 2));
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(terrain, -ox * s, -oy * s, map.width * s, map.height * s);
    for (const d of dots) {
      ctx.fillStyle = d.colour;
      ctx.fillRect((d.x - ox) * s - 1.5, (d.y - oy) * s - 1.5, 3, 3);
    }
    if (me) {
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc((me.x - ox) * s, (me.y - oy) * s, 3.5, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
}

const DOT_COLOURS: Record<number, string> = { [EntityKindValues.PLAYER]: '#6cb8ff', [EntityKindValues.NPC]: '#f0a040', [EntityKindValues.ITEM]: '#f4e36a', [EntityKindValues.CORPSE]: '#888' };

/** The minimap's dots for the living entities in view, coloured by kind. */
export function dotsOf(entities: Iterable<{ state: { kind: number; flags: number }; drawn: { x: number; y: number } }>): Dot[] {
  const dots: Dot[] = [];
  for (const o of entities) {
    if ((o.state.flags & EntityFlagValues.DEAD) !== 0) continue;
    dots.push({ x: o.drawn.x, y: o.drawn.y, colour: DOT_COLOURS[o.state.kind] ?? '#fff' });
  }
  return dots;
}
