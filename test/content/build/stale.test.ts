/** Staleness of a build against its sources: changed, added, removed, another folder, no build. */
import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contentIsStale, staleReason } from '../../../src/content/build/stale.ts';
import { compileContent } from '../../../src/content/compile.ts';
import { copyWorld, type WorldCopy } from './world-fixture.ts';

let world: WorldCopy | undefined;
afterEach(() => world?.remove());

function built(): WorldCopy {
  const w = copyWorld();
  const r = compileContent({ dataDir: w.dataDir, buildDir: w.buildDir });
  if (!r.ok) throw new Error('fixture world does not compile');
  return w;
}

/** Moves a file's modification time forward, as an editor's save does. */
function touch(path: string): void {
  const t = statSync(path).mtimeMs / 1000 + 5;
  utimesSync(path, t, t);
}

describe('contentIsStale', () => {
  it('is stale without a build, fresh right after one', () => {
    world = copyWorld();
    expect(staleReason(world.dataDir, world.buildDir)).toMatch(/^no build in /);
    compileContent({ dataDir: world.dataDir, buildDir: world.buildDir });
    expect(staleReason(world.dataDir, world.buildDir)).toBeUndefined();
    expect(contentIsStale(world.dataDir, world.buildDir)).toBe(false);
  });

  it('sees a changed map, tileset, image or content file, even outside the data folder', () => {
    world = built();
    for (const rel of ['maps/town.tmx', 'tilesets/terrain.tsx', 'tilesets/terrain.png', '../content/items.json', 'world.json']) {
      const w = world;
      touch(w.path(rel));
      expect(staleReason(w.dataDir, w.buildDir), rel).toMatch(/changed$/);
      compileContent({ dataDir: w.dataDir, buildDir: w.buildDir });
      expect(contentIsStale(w.dataDir, w.buildDir), rel).toBe(false);
    }
  });

  it('sees a changed size with the same modification time', () => {
    world = built();
    const f = world.path('maps/town.tmx');
    const { atime, mtime } = statSync(f);
    world.edit('maps/town.tmx', (t) => `${t}\n`);
    utimesSync(f, atime, mtime);
    expect(staleReason(world.dataDir, world.buildDir)).toMatch(/town\.tmx changed$/);
  });

  it('sees a source added or removed, a content file appearing, and ignores data/schemas', () => {
    world = built();
    mkdirSync(world.path('schemas'));
    writeFileSync(world.path('schemas/npcs.schema.json'), '{}');
    expect(contentIsStale(world.dataDir, world.buildDir)).toBe(false);
    writeFileSync(world.path('maps/cave.tmx'), '<map/>');
    expect(staleReason(world.dataDir, world.buildDir)).toMatch(/cave\.tmx was added$/);
    rmSync(world.path('maps/cave.tmx'));
    expect(contentIsStale(world.dataDir, world.buildDir)).toBe(false);
    rmSync(world.path('maps/props.png'));
    expect(staleReason(world.dataDir, world.buildDir)).toMatch(/props\.png was removed$/);
  });

  it('sees a content file added to a content folder outside the data folder', () => {
    world = copyWorld();
    rmSync(join(world.root, 'content', 'events.json'));
    compileContent({ dataDir: world.dataDir, buildDir: world.buildDir });
    expect(contentIsStale(world.dataDir, world.buildDir)).toBe(false);
    writeFileSync(join(world.root, 'content', 'events.json'), '{ "events": [] }');
    expect(staleReason(world.dataDir, world.buildDir)).toMatch(/events\.json was added$/);
  });

  it('is stale for a build of another folder, or a damaged manifest', () => {
    world = built();
    expect(staleReason(world.path('maps'), world.buildDir)).toMatch(/^the build is of /);
    writeFileSync(join(world.buildDir, 'manifest.json'), '{"format": 99}');
    expect(staleReason(world.dataDir, world.buildDir)).toMatch(/another compiler version/);
  });
});
