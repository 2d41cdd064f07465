import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
 * new in). A failure before the renames leaves `buildDir` untouched and
 * removes the temporary folder. Two compiles racing (two servers starting
 * on one stale build) may land a build between the renames; the rename is
 * then tried again, and the last build in wins whole. `carry` names folders
 * of the old build to keep in the new one (best effort: a folder another
 * compile removed meanwhile is skipped).
 */
export function writeBuildAtomically(buildDir: string, files: BuildFiles, carry: readonly string[] = []): void {
  const target = resolve(buildDir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tag = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const temp = join(parent, `.${basename(target)}.new-${tag}`);
  try {
    for (const [path, bytes] of files) {
      if (!isSafeRelative(path)) throw new Error(`build file path ${JSON.stringify(path)} leaves the build folder`);
      const file = join(temp, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
    }
    for (const dir of carry) {
      if (!isSafeRelative(dir) || existsSync(join(temp, dir))) continue;
      try {
        cpSync(join(target, dir), join(temp, dir), { recursive: true, errorOnExist: false });
      } catch {
        // Gone meanwhile (another compile swapped the build): nothing to keep.
      }
    }
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    throw err;
  }
  const olds: string[] = [];
  try {
    for (let attempt = 0; ; attempt++) {
      const old = join(parent, `.${basename(target)}.old-${tag}-${attempt}`);
      try {
        renameSync(target, old);
        olds.push(old);
      } catch (err) {
        if (code(err) !== 'ENOENT') throw err;
      }
      try {
        renameSync(temp, target);
        return;
      } catch (err) {
        // Another compile's build arrived between our two renames: move it aside too.
        if (!(code(err) === 'ENOTEMPTY' || code(err) === 'EEXIST') || attempt >= 5) throw err;
      }
    }
  } catch (err) {
    // Put the old build back when nothing took its place.
    if (olds.length > 0 && !existsSync(target)) renameSync(olds.pop()!, target);
    throw err;
  } finally {
    rmSync(temp, { recursive: true, force: true });
    for (const old of olds) rmSync(old, { recursive: true, force: true });
  }
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}
