import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { staleReason } from '../../content/build/stale.ts';
import { ContentCompileError, compileContent } from '../../content/compile.ts';
import { loadWorld, type LoadedWorld } from '../../content/load-world.ts';
import { WORLD_FILE } from '../../content/schema/world.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';

/**
 * The content a start runs on: compiles CONTENT_DIR into CONTENT_BUILD_DIR
 * when the build is stale (or missing), then loads it. Null when the
 * content folder has no world.json: the configured zones run, without NPC
 * templates. A source problem throws ContentCompileError listing every one;
 * a damaged build throws ContentFileError or WorldLoadError naming the file.
 */
export function prepareWorld(cfg: Config, log: Logger): LoadedWorld | null {
  const worldFile = join(cfg.contentDir, WORLD_FILE);
  if (!existsSync(worldFile)) {
    if (cfg.zonesFromContent) log.warn(`${worldFile} not found: running the configured zone ${cfg.zones[0].name} on a generated map (set CONTENT_DIR to a folder with a world.json)`);
    return null;
  }
  const reason = staleReason(cfg.contentDir, cfg.contentBuildDir);
  if (reason !== undefined) {
    log.info({ reason, from: cfg.contentDir, to: cfg.contentBuildDir }, 'content build is stale; compiling');
    const t0 = performance.now();
    const r = compileContent({ dataDir: cfg.contentDir, buildDir: cfg.contentBuildDir });
    for (const w of r.warnings) log.warn(w);
    if (!r.ok) throw new ContentCompileError(cfg.contentDir, r.errors);
    log.info({ hash: r.hash, zones: r.manifest.zones.length, bytes: r.bytes, ms: Math.round(performance.now() - t0) }, 'content compiled');
  }
  const world = loadWorld(cfg.contentBuildDir);
  log.info({ hash: world.hash, start: world.start, zones: world.zones.map((z) => z.name).join(','), fromContent: cfg.zonesFromContent }, 'content loaded');
  return world;
}
