/**
 * `--npc-scale K` for the default world: a copy of the content whose every
 * NPC spawn area holds K times its NPCs. The default world has about 33
 * hostile NPCs in the Ashen Fields, each back 40–150 s after it dies, so
 * the kills a fight run can make are capped near one every few seconds
 * whatever the bot count: at a hundred bots and more most fight bots find
 * nothing to fight and wander. Scaling the spawn areas keeps the world's
 * maps, NPCs, loot and quests and gives the bots prey to match. Tiled maps
 * in TMX only (the content's format); the count is capped at the
 * compiler's 1,000 per area.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseWorldFile, WORLD_FILE } from '../../src/content/schema/world.ts';

/** The compiler's bound on one spawn area's count (src/content/zone-map.ts). */
export const MAX_AREA_COUNT = 1000;

const SPAWN_AREA = /<object\b[^>]*\btype="spawn-area"[^>]*>[\s\S]*?<\/object>/g;
const COUNT = /(<property\s+name="count"\s+type="int"\s+value=")(\d+)("\s*\/>)/;

/** `tmx` with every spawn area's count times `k` (rounded, at least 1, at most MAX_AREA_COUNT), and the NPC totals before and after. */
export function scaleSpawnCounts(tmx: string, k: number): { text: string; before: number; after: number } {
  let before = 0;
  let after = 0;
  const text = tmx.replace(SPAWN_AREA, (obj) =>
    obj.replace(COUNT, (_m, head: string, n: string, tail: string) => {
      const was = Number(n);
      const now = Math.min(MAX_AREA_COUNT, Math.max(1, Math.round(was * k)));
      before += was;
      after += now;
      return `${head}${now}${tail}`;
    }),
  );
  return { text, before, after };
}

/**
 * Copies content folder `src` to `dest` and scales the spawn areas of every
 * zone's map by `k`; returns the NPCs of the spawn areas before and after,
 * per zone. Throws for a zone whose map is not a .tmx file.
 */
export function scaledContentCopy(src: string, dest: string, k: number): { zone: string; before: number; after: number }[] {
  cpSync(src, dest, { recursive: true });
  const parsed = parseWorldFile(readFileSync(join(dest, WORLD_FILE), 'utf8'));
  if (!parsed.ok) throw new Error(`${src}/${WORLD_FILE}: ${parsed.errors[0].path}: ${parsed.errors[0].message}`);
  const out: { zone: string; before: number; after: number }[] = [];
  for (const z of parsed.world.zones) {
    if (!z.map.endsWith('.tmx')) throw new Error(`--npc-scale: zone ${z.name}'s map ${z.map} is not a .tmx file`);
    const file = resolve(dest, z.map);
    const r = scaleSpawnCounts(readFileSync(file, 'utf8'), k);
    writeFileSync(file, r.text);
    out.push({ zone: z.name, before: r.before, after: r.after });
  }
  return out;
}

