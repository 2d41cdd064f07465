import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { TiledImage } from '../tiled/model.ts';
import type { ClientImage } from './client-map.ts';

/**
 * The images the client draws with, copied into the build under names made
 * from their content (`images/<sha256 prefix>-<name>`): the same image used by
 * two maps is stored once, two different images with the same file name do
 * not collide, and no path from the build machine reaches the client.
 */
export class ImageCollector {
  /** Build path (relative to client/<hash>/) → bytes. */
  readonly files = new Map<string, Uint8Array>();
  /** Images that could not be read: path → reason. */
  readonly missing = new Map<string, string>();
  private readonly byPath = new Map<string, string>();
  private readonly read: (path: string) => Uint8Array;

  constructor(read: (path: string) => Uint8Array) {
    this.read = read;
  }

  /** Where `image` goes in the build; a missing file is recorded and placed nowhere ('' path). */
  place(image: TiledImage): ClientImage {
    let path = this.byPath.get(image.path);
    if (path === undefined) {
      try {
        const bytes = this.read(image.path);
        const name = basename(image.path).replace(/[^A-Za-z0-9._-]/g, '_');
        path = `images/${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}-${name}`;
        this.files.set(path, bytes);
      } catch (err) {
        path = '';
        this.missing.set(image.path, err instanceof Error ? err.message : String(err));
      }
      this.byPath.set(image.path, path);
    }
    return { path, width: image.width, height: image.height, transparentColor: image.transparentColor };
  }
}
