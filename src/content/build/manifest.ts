import { z } from 'zod';

/**
 * What a content build holds (build/content/), written by the compiler
 * (compile.ts) and read by the loader (load-world.ts) and the staleness
 * check (stale.ts):
 *
 *   manifest.json            this file's BuildManifest
 *   content.tpak             the content pack
 *   zones/<name>.tpak        one zone pack per zone
 *   client/<hash>/           what the browser gets: manifest.json (ClientManifest),
 *                            maps/<name>.json (client-map.ts), images/<file>
 */
export const BUILD_MANIFEST_FILE = 'manifest.json';
export const CONTENT_PACK_FILE = 'content.tpak';
export const CLIENT_DIR = 'client';
/** Bumped whenever the compiler's output changes meaning, so older builds count as stale (2: class and skill tables, NPC stats; 3: entities.json for the client; 4: skills, class resources and NPC hostility in entities.json; 5: its quests; 6: NPC skills, zones' PvP areas; 7: item details in entities.json). */
export const BUILD_FORMAT = 7;
/** Format of the client's manifest.json and maps (what the browser reads), apart from the build's (2: the entities file; 3: its skills, resources and hostility; 4: its quests; 5: its items' details). */
export const CLIENT_FORMAT = 5;

export function zonePackFile(zone: string): string {
  return `zones/${zone}.tpak`;
}

export function clientMapFile(zone: string): string {
  return `maps/${zone}.json`;
}

/** Content hashes: 32 lowercase hex digits. */
export const ContentHash = z.string().regex(/^[0-9a-f]{32}$/);

/** A file the compile read, or looked for and did not find (size -1), when it did. */
export const SourceStamp = z.strictObject({ path: z.string().min(1), size: z.int().min(-1), mtimeMs: z.number() });
export type SourceStamp = z.output<typeof SourceStamp>;

export const BuildManifest = z.strictObject({
  format: z.literal(BUILD_FORMAT),
  /** Over every output file: the packs and the client's files. */
  hash: ContentHash,
  builtAt: z.string(),
  /** Absolute path of the data folder compiled. */
  dataDir: z.string(),
  start: z.string(),
  content: z.strictObject({ file: z.literal(CONTENT_PACK_FILE), hash: ContentHash }),
  zones: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/),
        file: z.string(),
        /** The zone pack's own hash (its container header). */
        hash: ContentHash,
        width: z.int().min(1),
        height: z.int().min(1),
        cellCols: z.int().min(1),
        cellRows: z.int().min(1),
      }),
    )
    .min(1),
  sources: z.array(SourceStamp),
  /** Hashes of the builds before this one whose client folders are kept (newest first). */
  previous: z.array(ContentHash).max(8).default([]),
});
export type BuildManifest = z.output<typeof BuildManifest>;

/** client/<hash>/manifest.json: the zones and where their maps are, relative to that folder. */
export interface ClientManifest {
  format: number;
  hash: string;
  start: string;
  zones: { name: string; map: string; width: number; height: number; tileWidth: number; tileHeight: number }[];
  /** The entity catalogue (build/client-entities.ts), relative to client/<hash>/. */
  entities: string;
}
