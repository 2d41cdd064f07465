import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fixture world (test/content/fixtures/world) and its content (../content). */
export const WORLD_FIXTURE = fileURLToPath(new URL('../fixtures/world/', import.meta.url));
const CONTENT_FIXTURE = fileURLToPath(new URL('../fixtures/content/', import.meta.url));

export interface WorldCopy {
  root: string;
  /** The copied world folder (world.json, maps/, tilesets/). */
  dataDir: string;
  /** Where tests build to (root/build/content). */
  buildDir: string;
  /** Path of a file of the copy, relative to dataDir. */
  path(rel: string): string;
  /** Rewrites a text file of the copy, relative to dataDir. */
  edit(rel: string, change: (text: string) => string): void;
  remove(): void;
}

/** A private copy of the fixture world and its content in a temporary folder, to edit and build. */
export function copyWorld(): WorldCopy {
  const root = mkdtempSync(join(tmpdir(), 'tessera-world-'));
  const dataDir = join(root, 'world');
  cpSync(WORLD_FIXTURE, dataDir, { recursive: true });
  cpSync(CONTENT_FIXTURE, join(root, 'content'), { recursive: true });
  const path = (rel: string) => join(dataDir, rel);
  return {
    root,
    dataDir,
    buildDir: join(root, 'build', 'content'),
    path,
    edit(rel, change) {
      writeFileSync(path(rel), change(readFileSync(path(rel), 'utf8')));
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
