/**
 * A start on content: compiled when stale, loaded, its zones running with
 * the content pack in every cell and its client files on /content/; broken
 * content stops the start with every problem named.
 */
import { rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentCompileError } from '../../../src/content/compile.ts';
import { loadConfig } from '../../../src/main/config.ts';
import { startTessera, type Tessera } from '../../../src/main/start-tessera.ts';
import { prepareWorld } from '../../../src/main/zones/content-world.ts';
import { silentLog } from '../../helpers/zone.ts';
import { copyWorld, type WorldCopy } from '../../content/build/world-fixture.ts';

let world: WorldCopy | undefined;
let tessera: Tessera | undefined;
afterEach(async () => {
  await tessera?.close();
  tessera = undefined;
  world?.remove();
  world = undefined;
});

const env = (w: WorldCopy, extra: Record<string, string> = {}) =>
  loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1', CONTENT_DIR: w.dataDir, CONTENT_BUILD_DIR: w.buildDir, ...extra });

describe('prepareWorld', () => {
  it('compiles a missing or stale build, and only then', () => {
    world = copyWorld();
    const cfg = env(world);
    const first = prepareWorld(cfg, silentLog)!;
    expect(first.zones.map((z) => z.name)).toEqual(['town', 'field']);
    const built = statSync(join(world.buildDir, 'manifest.json')).mtimeMs;
    expect(prepareWorld(cfg, silentLog)!.hash).toBe(first.hash);
    expect(statSync(join(world.buildDir, 'manifest.json')).mtimeMs).toBe(built);
    world.edit('maps/town.tmx', (t) => t.replace('name="well"', 'name="fountain"'));
    const t = statSync(world.path('maps/town.tmx')).mtimeMs / 1000 + 5;
    utimesSync(world.path('maps/town.tmx'), t, t);
    expect(prepareWorld(cfg, silentLog)!.hash).not.toBe(first.hash);
  });

  it('is null without a world.json, and refuses broken content with every problem', () => {
    world = copyWorld();
    rmSync(world.path('world.json'));
    expect(prepareWorld(env(world), silentLog)).toBeNull();
    world.remove();
    world = copyWorld();
    world.edit('maps/town.tmx', (t) => t.replace('value="arrival"', 'value="nowhere"'));
    world.edit('maps/field.tmx', (t) => t.replace('value="npc.wolf"', 'value="npc.wolves"'));
    let err: unknown;
    try {
      prepareWorld(env(world), silentLog);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ContentCompileError);
    const message = (err as Error).message;
    expect(message).toMatch(/does not compile \(2 problems\):\n/);
    expect(message).toMatch(/maps\/town\.tmx object\[class=portal name=to-field\] at 11,2: property "target" names no point/);
    expect(message).toMatch(/maps\/field\.tmx object\[class=spawn-area name=old_camp\] at 4,2: property "npc": no NPC with id "npc\.wolves"/);
  });
});

describe('a server on content', () => {
  it('runs the world\'s zones, serves the client files and knows the content hash', async () => {
    world = copyWorld();
    const cfg = env(world);
    const content = prepareWorld(cfg, silentLog)!;
    tessera = await startTessera(cfg, { log: silentLog, content });
    expect(tessera.contentHash).toBe(content.hash);
    expect(tessera.supervisor.zones.map((z) => [z.spec.name, z.init.map === content.zones.find((w) => w.name === z.spec.name)!.pack])).toEqual([
      ['town', true],
      ['field', true],
    ]);
    expect(tessera.supervisor.zones.every((z) => z.launch.cell?.content === content.content)).toBe(true);
    expect(tessera.supervisor.isReady()).toBe(true);
    const r = await fetch(`http://127.0.0.1:${tessera.port}/content/manifest.json`);
    expect(await r.json()).toEqual({ hash: content.hash, manifest: `/content/${content.hash}/manifest.json` });
    const m = await fetch(`http://127.0.0.1:${tessera.port}/content/${content.hash}/manifest.json`);
    expect(((await m.json()) as { start: string }).start).toBe('town');
  });

  it('runs configured zones over content when ZONES is set, with the content pack in their cells', async () => {
    world = copyWorld();
    const cfg = env(world, { ZONES: 'arena:64x64:1x1' });
    const content = prepareWorld(cfg, silentLog)!;
    tessera = await startTessera(cfg, { log: silentLog, content });
    expect(tessera.supervisor.zones.map((z) => z.spec.name)).toEqual(['arena']);
    expect(tessera.supervisor.zones[0].launch.cell?.content).toBe(content.content);
  });
});
