import type { NpcTable } from '../../content/npc-table.ts';
import type { CellContext } from '../system.ts';
import type { Pathfinder } from '../pathfinding.ts';
import type { NpcSenses } from './senses.ts';
import { NO_TARGET } from './threat.ts';

/**
 * What an aggressive NPC notices: players it can see (line of sight on the
 * walkability grid) within its aggro radius, never inside a safe area. Reads
 * only NpcSenses; allocates nothing.
 */
export class NpcAggro {
  private readonly ctx: CellContext;
  private readonly senses: NpcSenses;
  private readonly finder: Pathfinder;
  private readonly npcs: NpcTable;
  private readonly mapWidth: number;
  /** 1 per tile inside a safe area (no fighting there). */
  private readonly safe: Uint8Array;

  constructor(ctx: CellContext, senses: NpcSenses, finder: Pathfinder) {
    this.ctx = ctx;
    this.senses = senses;
    this.finder = finder;
    this.npcs = ctx.npcs;
    this.mapWidth = ctx.map.width;
    this.safe = new Uint8Array(ctx.map.width * ctx.map.height);
    for (const a of ctx.zoneMap.safeAreas) {
      for (let y = Math.floor(a.y); y < Math.ceil(a.y + a.height); y++) {
        for (let x = Math.floor(a.x); x < Math.ceil(a.x + a.width); x++) this.safe[y * ctx.map.width + x] = 1;
      }
    }
  }

  /** True when the player sensed at list index `i` stands in a safe area (ints in: see NpcPaths.args). */
  sensedSafe(i: number): boolean {
    return this.safe[Math.floor(this.senses.y[i]) * this.mapWidth + Math.floor(this.senses.x[i])] === 1;
  }

  /** True when player slot `ts`, where it was last sensed, stands in a safe area. */
  seenSafe(ts: number): boolean {
    return this.safe[Math.floor(this.senses.seenY[ts]) * this.mapWidth + Math.floor(this.senses.seenX[ts])] === 1;
  }

  /**
   * The nearest live player within the template's aggro radius, outside safe
   * areas and in line of sight, among those sensed in the 3×3 AOI tiles
   * around the NPC; NO_TARGET when none.
   */
  scan(slot: number, template: number): number {
    const s = this.senses;
    const f = this.ctx.store.f;
    const g = this.ctx.views.geometry;
    const x = f.x[slot];
    const y = f.y[slot];
    const r = this.npcs.aggroRadius[template];
    let best = r * r;
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
          if (!this.finder.straight(Math.floor(x), Math.floor(y), Math.floor(s.x[i]), Math.floor(s.y[i]))) continue;
          best = d;
          found = i;
        }
      }
    }
    return found < 0 ? NO_TARGET : s.handle[found];
  }
}
