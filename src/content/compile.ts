import { createHash } from 'node:crypto';
import { join, relative, resolve, sep } from 'node:path';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CLIENT_ENTITIES_FILE, clientEntitiesOf } from './build/client-entities.ts';
import { clientMapOf, imagesOf } from './build/client-map.ts';
import { ImageCollector } from './build/images.ts';
import { BUILD_FORMAT, BUILD_MANIFEST_FILE, CLIENT_FORMAT, CLIENT_DIR, CONTENT_PACK_FILE, clientMapFile, zonePackFile, BuildManifest, type ClientManifest } from './build/manifest.ts';
import { checkMapReferences, type CheckedZone } from './build/map-checks.ts';
import { SourceRecorder, sourceFilesUnder } from './build/sources.ts';
import { writeBuildAtomically, type BuildFiles } from './build/write.ts';
import { readContainer } from './pack/container.ts';
import { encodeContentPack } from './pack/content-pack.ts';
import { encodeZonePack } from './pack/zone-pack.ts';
import { formatContentError, type ContentError } from './schema/errors.ts';
import { CONTENT_KINDS, contentFileName, type Content } from './schema/kinds.ts';
import { loadContent } from './schema/load.ts';
import { WORLD_FILE, parseWorldFile, type WorldFile } from './schema/world.ts';
import { TiledError } from './tiled/errors.ts';
import { readTiledMap, readTiledTileset } from './tiled/read.ts';
import type { TiledMap, Tileset } from './tiled/model.ts';
import { zoneMapOf } from './zone-map.ts';

/**
 * The content compiler (`npm run content`): reads the data folder (world.json,
 * the content JSON files, each zone's Tiled map with its tilesets, templates
 * and images), checks everything and the references between the files, and
 * writes the build (build/manifest.ts) in one piece: a failed compile writes
 * nothing. Every problem is reported, each naming its file and the JSON path
 * or map object.
 */
export interface CompileOptions {
  /** The data folder holding world.json. */
  dataDir: string;
  /** Where the build goes (build/content). */
  buildDir: string;
}

export type CompileResult =
  | { ok: true; hash: string; manifest: BuildManifest; warnings: string[]; bytes: number }
  | { ok: false; errors: ContentError[]; warnings: string[] };

/** A compile that found problems in the sources: every one of them, one per line in the message. */
export class ContentCompileError extends Error {
  readonly errors: readonly ContentError[];
  constructor(dataDir: string, errors: readonly ContentError[]) {
    super(`content in ${dataDir} does not compile (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${errors.map(formatContentError).join('\n')}`);
    this.name = 'ContentCompileError';
    this.errors = errors;
  }
}

interface ReadZone extends CheckedZone {
  tiled: TiledMap;
  cellCols: number;
  cellRows: number;
}

/** Compiles `dataDir` into `buildDir`. Problems in the sources come back as errors; I/O failures writing the build throw. */
export function compileContent(o: CompileOptions): CompileResult {
  const dataDir = resolve(o.dataDir);
  const rec = new SourceRecorder();
  // Before anything is read: a file changed during the compile then looks changed to the next staleness check.
  for (const p of sourceFilesUnder(dataDir)) rec.note(p);
  const warnings: string[] = [];
  const label = (abs: string) => relative(dataDir, abs).split(sep).join('/');
  // Messages from the map reader carry absolute paths; authors know paths from the data folder.
  const relabel = (text: string) => text.split(dataDir + sep).join('');

  const worldText = rec.readOptional(join(dataDir, WORLD_FILE));
  if (worldText === undefined) return { ok: false, errors: [{ file: WORLD_FILE, path: '$', message: `missing: the data folder ${dataDir} has no ${WORLD_FILE}` }], warnings };
  const parsed = parseWorldFile(worldText.toString('utf8'));
  if (!parsed.ok) return { ok: false, errors: parsed.errors, warnings };
  const world = parsed.world;

  const errors: ContentError[] = [];
  const contentDir = resolve(dataDir, world.content);
  const contentLabel = (file: string) => label(join(contentDir, file));
  const loaded = loadContent((name) => rec.readOptional(join(contentDir, name))?.toString('utf8'));
  let content: Content | undefined;
  if (loaded.ok) {
    content = loaded.content;
    for (const m of loaded.missing) warnings.push(`${contentLabel(m)}: not found; no ${m.replace(/\.json$/, '')}`);
  } else errors.push(...loaded.errors.map((e) => ({ ...e, file: contentLabel(e.file) })));

  const zones: ReadZone[] = [];
  world.zones.forEach((z, i) => {
    const path = resolve(dataDir, z.map);
    try {
      const tiled = readTiledMap(path, { loader: (p) => rec.read(p) });
      const map = zoneMapOf(tiled);
      warnings.push(...map.warnings.map((w) => `zone ${z.name}: ${relabel(w)}`));
      zones.push({ name: z.name, file: label(path), map, tiled, cellCols: z.cells.cols, cellRows: z.cells.rows });
    } catch (err) {
      if (!(err instanceof TiledError)) throw err;
      errors.push({ file: label(err.file), path: err.position || `$ (world.json $.zones[${i}].map)`, message: relabel(err.reason) });
    }
  });
  let sprites: Tileset | null = null;
  if (world.sprites !== undefined) {
    const path = resolve(dataDir, world.sprites);
    try {
      sprites = readTiledTileset(path, { loader: (p) => rec.read(p) });
    } catch (err) {
      if (!(err instanceof TiledError)) throw err;
      errors.push({ file: label(err.file), path: err.position || '$ (world.json $.sprites)', message: relabel(err.reason) });
    }
  }
  if (errors.length > 0 || content === undefined) return { ok: false, errors, warnings };

  const contentFiles = new Set(CONTENT_KINDS.map(contentFileName));
  const refErrors = checkMapReferences(zones, content).map((e) => (contentFiles.has(e.file) ? { ...e, file: contentLabel(e.file) } : e));
  if (refErrors.length > 0) return { ok: false, errors: refErrors, warnings };

  const images = new ImageCollector((p) => rec.read(p));
  const clientMaps = zones.map((z) => JSON.stringify(clientMapOf(z.name, z.tiled, z.map, (img) => images.place(img))));
  const entities = JSON.stringify(clientEntitiesOf(content, sprites, (img) => images.place(img), (w) => warnings.push(relabel(w))));
  if (sprites?.image && images.missing.has(sprites.image.path)) {
    errors.push({ file: label(sprites.source), path: `image ${JSON.stringify(sprites.image.source)}`, message: `cannot read ${label(sprites.image.path)}: ${relabel(images.missing.get(sprites.image.path)!)}` });
  }
  for (const z of zones) {
    const seen = new Set<string>();
    for (const img of imagesOf(z.tiled)) {
      const why = images.missing.get(img.path);
      if (why === undefined || seen.has(img.path)) continue;
      seen.add(img.path);
      errors.push({ file: z.file, path: `image ${JSON.stringify(img.source)}`, message: `cannot read ${label(img.path)}: ${relabel(why)}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors, warnings };

  return writeBuild(o.buildDir, dataDir, world, content, zones, clientMaps, entities, images.files, rec, warnings);
}

function writeBuild(
  buildDir: string,
  dataDir: string,
  world: WorldFile,
  content: Content,
  zones: ReadZone[],
  clientMaps: string[],
  entities: string,
  images: Map<string, Uint8Array>,
  rec: SourceRecorder,
  warnings: string[],
): CompileResult {
  const contentPack = encodeContentPack(content);
  const packs = zones.map((z) => encodeZonePack(z.map, z.name));
  // Start zone first: the gate admits guests to the first zone.
  const order = [...zones.keys()].sort((a, b) => Number(zones[b].name === world.start) - Number(zones[a].name === world.start));
  const clientZones: ClientManifest['zones'] = order.map((i) => ({
    name: zones[i].name,
    map: clientMapFile(zones[i].name),
    width: zones[i].map.width,
    height: zones[i].map.height,
    tileWidth: zones[i].tiled.tileWidth,
    tileHeight: zones[i].tiled.tileHeight,
  }));
  const client: BuildFiles = new Map<string, Uint8Array | string>(zones.map((z, i) => [clientMapFile(z.name), clientMaps[i]]));
  client.set(CLIENT_ENTITIES_FILE, entities);
  for (const [path, bytes] of images) client.set(path, bytes);
  const hashed: BuildFiles = new Map<string, Uint8Array | string>([[CONTENT_PACK_FILE, contentPack], ...zones.map((z, i) => [zonePackFile(z.name), packs[i]] as const)]);
  for (const [path, bytes] of client) hashed.set(`${CLIENT_DIR}/${path}`, bytes);
  hashed.set('zones', JSON.stringify({ start: world.start, zones: clientZones }));
  const hash = hashOf(hashed);

  const files: BuildFiles = new Map<string, Uint8Array | string>([[CONTENT_PACK_FILE, contentPack], ...zones.map((z, i) => [zonePackFile(z.name), packs[i]] as const)]);
  for (const [path, bytes] of client) files.set(`${CLIENT_DIR}/${hash}/${path}`, bytes);
  const clientManifest: ClientManifest = { format: CLIENT_FORMAT, hash, start: world.start, zones: clientZones, entities: CLIENT_ENTITIES_FILE };
  files.set(`${CLIENT_DIR}/${hash}/manifest.json`, `${JSON.stringify(clientManifest, null, 2)}\n`);
  addGzipSiblings(files, `${CLIENT_DIR}/${hash}/`);
  const manifest: BuildManifest = {
    format: BUILD_FORMAT,
    hash,
    builtAt: new Date().toISOString(),
    dataDir,
    start: world.start,
    content: { file: CONTENT_PACK_FILE, hash: readContainer(contentPack, CONTENT_PACK_FILE).hash },
    zones: order.map((i) => ({
      name: zones[i].name,
      file: zonePackFile(zones[i].name),
      hash: readContainer(packs[i], zonePackFile(zones[i].name)).hash,
      width: zones[i].map.width,
      height: zones[i].map.height,
      cellCols: zones[i].cellCols,
      cellRows: zones[i].cellRows,
    })),
    sources: rec.list(),
    previous: previousBuilds(buildDir, hash),
  };
  files.set(BUILD_MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  writeBuildAtomically(buildDir, files, manifest.previous.map((h) => `${CLIENT_DIR}/${h}`));
  let bytes = 0;
  for (const b of files.values()) bytes += typeof b === 'string' ? Buffer.byteLength(b) : b.byteLength;
  return { ok: true, hash, manifest, warnings, bytes };
}

/** SHA-256 over every file's path and bytes, in path order; 32 hex digits. */
function hashOf(files: BuildFiles): string {
  const h = createHash('sha256');
  for (const path of [...files.keys()].sort()) {
    const b = files.get(path)!;
    const bytes = typeof b === 'string' ? Buffer.from(b) : b;
    h.update(`${path}\0${bytes.byteLength}\0`);
    h.update(bytes);
  }
  return h.digest('hex').slice(0, 32);
}

/**
 * Every client JSON file also as `NAME.json.gz` (the /content/ route serves
 * it to browsers that accept gzip): the maps are base64 tile layers that
 * shrink about tenfold, compressed once here instead of on the gate's thread.
 */
function addGzipSiblings(files: BuildFiles, prefix: string): void {
  for (const [path, bytes] of [...files]) {
    if (path.startsWith(prefix) && path.endsWith('.json')) files.set(`${path}.gz`, gzipSync(typeof bytes === 'string' ? Buffer.from(bytes) : bytes));
  }
}

/** Client folders of earlier builds kept in a new one, newest first. */
export const KEEP_CLIENT_BUILDS = 2;

/**
 * The hashes of the builds before this one whose client folders the new
 * build keeps (at most KEEP_CLIENT_BUILDS, newest first): a server still
 * running an earlier build keeps serving its maps after a recompile, until
 * it restarts onto the new hash. Read from the old build's manifest.
 */
function previousBuilds(buildDir: string, hash: string): string[] {
  let old: BuildManifest;
  try {
    old = BuildManifest.parse(JSON.parse(readFileSync(join(buildDir, BUILD_MANIFEST_FILE), 'utf8')));
  } catch {
    return [];
  }
  return [old.hash, ...old.previous].filter((h, i, all) => h !== hash && all.indexOf(h) === i).slice(0, KEEP_CLIENT_BUILDS);
}
