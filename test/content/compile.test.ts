/**
 * The content compiler on the fixture world: what it writes (packs, the
 * client's manifest, maps and images, the build manifest), that it is
 * deterministic, and that broken sources are refused with every problem
 * named by file and JSON path or map object, writing nothing.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILD_MANIFEST_FILE, type ClientManifest } from '../../src/content/build/manifest.ts';
import type { ClientEntities } from '../../src/content/build/client-entities.ts';
import { compileContent, type CompileResult } from '../../src/content/compile.ts';
import { decodeContentPack } from '../../src/content/pack/content-pack.ts';
import { decodeZonePack } from '../../src/content/pack/zone-pack.ts';
import { formatContentError } from '../../src/content/schema/errors.ts';
import type { ClientMap } from '../../src/content/build/client-map.ts';
import { copyWorld, type WorldCopy } from './build/world-fixture.ts';
import { fixtureContent } from './pack/helpers.ts';

let world: WorldCopy | undefined;
afterEach(() => world?.remove());

function compiled(w: WorldCopy): Extract<CompileResult, { ok: true }> {
  const r = compileContent({ dataDir: w.dataDir, buildDir: w.buildDir });
  if (!r.ok) throw new Error(r.errors.map(formatContentError).join('\n'));
  return r;
}

/** The problems of a compile expected to fail, one formatted line each. */
function problems(w: WorldCopy): string[] {
  const r = compileContent({ dataDir: w.dataDir, buildDir: w.buildDir });
  if (r.ok) throw new Error('expected the compile to fail');
  return r.errors.map(formatContentError);
}

describe('compileContent', () => {
  it('writes the packs, the client view and the manifest, start zone first', () => {
    world = copyWorld();
    const r = compiled(world);
    const b = world.buildDir;
    expect(r.hash).toMatch(/^[0-9a-f]{32}$/);
    expect(r.manifest.zones.map((z) => [z.name, z.width, z.height, z.cellCols, z.cellRows])).toEqual([
      ['town', 12, 8, 1, 1],
      ['field', 32, 16, 2, 1],
    ]);
    const town = decodeZonePack(readFileSync(join(b, 'zones/town.tpak')));
    expect(town.portals).toEqual([{ name: 'to-field', zone: 'field', target: 'arrival', x: 11, y: 2, width: 1, height: 2 }]);
    expect(town.npcs.map((n) => n.npc)).toEqual(['npc.elder_mara']);
    const field = decodeZonePack(readFileSync(join(b, 'zones/field.tpak')));
    expect(field.spawnAreas[0]).toMatchObject({ name: 'old_camp', npc: 'npc.wolf', count: 3 });
    expect(field.npcs[0].patrol).toHaveLength(3);
    expect(decodeContentPack(readFileSync(join(b, 'content.tpak'))).catalogue).toEqual(fixtureContent());

    const client = join(b, 'client', r.hash);
    const cm = JSON.parse(readFileSync(join(client, 'manifest.json'), 'utf8')) as ClientManifest;
    expect(cm).toMatchObject({ hash: r.hash, start: 'town' });
    expect(cm.zones.map((z) => z.map)).toEqual(['maps/town.json', 'maps/field.json']);
    const map = JSON.parse(readFileSync(join(client, 'maps/town.json'), 'utf8')) as ClientMap;
    expect(map.layers.map((l) => [l.kind, l.path, l.visible])).toEqual([
      ['tile', 'world/ground', true],
      ['tile', 'collision', false],
      ['image', 'sky', true],
      ['object', 'decor', true],
    ]);
    for (const ts of map.tilesets) expect(existsSync(join(client, ts.image!.path))).toBe(true);
    expect(readdirSync(join(client, 'images'))).toHaveLength(2);
    // The fixture world names no sprite tileset: the catalogue has the names, no atlas.
    expect(cm.entities).toBe('entities.json');
    const entities = JSON.parse(readFileSync(join(client, cm.entities), 'utf8')) as ClientEntities;
    expect(entities.sprites).toBeNull();
    expect(entities.npcs.map((n) => n.id)).toEqual(fixtureContent().npcs.map((n) => n.id));
    expect(entities.npcs.map((n) => n.hostility)).toEqual(fixtureContent().npcs.map((n) => n.hostility));
    // Skill n is skills[n - 1]; a class lists its skills by that number.
    const fx = fixtureContent();
    expect(entities.skills.map((s) => s.id)).toEqual(fx.skills.map((s) => s.id));
    fx.classes.forEach((c, i) => {
      expect(entities.classes[i].resource).toBe(c.resource);
      expect(entities.classes[i].skills.map((s) => entities.skills[s.skill - 1].id)).toEqual(c.skills.map((s) => s.skill));
    });
    expect(JSON.parse(readFileSync(join(b, BUILD_MANIFEST_FILE), 'utf8')).hash).toBe(r.hash);
    expect(r.warnings).toEqual([expect.stringMatching(/^zone town: maps\/town\.tmx: objectgroup\[name=decor\]\/object\[id=5 name=well\]: object class "decoration"/)]);
  });

  it('gives the same hash for the same sources, another for a change', () => {
    world = copyWorld();
    const a = compiled(world).hash;
    rmSync(world.buildDir, { recursive: true });
    expect(compiled(world).hash).toBe(a);
    world.edit('maps/town.tmx', (t) => t.replace('name="well"', 'name="fountain"'));
    const c = compiled(world).hash;
    expect(c).not.toBe(a);
    // A server still running the previous build keeps serving its maps: that client folder stays.
    expect(readdirSync(join(world.buildDir, 'client')).sort()).toEqual([a, c].sort());
    expect(existsSync(join(world.buildDir, 'client', a, 'maps/town.json'))).toBe(true);
  });

  it('keeps the client folders of the two builds before the current one, no more', () => {
    world = copyWorld();
    const hashes = ['well', 'fountain', 'pond', 'spring'].map((name, i) => {
      if (i > 0) world!.edit('maps/town.tmx', (t) => t.replace(/name="(well|fountain|pond)"/, `name="${name}"`));
      return compiled(world!).hash;
    });
    expect(new Set(hashes).size).toBe(4);
    expect(readdirSync(join(world.buildDir, 'client')).sort()).toEqual(hashes.slice(1).sort());
  });

  it('writes every client JSON file gzip-compressed beside it', () => {
    world = copyWorld();
    const client = join(world.buildDir, 'client', compiled(world).hash);
    for (const f of ['manifest.json', 'maps/town.json', 'maps/field.json']) expect(gunzipSync(readFileSync(join(client, `${f}.gz`)))).toEqual(readFileSync(join(client, f)));
  });

  it('refuses broken references, naming file and object or JSON path, and writes nothing', () => {
    world = copyWorld();
    const first = compiled(world).hash;
    world.edit('maps/town.tmx', (t) => t.replace('value="arrival"', 'value="arrivals"').replace('value="npc.elder_mara"', 'value="npc.elder_maria"'));
    world.edit('maps/field.tmx', (t) => t.replace('<property name="zone" value="town"/>', '<property name="zone" value="city"/>').replace('name="alpha_den"', 'name="den"'));
    world.edit('../content/quests.json', (t) => t.replace('"area": "old_camp"', '"area": "new_camp"'));
    expect(problems(world).sort()).toEqual(
      [
        'maps/town.tmx object[class=portal name=to-field] at 11,2: property "target" names no point or spawn object in zone field (maps/field.tmx): "arrivals"',
        'maps/field.tmx object[class=portal name=to-town] at 2,1: property "zone" names no zone of world.json: "city" (zones: field, town)',
        'maps/town.tmx object[class=npc name=elder] at 4.5,2.5: property "npc": no NPC with id "npc.elder_maria" (did you mean "npc.elder_mara"?)',
        '../content/quests.json $.quests[2].objectives[0].area: no area object (spawn-area, safe-area or portal) named "new_camp" in zone field (maps/field.tmx)',
        '../content/events.json $.events[0].boss.point: no point or spawn object named "alpha_den" in zone field (maps/field.tmx)',
      ].sort(),
    );
    expect(readdirSync(join(world.buildDir, 'client'))).toEqual([first]);
    expect(readdirSync(join(world.buildDir, '..')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses a bad world.json, a broken map and content errors, all at once where it can', () => {
    world = copyWorld();
    world.edit('world.json', (t) => t.replace('"start": "town"', '"start": "castle"'));
    expect(problems(world)).toEqual([expect.stringMatching(/^world\.json:3:\d+ \$\.start: names no zone of \$\.zones \(field, town\)$/)]);
    world.edit('world.json', (t) => t.replace('"start": "castle"', '"start": "town"').replace('"name": "field"', '"name": "town"'));
    expect(problems(world)).toEqual([expect.stringMatching(/^world\.json:\d+:\d+ \$\.zones\[1\]\.name: zone "town" is already defined at \$\.zones\[0\]$/)]);
    world.edit('world.json', (t) => t.replace('"name": "town", "map": "maps/field.tmx"', '"name": "field", "map": "maps/field.tmx"').replace('maps/town.tmx', 'maps/nowhere.tmx'));
    world.edit('maps/field.tmx', (t) => t.replace('compression="zlib"', 'compression="zstd"'));
    world.edit('../content/npcs.json', (t) => t.replace('"leashRadius": 20', '"leashRadius": 1'));
    const p = problems(world);
    expect(p).toHaveLength(3);
    expect(p.join('\n')).toMatch(/\.\.\/content\/npcs\.json:\d+:\d+ \$\.npcs\[\d+\]\.leashRadius: /);
    expect(p.join('\n')).toMatch(/maps\/field\.tmx map\/layer\[name=ground\]\/data: zstd-compressed/);
    expect(p.join('\n')).toMatch(/maps\/nowhere\.tmx \$ \(world\.json \$\.zones\[1\]\.map\): cannot read/);
    expect(existsSync(world.buildDir)).toBe(false);
  });

  it('refuses a missing tileset image, naming the map', () => {
    world = copyWorld();
    rmSync(world.path('maps/props.png'));
    expect(problems(world)).toEqual([expect.stringMatching(/^maps\/town\.tmx image "props\.png": cannot read maps\/props\.png: /)]);
  });
});
