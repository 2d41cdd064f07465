import type { CellContext } from '../system.ts';
import { safeTiles } from '../safe-tiles.ts';
import type { NpcSenses } from './senses.ts';
import { NO_TARGET } from './threat.ts';

/**
 * What an NPC may pick a fight with: the nearest live player in its aggro
 * radius, in line of sight on the walkability grid and outside safe areas,
 * among the players its cell sensed (npc/senses.ts); and whether a player
 * it fights has stepped into a safe area (then it is dropped).
 */
export class NpcAggro {
  private readonly ctx: CellContext;
  private readonly senses: NpcSenses;
  private readonly lineOfSight: { straight(x0: number, y0: number, x1: number, y1: number): boolean };
  /** 1 per tile inside a safe area (no fighting there). */
  private readonly safe: Uint8Array;
  private readonly mapWidth: number;

  constructor(ctx: CellContext, senses: NpcSenses, lineOfSight: { straight(x0: number, y0: number, x1: number, y1: number): boolean }) {
    this.ctx = ctx;
    this.senses = senses;
    this.lineOfSight = lineOfSight;
    this.mapWidth = ctx.map.width;
    this.safe = safeTiles(ctx.zoneMap, ctx.map.width, ctx.map.height);
  }

  /** True when the player sensed at list index `i` stands in a safe area. */
  private sensedSafe(i: number): boolean {
    return this.safe[Math.floor(this.senses.y[i]) * this.mapWidth + Math.floor(this.senses.x[i])] === 1;
  }

  /** True when player slot `ts`, where it was last sensed, stands in a safe area. */
  seenSafe(ts: number): boolean {
    return this.safe[Math.floor(this.senses.seenY[ts]) * this.mapWidth + Math.floor(this.senses.seenX[ts])] === 1;
  }

  /**
   * The nearest live player within `radius` of NPC `slot`, outside safe
   * areas and in line of sight, among those sensed in the 3×3 AOI tiles
   * around it; NO_TARGET when none.
   */
  scan(slot: number, radius: number): number {
    const s = this.senses;
    const f = this.ctx.store.f;
    const g = this.ctx.views.geometry;
    const x = f.x[slot];
    const y = f.y[slot];
    let best = radius * radius;
    let found = -1;
    const tx = g.tileX(x);
    const ty = g.tileY(y);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const n = s.countAt(tx + dx, ty + dy);
        if (n === 0) continue;
        const first = s.first(tx + dx, ty + dy);
        for (let i = first; i < first + n; i++) {
          const d = (s.x[i] - x) ** 2 + (s.y[i] - y) ** 2;
          if (d > best || this.sensedSafe(i)) continue;
          if (!this.lineOfSight.straight(Math.floor(x), Math.floor(y), Math.floor(s.x[i]), Math.floor(s.y[i]))) continue;
          best = d;
          found = i;
        }
      }
    }
    return found < 0 ? NO_TARGET : s.handle[found];
  }
}
