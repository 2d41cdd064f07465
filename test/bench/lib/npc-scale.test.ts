import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scaledContentCopy, scaleSpawnCounts } from '../../../bench/lib/npc-scale.ts';
import { loadWorldBook } from '../../../src/bots/world-book.ts';
import { readTiledMap } from '../../../src/content/tiled/index.ts';
import { zoneMapOf } from '../../../src/content/zone-map.ts';

const tmx = `<map>
 <objectgroup name="npcs">
  <object id="1" name="a" type="spawn-area" x="0" y="0" width="64" height="64">
   <properties>
    <property name="count" type="int" value="6"/>
    <property name="npc" value="npc.wolf"/>
   </properties>
  </object>
  <object id="2" name="giver" type="npc" x="5" y="5">
   <properties>
    <property name="count" type="int" value="7"/>
   </properties>
  </object>
  <object id="3" name="b" type="spawn-area" x="0" y="0" width="64" height="64">
   <properties>
    <property name="count" type="int" value="600"/>
   </properties>
  </object>
 </objectgroup>
</map>`;

let dir = '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--npc-scale', () => {
  it("scales spawn areas' counts only, capped at the compiler's bound", () => {
    const r = scaleSpawnCounts(tmx, 2.5);
    expect(r.text).toContain('value="15"');
    // Another object's count property is not an NPC count.
    expect(r.text).toContain('value="7"');
    expect(r.text).toContain('value="1000"');
    expect(r).toMatchObject({ before: 606, after: 1015 });
    expect(scaleSpawnCounts(tmx, 0.1).after).toBe(1 + 60);
  });

  it('copies the default world with ten times the NPCs of each spawn area, which the compiler reads back', () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-npcscale-'));
    const out = join(dir, 'content');
    const zones = scaledContentCopy('data', out, 10);
    const field = zones.find((z) => z.zone === 'field')!;
    expect(field.before).toBeGreaterThan(0);
    expect(field.after).toBe(field.before * 10);
    const scaled = zoneMapOf(readTiledMap(join(out, 'maps', 'field.tmx')));
    const original = zoneMapOf(readTiledMap(join('data', 'maps', 'field.tmx')));
    expect(scaled.spawnAreas.map((a) => a.count)).toEqual(original.spawnAreas.map((a) => a.count * 10));
    // The original is untouched, and the copy is a whole world the bots can read.
    expect(readFileSync(join('data', 'maps', 'field.tmx'), 'utf8')).not.toEqual(readFileSync(join(out, 'maps', 'field.tmx'), 'utf8'));
    expect(loadWorldBook(out)!.zones.map((z) => z.name)).toEqual(['town', 'field']);
  });
});
