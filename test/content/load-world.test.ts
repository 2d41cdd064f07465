/**
 * Loading a build: zones in shared memory, start zone first; a damaged,
 * truncated, mismatched or missing file stops the load naming the file, and
 * for the packs the section and offset.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileContent } from '../../src/content/compile.ts';
import { BUILD_FORMAT } from '../../src/content/build/manifest.ts';
import { loadWorld, WorldLoadError } from '../../src/content/load-world.ts';
import { FORMAT_VERSION, Header, readContainer } from '../../src/content/pack/container.ts';
import { decodeNpcTable } from '../../src/content/pack/content-pack.ts';
import { ContentFileError } from '../../src/content/pack/errors.ts';
import { decodeZonePack } from '../../src/content/pack/zone-pack.ts';
import { copyWorld, type WorldCopy } from './build/world-fixture.ts';
import { fixtureContent } from './pack/helpers.ts';

let world: WorldCopy | undefined;
afterEach(() => world?.remove());

function built(): WorldCopy {
  const w = copyWorld();
  const r = compileContent({ dataDir: w.dataDir, buildDir: w.buildDir });
  if (!r.ok) throw new Error('fixture world does not compile');
  return w;
}

function loadError(dir: string): Error {
  try {
    loadWorld(dir);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the load to fail');
}

describe('loadWorld', () => {
  it('loads the zones, start first, and the content, into shared memory', () => {
    world = built();
    const w = loadWorld(world.buildDir);
    const manifest = JSON.parse(readFileSync(join(world.buildDir, 'manifest.json'), 'utf8'));
    expect(w.hash).toBe(manifest.hash);
    expect(w.start).toBe('town');
    expect(w.clientDir).toBe(join(world.buildDir, 'client', w.hash));
    expect(w.zones.map((z) => [z.name, z.width, z.height, z.cellCols, z.cellRows])).toEqual([
      ['town', 12, 8, 1, 1],
      ['field', 32, 16, 2, 1],
    ]);
    for (const z of w.zones) {
      expect(z.pack).toBeInstanceOf(SharedArrayBuffer);
      expect(decodeZonePack(new Uint8Array(z.pack)).name).toBe(z.name);
    }
    expect(w.content).toBeInstanceOf(SharedArrayBuffer);
    expect(decodeNpcTable(new Uint8Array(w.content)).ids.slice(1)).toEqual(fixtureContent().npcs.map((n) => n.id));
    expect(w.catalogue).toEqual(fixtureContent());
  });

  it('names the file, section and offset of a corrupt, truncated or other-version pack', () => {
    world = built();
    const file = join(world.buildDir, 'zones/field.tpak');
    const good = readFileSync(file);
    const tiles = readContainer(good, file).offsets.get('TILE')!;

    const flipped = Buffer.from(good);
    flipped[tiles + 3] ^= 0x40;
    writeFileSync(file, flipped);
    let e = loadError(world.buildDir) as ContentFileError;
    expect(e).toBeInstanceOf(ContentFileError);
    expect([e.file, e.section, e.offset]).toEqual([file, 'TILE', tiles]);
    expect(e.message).toBe(`${file}: TILE at offset ${tiles}: CRC32 mismatch: the section is corrupt`);

    writeFileSync(file, good.subarray(0, tiles + 10));
    e = loadError(world.buildDir) as ContentFileError;
    expect([e.file, e.section]).toEqual([file, 'TILE']);
    expect(e.message).toMatch(/past the end of the \d+-byte file \(truncated\?\)/);

    const other = Buffer.from(good);
    other.writeUInt16LE(FORMAT_VERSION + 1, Header.version);
    writeFileSync(file, other);
    e = loadError(world.buildDir) as ContentFileError;
    expect(e.message).toBe(`${file}: header at offset ${Header.version}: format version ${FORMAT_VERSION + 1}, this server reads version ${FORMAT_VERSION}; rebuild the content with npm run content`);
  });

  it('refuses a pack from another compile and a damaged content pack', () => {
    world = built();
    const field = join(world.buildDir, 'zones/field.tpak');
    const town = join(world.buildDir, 'zones/town.tpak');
    const fieldBytes = readFileSync(field);
    writeFileSync(town, fieldBytes);
    let e = loadError(world.buildDir) as ContentFileError;
    expect(e).toBeInstanceOf(ContentFileError);
    expect([e.file, e.section, e.offset]).toEqual([town, 'header', Header.hash]);
    expect(e.message).toMatch(/mixes two compiles/);

    const content = join(world.buildDir, 'content.tpak');
    writeFileSync(content, readFileSync(content).subarray(0, 20));
    e = loadError(world.buildDir) as ContentFileError;
    expect(e.message).toBe(`${content}: header at offset 20: file of 20 bytes is shorter than the 32-byte header`);
  });

  it('refuses a missing build, a missing pack and a malformed manifest', () => {
    world = built();
    rmSync(join(world.buildDir, 'zones/town.tpak'));
    expect(loadError(world.buildDir)).toBeInstanceOf(WorldLoadError);
    expect(loadError(world.buildDir).message).toMatch(/zones\/town\.tpak: cannot read .*; rebuild with npm run content/);
    writeFileSync(join(world.buildDir, 'manifest.json'), `{"format": ${BUILD_FORMAT}, "hash": "x"}`);
    expect(loadError(world.buildDir).message).toMatch(/manifest\.json: \$\.hash: .*rebuild with npm run content/);
    rmSync(world.buildDir, { recursive: true });
    expect(loadError(world.buildDir).message).toMatch(/manifest\.json: no readable build manifest .*npm run content/);
  });
});
