import type { Walkability } from '../net/movement.ts';
import { base64Bytes } from './tile-data.ts';
import type { ClientEntitiesJson, ClientManifestJson, ClientMapJson, ContentPointer } from './types.ts';

/**
 * Fetches the compiled content the server serves at /content/ (docs/content.md,
 * "What the client gets"): which build is current, its manifest, the entity
 * catalogue and each zone's map, once per zone per page.
 */
export class ContentError extends Error {
  override readonly name = 'ContentError';
}

async function json<T>(url: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch (err) {
    throw new ContentError(`cannot reach ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!res.ok) throw new ContentError(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export interface LoadedZone {
  map: ClientMapJson;
  walkability: Walkability;
  /** URL base of the map's images. */
  base: string;
}

export class Content {
  readonly hash: string;
  readonly base: string;
  readonly manifest: ClientManifestJson;
  readonly entities: ClientEntitiesJson;
  private readonly maps = new Map<string, Promise<LoadedZone>>();

  private constructor(base: string, manifest: ClientManifestJson, entities: ClientEntitiesJson) {
    this.hash = manifest.hash;
    this.base = base;
    this.manifest = manifest;
    this.entities = entities;
  }

  /** Loads the current build's manifest and entity catalogue. */
  static async load(root = '/content/'): Promise<Content> {
    const pointer = await json<ContentPointer>(`${root}manifest.json`);
    const manifest = await json<ClientManifestJson>(pointer.manifest);
    const base = pointer.manifest.slice(0, pointer.manifest.lastIndexOf('/') + 1);
    const entities = await json<ClientEntitiesJson>(base + manifest.entities);
    return new Content(base, manifest, entities);
  }

  /**
   * The zone a WELCOME names by number: the server numbers its zones from 1
   * in the build's order (the start zone first), so zone n is the
   * manifest's n-th; its size must match the map size WELCOME says.
   */
  zoneOfId(zoneId: number, width: number, height: number): string | undefined {
    const z = this.manifest.zones[zoneId - 1];
    if (z && z.width === width && z.height === height) return z.name;
    return this.manifest.zones.find((o) => o.width === width && o.height === height)?.name;
  }

  zone(name: string): Promise<LoadedZone> {
    let p = this.maps.get(name);
    if (!p) {
      const entry = this.manifest.zones.find((z) => z.name === name);
      if (!entry) return Promise.reject(new ContentError(`the content has no zone ${name}`));
      p = json<ClientMapJson>(this.base + entry.map).then((map) => ({
        map,
        walkability: { width: map.width, height: map.height, tiles: base64Bytes(map.terrain) },
        base: this.base,
      }));
      p.catch(() => this.maps.delete(name));
      this.maps.set(name, p);
    }
    return p;
  }
}
