import { CompositeTilemap, settings as tilemapSettings } from '@pixi/tilemap';
import { Container, Matrix, Sprite, TilingSprite, type Texture } from 'pixi.js';
import { aboveFrom, animationFrame, d8OfFlags, flipMatrix, GID_MASK, layerGids, tilesetOf } from '../content/tile-data.ts';
import type { ClientLayerJson, ClientMapJson, ClientTilesetJson } from '../content/types.ts';
import type { TextureBank } from './textures.ts';

/** Tiles per edge of one tilemap chunk: small enough for 16-bit indices and for culling off-screen chunks. */
const CHUNK = 32;

tilemapSettings.TEXTILE_SCALE_MODE = 'nearest';

interface AnimatedTile {
  sprite: Sprite;
  ts: ClientTilesetJson;
  frames: { tileId: number; duration: number }[];
  shown: number;
}

/**
 * A zone's Tiled layers as PixiJS objects: tile layers as chunked
 * @pixi/tilemap tilemaps (flips drawn with groupD8 rotations), animated
 * tiles as sprites whose frame follows Tiled's animation clock, image layers
 * as (tiling) sprites. `below` holds the layers under the entities, `above`
 * the layer named "above" (or with the bool property `above`) and all after
 * it. Object layers (decoration objects) are not drawn in this version.
 */
export class MapView {
  readonly below = new Container({ label: 'map-below' });
  readonly above = new Container({ label: 'map-above' });
  readonly map: ClientMapJson;
  readonly tileWidth: number;
  readonly tileHeight: number;
  /** Tiles placed, per layer name (the debug hook reports them). */
  readonly tilesDrawn: Record<string, number> = {};
  private readonly animated: AnimatedTile[] = [];
  private readonly bank: TextureBank;

  private constructor(map: ClientMapJson, bank: TextureBank) {
    this.map = map;
    this.bank = bank;
    this.tileWidth = map.tileWidth;
    this.tileHeight = map.tileHeight;
  }

  static async build(map: ClientMapJson, bank: TextureBank): Promise<MapView> {
    const view = new MapView(map, bank);
    await Promise.all(map.tilesets.map((ts) => bank.loadTileset(ts)));
    const imageLayers = map.layers.flatMap((l) => (l.kind === 'image' && l.image && l.image.path ? [bank.load(l.image)] : []));
    await Promise.all(imageLayers);
    const split = aboveFrom(map);
    map.layers.forEach((layer, i) => {
      if (!layer.visible) return;
      const target = i < split ? view.below : view.above;
      const c = layer.kind === 'tile' ? view.tileLayer(layer) : layer.kind === 'image' ? view.imageLayer(layer) : null;
      if (!c) return;
      c.alpha = layer.opacity;
      c.position.set(layer.offsetX, layer.offsetY);
      target.addChild(c);
    });
    return view;
  }

  private tileLayer(layer: Extract<ClientLayerJson, { kind: 'tile' }>): Container {
    const m = this.map;
    const gids = layerGids(layer.data, m.width, m.height);
    const out = new Container({ label: `layer:${layer.name}` });
    const anims = new Map<number, ClientTilesetJson['animations'][number]>();
    const animOf = (ts: ClientTilesetJson, id: number) => {
      const key = ts.firstGid * 65536 + id;
      if (!anims.has(key)) anims.set(key, ts.animations.find((a) => a.id === id) ?? (undefined as never));
      return anims.get(key);
    };
    let drawn = 0;
    for (let cy = 0; cy < m.height; cy += CHUNK) {
      for (let cx = 0; cx < m.width; cx += CHUNK) {
        const chunk = new CompositeTilemap();
        chunk.cullable = true;
        let any = false;
        for (let y = cy; y < Math.min(cy + CHUNK, m.height); y++) {
          for (let x = cx; x < Math.min(cx + CHUNK, m.width); x++) {
            const raw = gids[y * m.width + x];
            const gid = raw & GID_MASK;
            const ts = tilesetOf(m.tilesets, gid);
            if (!ts) continue;
            const id = gid - ts.firstGid;
            const flags = raw >>> 28;
            // Tiled anchors a tile bigger than the grid at its cell's bottom-left.
            const px = x * m.tileWidth + ts.tileOffsetX;
            const py = (y + 1) * m.tileHeight - ts.tileHeight + ts.tileOffsetY;
            const anim = animOf(ts, id);
            if (anim && anim.frames.length > 0) {
              const tex = this.bank.tile(ts, anim.frames[0].tileId);
              if (!tex) continue;
              const sprite = new Sprite(tex);
              sprite.anchor.set(0.5);
              const [a, b, c, d] = flipMatrix(flags);
              sprite.setFromMatrix(new Matrix(a, b, c, d, px + ts.tileWidth / 2, py + ts.tileHeight / 2));
              out.addChild(sprite);
              this.animated.push({ sprite, ts, frames: anim.frames, shown: anim.frames[0].tileId });
              drawn++;
              continue;
            }
            const rotate = d8OfFlags(flags);
            const tex = this.bank.tile(ts, id);
            if (!tex) continue;
            chunk.tile(tex, px, py, rotate !== 0 ? { rotate } : undefined);
            any = true;
            drawn++;
          }
        }
        if (any) out.addChildAt(chunk, 0);
        else chunk.destroy();
      }
    }
    this.tilesDrawn[layer.name] = drawn;
    return out;
  }

  private imageLayer(layer: Extract<ClientLayerJson, { kind: 'image' }>): Container | null {
    const img = layer.image;
    if (!img || !img.path) return null;
    const tex = this.bank.tile({ name: `image:${img.path}`, firstGid: 0, tileWidth: img.width, tileHeight: img.height, columns: 1, tileCount: 1, spacing: 0, margin: 0, tileOffsetX: 0, tileOffsetY: 0, image: img, images: [], animations: [] }, 0) as Texture | undefined;
    if (!tex) return null;
    if (layer.repeatX || layer.repeatY) {
      const w = layer.repeatX ? this.map.width * this.map.tileWidth : img.width;
      const h = layer.repeatY ? this.map.height * this.map.tileHeight : img.height;
      return new TilingSprite({ texture: tex, width: w, height: h });
    }
    return new Sprite(tex);
  }

  /** Advances tile animations to `now` (ms). */
  update(now: number): void {
    for (const a of this.animated) {
      const id = animationFrame(a.frames, now);
      if (id === a.shown) continue;
      const tex = this.bank.tile(a.ts, id);
      if (tex) a.sprite.texture = tex;
      a.shown = id;
    }
  }

  destroy(): void {
    this.below.destroy({ children: true });
    this.above.destroy({ children: true });
  }
}
