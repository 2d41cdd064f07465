/** The browser's map: tile ids with their flip bits, server objects left out, no build-machine paths. */
import { describe, expect, it } from 'vitest';
import { clientMapOf } from '../../../src/content/build/client-map.ts';
import { readTiledMap } from '../../../src/content/tiled/index.ts';
import { TileFlag } from '../../../src/content/tiled/model.ts';
import { zoneMapOf } from '../../../src/content/zone-map.ts';
import { WORLD_FIXTURE } from './world-fixture.ts';

describe('clientMapOf', () => {
  const tiled = readTiledMap(`${WORLD_FIXTURE}maps/town.tmx`);
  const zone = zoneMapOf(tiled);
  const placed: string[] = [];
  const map = clientMapOf('town', tiled, zone, (img) => {
    placed.push(img.source);
    return { path: `images/${img.source}`, width: img.width, height: img.height, transparentColor: img.transparentColor };
  });

  it('keeps every tile layer in drawing order, gids with flags in the top bits', () => {
    const tileLayers = tiled.layers.filter((l) => l.kind === 'tile');
    const out = map.layers.filter((l) => l.kind === 'tile');
    expect(out.map((l) => l.path)).toEqual(tileLayers.map((l) => l.path));
    tileLayers.forEach((l, k) => {
      const raw = new Uint32Array(Uint8Array.from(Buffer.from((out[k] as { data: string }).data, 'base64')).buffer);
      expect(raw.length).toBe(tiled.width * tiled.height);
      for (let i = 0; i < raw.length; i++) {
        expect(raw[i] & 0x0fff_ffff).toBe(l.gids[i]);
        expect(raw[i] >>> 28).toBe(l.flags[i]);
      }
    });
    // The fixture has flipped tiles: the flags survive.
    expect(tileLayers.some((l) => l.flags.some((f) => f & TileFlag.FLIP_HORIZONTAL))).toBe(true);
  });

  it('has the terrain, the tilesets with images and animations, and drops server objects', () => {
    expect(Buffer.from(map.terrain, 'base64')).toEqual(Buffer.from(zone.tiles));
    expect(map.tilesets.map((t) => t.firstGid)).toEqual(tiled.tilesets.map((t) => t.firstGid));
    expect(map.tilesets.flatMap((t) => t.animations)).not.toEqual([]);
    expect(placed).toContain('props.png');
    expect(placed).toContain('terrain.png');
    const objects = map.layers.flatMap((l) => (l.kind === 'object' ? l.objects : []));
    for (const o of objects) {
      expect(['spawn', 'spawn-area', 'npc', 'portal', 'safe-area', 'point', 'path']).not.toContain(o.class.toLowerCase());
      expect(o.template).toBe('');
    }
  });
});
