import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUILD_MANIFEST_FILE, BuildManifest, CLIENT_DIR } from './build/manifest.ts';
import { HASH_BYTES, Header } from './pack/container.ts';
import { decodeContentPack } from './pack/content-pack.ts';
import { ContentFileError } from './pack/errors.ts';
import { decodeZonePack } from './pack/zone-pack.ts';
import type { Content } from './schema/kinds.ts';

/** A zone of the loaded world: its cell grid, its map's size, and its zone pack in shared memory. */
export interface LoadedZone {
  name: string;
  cellCols: number;
  cellRows: number;
  width: number;
  height: number;
  /** The zone pack, read-only: every cell of the zone views it. */
  pack: SharedArrayBuffer;
}

/** A compiled world, ready for the cells. */
export interface LoadedWorld {
  /** The build's content hash: names the client's files (/content/<hash>/) and goes to the gate's handshake. */
  hash: string;
  /** The zone guests and new characters enter; `zones[0]`. */
  start: string;
  /** The build folder, absolute. */
  dir: string;
  /** The client's files: `dir`/client/`hash`. */
  clientDir: string;
  /** Start zone first (the gate admits guests to the first zone), then in world.json's order. */
  zones: LoadedZone[];
  /** The content pack, read-only, shared by every cell of every zone. */
  content: SharedArrayBuffer;
  /** The whole content for the coordinator (items, quests, ...), decoded and validated. */
  catalogue: Content;
}

/** A build folder that cannot be loaded: no manifest, or one that does not fit its files. */
export class WorldLoadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WorldLoadError';
  }
}

function sharedCopy(file: string): SharedArrayBuffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new WorldLoadError(`${file}: cannot read (${(err as Error).message}); rebuild with npm run content`, { cause: err });
  }
  const sab = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(sab).set(bytes);
  return sab;
}

/** After a full decode (so the header is known sound): the pack's hash must be the manifest's. */
function checkHash(file: string, bytes: Uint8Array, want: string): void {
  const got = Buffer.from(bytes.subarray(Header.hash, Header.hash + HASH_BYTES)).toString('hex');
  if (got !== want) {
    throw new ContentFileError(file, 'header', Header.hash, `content hash ${got} differs from ${want} in ${BUILD_MANIFEST_FILE}: the build folder mixes two compiles; rebuild with npm run content`);
  }
}

/**
 * Loads the build in `buildDir` (compile.ts writes it): the manifest, the
 * content pack and every zone pack, each validated in full (structure, CRCs,
 * hashes against the manifest, what the cells rely on). A corrupt, truncated
 * or mismatched file throws ContentFileError naming the file, section and
 * offset; a missing or malformed manifest throws WorldLoadError.
 */
export function loadWorld(buildDir: string): LoadedWorld {
  const dir = resolve(buildDir);
  const manifestFile = join(buildDir, BUILD_MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (err) {
    throw new WorldLoadError(`${manifestFile}: no readable build manifest (${(err as Error).message}); build the content with npm run content`, { cause: err });
  }
  const parsed = BuildManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WorldLoadError(`${manifestFile}: $.${issue.path.join('.')}: ${issue.message}; the build is from another compiler version or damaged: rebuild with npm run content`);
  }
  const m = parsed.data;
  if (m.zones[0].name !== m.start) throw new WorldLoadError(`${manifestFile}: the start zone ${m.start} is not listed first`);

  const contentFile = join(buildDir, m.content.file);
  const content = sharedCopy(contentFile);
  const { catalogue } = decodeContentPack(new Uint8Array(content), contentFile);
  checkHash(contentFile, new Uint8Array(content), m.content.hash);

  const zones = m.zones.map((z): LoadedZone => {
    if (z.file !== `zones/${z.name}.tpak`) throw new WorldLoadError(`${manifestFile}: zone ${z.name} names file ${JSON.stringify(z.file)}`);
    const file = join(buildDir, z.file);
    const pack = sharedCopy(file);
    const bytes = new Uint8Array(pack);
    const map = decodeZonePack(bytes, file);
    checkHash(file, bytes, z.hash);
    if (map.name !== z.name || map.width !== z.width || map.height !== z.height) {
      throw new WorldLoadError(`${file}: holds zone ${map.name} ${map.width}x${map.height}, ${BUILD_MANIFEST_FILE} says ${z.name} ${z.width}x${z.height}; rebuild with npm run content`);
    }
    return { name: z.name, cellCols: z.cellCols, cellRows: z.cellRows, width: z.width, height: z.height, pack };
  });
  return { hash: m.hash, start: m.start, dir, clientDir: join(dir, CLIENT_DIR, m.hash), zones, content, catalogue };
}
