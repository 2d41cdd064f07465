import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorldBook } from '../../src/bots/world-book.ts';
import { EQUIP_SLOTS } from '../../src/content/schema/items.ts';
import { loadContent } from '../../src/content/schema/load.ts';
import { readFileSync } from 'node:fs';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function copyOfData(): string {
  const d = mkdtempSync(join(tmpdir(), 'tessera-worldbook-'));
  dirs.push(d);
  cpSync('data', d, { recursive: true });
  return d;
}

describe('the world book', () => {
  const content = loadContent((name) => {
    try {
      return readFileSync(join('data', name), 'utf8');
    } catch {
      return undefined;
    }
  });
  if (!content.ok) throw new Error('data/ does not load');
  const c = content.content;
  const template = (id: string) => c.npcs.findIndex((n) => n.id === id) + 1;
  const book = loadWorldBook('data')!;

  it('knows the default world: its zones, their portals, where the quest givers stand and where NPCs are hunted', () => {
    expect(book.zones.map((z) => z.name)).toEqual(['town', 'field']);
    const [town, field] = book.zones;
    expect(town.portals).toEqual([expect.objectContaining({ zone: 'field' })]);
    expect(field.portals).toEqual([expect.objectContaining({ zone: 'town' })]);
    expect(town.tiles.length).toBe(town.width * town.height);
    expect(town.npcs.find((n) => n.template === template('npc.elder_maren'))).toMatchObject({ x: 31.5, y: 14.5 });
    expect(field.spawnAreas.find((a) => a.template === template('npc.wolf'))).toMatchObject({ x: 10, y: 12, width: 23, height: 23 });
    expect(field.areas.map((a) => a.name)).toContain('scout_camp');
  });

  it('holds the quests a bot can do, numbered as the wire numbers them, and leaves collect quests out', () => {
    const wolves = c.quests.findIndex((q) => q.id === 'quest.wolves_at_the_gate');
    expect(book.quests.find((q) => q.number === wolves)).toEqual({
      number: wolves,
      giver: template('npc.elder_maren'),
      turnIn: template('npc.elder_maren'),
      minLevel: 1,
      prerequisites: [],
      repeatable: false,
      objectives: [{ type: 'kill', template: template('npc.wolf'), count: 6 }],
    });
    const bryn = book.quests.find((q) => q.number === c.quests.findIndex((x) => x.id === 'quest.where_is_bryn'))!;
    expect(bryn.turnIn).toBe(template('npc.scout_bryn'));
    expect(bryn.prerequisites).toEqual([wolves]);
    expect(bryn.objectives.map((o) => o.type)).toEqual(['reach', 'talk']);
    const collects = c.quests.flatMap((q, i) => (q.objectives.some((o) => o.type === 'collect') ? [i] : []));
    expect(collects.length).toBeGreaterThan(0);
    for (const n of collects) expect(book.quests.some((q) => q.number === n)).toBe(false);
  });

  it('scores what can be worn and knows what heals', () => {
    const item = (id: string) => book.items[c.items.findIndex((i) => i.id === id) + 1];
    expect(book.items[0]).toBeNull();
    expect(item('item.leather_jerkin')).toMatchObject({ slot: EQUIP_SLOTS.indexOf('chest'), levelRequired: 1, classes: [], score: 13 });
    expect(item('item.militia_longsword')).toMatchObject({ slot: EQUIP_SLOTS.indexOf('mainHand'), levelRequired: 4, classes: [c.classes.findIndex((k) => k.id === 'class.warrior') + 1] });
    expect(item('item.health_potion')).toMatchObject({ slot: -1, heals: true, cooldownMs: 30_000 });
    expect(item('item.wolf_pelt')).toBeNull();
  });

  it('is null for a folder without a world, and names the file when its world or maps do not load', () => {
    const empty = mkdtempSync(join(tmpdir(), 'tessera-worldbook-empty-'));
    dirs.push(empty);
    expect(loadWorldBook(empty)).toBeNull();
    const bad = copyOfData();
    writeFileSync(join(bad, 'world.json'), '{"zones": 7}');
    expect(() => loadWorldBook(bad)).toThrow(/world\.json/);
    const noMap = copyOfData();
    rmSync(join(noMap, 'maps', 'field.tmx'));
    expect(() => loadWorldBook(noMap)).toThrow(/zone field/);
    const badQuests = copyOfData();
    writeFileSync(join(badQuests, 'quests.json'), '{"quests": [{"id": 1}]}');
    expect(() => loadWorldBook(badQuests)).toThrow(/quests\.json/);
  });
});

describe('bot characters', () => {
  it('are made of a class the content has (class 1 when the bot does not know the content)', async () => {
    const { classIdFor, characterNameFor } = await import('../../src/bots/accounts.ts');
    const classes = new Set<number>();
    for (let i = 0; i < 800; i++) classes.add(classIdFor(characterNameFor('looter', i), 3));
    expect([...classes].sort()).toEqual([1, 2, 3]);
    expect(classIdFor('lootera', 3)).toBe(2);
    expect(classIdFor('lootera', 0)).toBe(1);
  });
});
