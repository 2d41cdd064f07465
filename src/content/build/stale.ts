import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUILD_MANIFEST_FILE, BuildManifest } from './manifest.ts';
import { sourceFilesUnder } from './sources.ts';

/**
 * Why the build in `buildDir` does not match the sources in `dataDir`, or
 * undefined when it does: no build (or one of another format or folder), a
 * source changed (size or modification time) or removed, or a source file
 * added to the data folder since.
 */
export function staleReason(dataDir: string, buildDir: string): string | undefined {
  let manifest: BuildManifest;
  try {
    const parsed = BuildManifest.safeParse(JSON.parse(readFileSync(join(buildDir, BUILD_MANIFEST_FILE), 'utf8')));
    if (!parsed.success) return `${join(buildDir, BUILD_MANIFEST_FILE)} is from another compiler version`;
    manifest = parsed.data;
  } catch {
    return `no build in ${buildDir}`;
  }
  if (manifest.dataDir !== resolve(dataDir)) return `the build is of ${manifest.dataDir}, not ${resolve(dataDir)}`;
  for (const s of manifest.sources) {
    let size = -1;
    let mtimeMs = 0;
    try {
      const st = statSync(s.path);
      if (st.isFile()) ({ size, mtimeMs } = st);
    } catch {
      // Absent now: size -1.
    }
    if (size !== s.size) return size < 0 ? `${s.path} was removed` : s.size < 0 ? `${s.path} was added` : `${s.path} changed`;
    if (size >= 0 && mtimeMs !== s.mtimeMs) return `${s.path} changed`;
  }
  const known = new Set(manifest.sources.map((s) => s.path));
  const added = sourceFilesUnder(dataDir).find((p) => !known.has(p));
  if (added !== undefined) return `${added} was added`;
  return undefined;
}

/** True when the build in `buildDir` is missing or older than the sources in `dataDir`. */
export function contentIsStale(dataDir: string, buildDir: string): boolean {
  return staleReason(dataDir, buildDir) !== undefined;
}
