/** Driving the client's page in the browser tests: waiting on window.__tessera's state, walking along A* routes through the client's own input path. */
import type { Page } from 'playwright-core';
import { gameMapOf, type ZoneMap } from '../../../src/content/zone-map.ts';
import { Pathfinder } from '../../../src/workers/pathfinding.ts';
import type { DebugState } from '../../../web/client/src/debug-types.ts';

/** Polls the page's debug state until `cond` holds (or throws after `ms`, naming `what` and the last state). */
export async function pageUntil(page: Page, cond: (s: DebugState) => boolean, ms: number, what: string): Promise<DebugState> {
  const deadline = Date.now() + ms;
  let last: DebugState | undefined;
  for (;;) {
    last = (await page.evaluate('window.__tessera?.state()').catch(() => undefined)) as DebugState | undefined;
    if (last && cond(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last && { ...last, others: last.others.length, tilesDrawn: undefined })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}


/** Corners of an A* path on `zone` from (x, y) to a walkable tile near (gx, gy). */
export function route(zone: ZoneMap, x: number, y: number, gx: number, gy: number): { x: number; y: number }[] {
  for (let r = 0; r < 12; r++) {
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== r) continue;
        let out: { x: number; y: number }[] | undefined;
        const finder = new Pathfinder(gameMapOf(zone), (_id, found, p, length) => {
          if (found) out = Array.from(p.subarray(0, length), (t) => ({ x: (t % zone.width) + 0.5, y: Math.floor(t / zone.width) + 0.5 }));
        }, { maxNodes: 100_000, maxPath: 4096 });
        finder.request(1, Math.floor(x), Math.floor(y), Math.floor(gx) + dx, Math.floor(gy) + dy);
        finder.step(1_000_000);
        if (out) return out;
      }
    }
  }
  throw new Error(`no path to near ${gx},${gy}`);
}

/**
 * The corners of a route where it turns. A route lists every tile centre;
 * walking to each turn in one destination input follows the same line as
 * stopping at every tile, without a stop (and a round trip through the
 * page) per tile.
 */
export function turns(corners: { x: number; y: number }[]): { x: number; y: number }[] {
  return corners.filter((p, i) => {
    const a = corners[i - 1];
    const b = corners[i + 1];
    return a === undefined || b === undefined || p.x - a.x !== b.x - p.x || p.y - a.y !== b.y - p.y;
  });
}

/** Walks the page's player along `corners` (destination inputs through the client, one per turn of the route), until `done`. */
export async function pageWalk(page: Page, corners: { x: number; y: number }[], done: (s: DebugState) => boolean, what: string): Promise<void> {
  for (const p of turns(corners)) {
    const s = (await page.evaluate('window.__tessera.state()')) as DebugState;
    if (done(s)) return;
    await page.evaluate(`window.__tessera.walkTo(${p.x}, ${p.y})`);
    // 10 s, and half a second per unit of the leg (a player walks 6 a second): a loaded box stretches both.
    const leg = s.me ? Math.hypot(s.me.serverX - p.x, s.me.serverY - p.y) : 0;
    await pageUntil(page, (x) => done(x) || (x.me !== null && Math.hypot(x.me.serverX - p.x, x.me.serverY - p.y) < 0.3), 10_000 + 500 * leg, `${what}: corner ${p.x},${p.y}`);
  }
  await pageUntil(page, done, 10_000, what);
}

