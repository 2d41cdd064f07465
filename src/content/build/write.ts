import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** A build as files: path relative to the build folder → bytes. */
export type BuildFiles = Map<string, Uint8Array | string>;

/** True for a relative path that stays inside its folder. */
export function isSafeRelative(path: string): boolean {
  return path !== '' && !path.startsWith('/') && !path.includes('\\') && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * Writes a whole build so that `buildDir` is either the old build or the new
 * one, never half of each: everything goes into a sibling temporary folder
 * first, which then replaces `buildDir` by two renames (old out of the way,
 * new in; the old one is put back if the second fails). A failure before the
 * renames leaves `buildDir` untouched and removes the temporary folder.
 */
export function writeBuildAtomically(buildDir: string, files: BuildFiles): void {
  const target = resolve(buildDir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tag = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const temp = join(parent, `.${basename(target)}.new-${tag}`);
  const old = join(parent, `.${basename(target)}.old-${tag}`);
  try {
    for (const [path, bytes] of files) {
      if (!isSafeRelative(path)) throw new Error(`build file path ${JSON.stringify(path)} leaves the build folder`);
      const file = join(temp, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
    }
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    throw err;
  }
  let moved = false;
  try {
    renameSync(target, old);
    moved = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      rmSync(temp, { recursive: true, force: true });
      throw err;
    }
  }
  try {
    renameSync(temp, target);
  } catch (err) {
    if (moved) renameSync(old, target);
    rmSync(temp, { recursive: true, force: true });
    throw err;
  }
  if (moved) rmSync(old, { recursive: true, force: true });
}
