import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SourceStamp } from './manifest.ts';

/**
 * Every file a compile reads, or looks for and does not find, stamped with
 * its size and modification time before it is read: a file changed while
 * the compile ran looks newer than its stamp, so the next check finds the
 * build stale rather than missing the change.
 */
export class SourceRecorder {
  private readonly stamps = new Map<string, SourceStamp>();

  /** Reads a file, recording it. Throws what readFileSync throws. */
  read(path: string): Buffer {
    const abs = resolve(path);
    this.stamp(abs);
    return readFileSync(abs);
  }

  /** Reads a file that may be absent; undefined (recorded as looked for) when it is. */
  readOptional(path: string): Buffer | undefined {
    const abs = resolve(path);
    if (this.stamp(abs).size < 0) return undefined;
    return readFileSync(abs);
  }

  /** Records a file without reading it (files of the data folder the compile does not use, so adding one is told apart). */
  note(path: string): void {
    const abs = resolve(path);
    if (!this.stamps.has(abs)) this.stamp(abs);
  }

  private stamp(abs: string): SourceStamp {
    let s: SourceStamp;
    try {
      const st = statSync(abs);
      s = { path: abs, size: st.isFile() ? st.size : -1, mtimeMs: st.mtimeMs };
    } catch {
      s = { path: abs, size: -1, mtimeMs: 0 };
    }
    this.stamps.set(abs, s);
    return s;
  }

  /** The stamps, sorted by path (the build manifest's `sources`). */
  list(): SourceStamp[] {
    return [...this.stamps.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

/** Files of the data folder a compile could read: content, maps, tilesets, templates, images. */
export const SOURCE_EXTENSIONS = /\.(json|tmx|tmj|tsx|tsj|tx|tj|png|jpe?g|gif|webp|bmp)$/i;
/** Folders of the data folder that are not sources (the emitted JSON Schemas). */
const NOT_SOURCES = new Set(['schemas', 'node_modules']);

/** Absolute paths of every source-like file under `dir`, for spotting a file added since the build. */
export function sourceFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 16) return;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!(depth === 0 && NOT_SOURCES.has(e.name))) walk(p, depth + 1);
      } else if (e.isFile() && SOURCE_EXTENSIONS.test(e.name)) out.push(p);
    }
  };
  walk(resolve(dir), 0);
  return out.sort();
}
