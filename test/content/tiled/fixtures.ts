import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TiledLoader } from '../../../src/content/tiled/index.ts';

/** Directory of the Tiled fixture maps, with a trailing slash. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/tiled/', import.meta.url));

export function fixturePath(name: string): string {
  return FIXTURES + name;
}

export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/**
 * A loader that serves `files` (by name inside the fixture directory) from
 * memory and everything else from the fixtures on disk, so a test can swap
 * one file of a map for a broken copy.
 */
export function overlayLoader(files: Record<string, string | Uint8Array>): TiledLoader {
  return (path) => {
    if (path.startsWith(FIXTURES)) {
      const name = path.slice(FIXTURES.length);
      if (Object.hasOwn(files, name)) return files[name]!;
    }
    return readFileSync(path);
  };
}

/** A small finite TMX map around the given layer `<data>` element. */
export function tmxWith(data: string, opts: { width?: number; height?: number; tileset?: string } = {}): string {
  const width = opts.width ?? 3;
  const height = opts.height ?? 2;
  return `<?xml version="1.0" encoding="UTF-8"?>
<map version="1.10" tiledversion="1.10.2" orientation="orthogonal" renderorder="right-down" width="${width}" height="${height}" tilewidth="16" tileheight="16" infinite="0" nextlayerid="2" nextobjectid="1">
 ${opts.tileset ?? '<tileset firstgid="1" source="tilesets/terrain.tsx"/>'}
 <layer id="1" name="ground" width="${width}" height="${height}">
  ${data}
 </layer>
</map>
`;
}

/** A small finite TMJ map; `layers` and other top-level keys can be overridden. */
export function tmjWith(over: Record<string, unknown>): string {
  return JSON.stringify({
    compressionlevel: -1,
    height: 2,
    infinite: false,
    layers: [{ data: [1, 2, 3, 4, 5, 6], height: 2, id: 1, name: 'ground', opacity: 1, type: 'tilelayer', visible: true, width: 3, x: 0, y: 0 }],
    nextlayerid: 2,
    nextobjectid: 1,
    orientation: 'orthogonal',
    renderorder: 'right-down',
    tiledversion: '1.10.2',
    tileheight: 16,
    tilesets: [{ firstgid: 1, source: 'tilesets/terrain.tsj' }],
    tilewidth: 16,
    type: 'map',
    version: '1.10',
    width: 3,
    ...over,
  });
}
