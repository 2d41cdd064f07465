import { Assets, Rectangle, Texture, type TextureSource } from 'pixi.js';
import type { ClientImageJson, ClientTilesetJson } from '../content/types.ts';
import { tileFrame } from '../content/tile-data.ts';

/**
 * Images of the content build, loaded once each (their paths carry their
 * content hash, so a URL never changes meaning), and tile textures cut from
 * them, one per tile and flip. Pixel art: nearest-neighbour sampling.
 */
export class TextureBank {
  private readonly base: string;
  private readonly images = new Map<string, Promise<TextureSource>>();
  private readonly tiles = new Map<string, Texture>();
  private readonly sources = new Map<string, TextureSource>();

  constructor(base: string) {
    this.base = base;
  }

  /** Loads an image of the build (path relative to the build's folder). */
  load(image: ClientImageJson): Promise<TextureSource> {
    let p = this.images.get(image.path);
    if (!p) {
      p = Assets.load<Texture>({ src: this.base + image.path, parser: 'texture' }).then((t) => {
        t.source.scaleMode = 'nearest';
        this.sources.set(image.path, t.source);
        return t.source;
      });
      this.images.set(image.path, p);
    }
    return p;
  }

  /** Loads every image a tileset draws with. */
  async loadTileset(ts: ClientTilesetJson): Promise<void> {
    const all: Promise<TextureSource>[] = [];
    if (ts.image && ts.image.path) all.push(this.load(ts.image));
    for (const t of ts.images) if (t.image.path) all.push(this.load(t.image));
    await Promise.all(all);
  }

  /** The texture of tile `id` of a loaded tileset; undefined when its image is missing. */
  tile(ts: ClientTilesetJson, id: number): Texture | undefined {
    const key = `${ts.name}\0${ts.firstGid}\0${id}`;
    let t = this.tiles.get(key);
    if (t) return t;
    const own = ts.images.find((i) => i.id === id);
    if (own) {
      const source = this.sources.get(own.image.path);
      if (!source) return undefined;
      t = new Texture({ source, frame: new Rectangle(0, 0, own.image.width, own.image.height) });
    } else {
      const source = ts.image ? this.sources.get(ts.image.path) : undefined;
      if (!source) return undefined;
      const f = tileFrame(ts, id);
      t = new Texture({ source, frame: new Rectangle(f.x, f.y, f.w, f.h) });
    }
    this.tiles.set(key, t);
    return t;
  }
}
