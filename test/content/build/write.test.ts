/** The build is replaced whole or not at all. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isSafeRelative, writeBuildAtomically } from '../../../src/content/build/write.ts';
import { loadWorld } from '../../../src/content/load-world.ts';
import { copyWorld } from './world-fixture.ts';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('writeBuildAtomically', () => {
  it('replaces the old build with the new one, leaving nothing else', () => {
    root = mkdtempSync(join(tmpdir(), 'tessera-write-'));
    const dir = join(root, 'build', 'content');
    writeBuildAtomically(dir, new Map<string, Uint8Array | string>([['a.txt', 'one'], ['zones/b.tpak', new Uint8Array([1, 2])]]));
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('one');
    writeBuildAtomically(dir, new Map([['c.txt', 'two']]));
    expect(readdirSync(dir)).toEqual(['c.txt']);
    expect(readdirSync(join(root, 'build'))).toEqual(['content']);
  });

  it('leaves the old build untouched when writing fails', () => {
    root = mkdtempSync(join(tmpdir(), 'tessera-write-'));
    const dir = join(root, 'content');
    writeBuildAtomically(dir, new Map([['a.txt', 'old']]));
    expect(() => writeBuildAtomically(dir, new Map([['b.txt', 'new'], ['../escape.txt', 'x']]))).toThrow(/leaves the build folder/);
    expect(readdirSync(dir)).toEqual(['a.txt']);
    expect(readdirSync(root)).toEqual(['content']);
    expect(existsSync(join(root, 'escape.txt'))).toBe(false);
  });

  it('survives compiles racing for one build folder (servers starting together)', async () => {
    const w = copyWorld();
    root = w.root;
    const script = new URL('../../../scripts/content.ts', import.meta.url).pathname;
    const compile = () =>
      new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [script, '--data', w.dataDir, '--out', w.buildDir], (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout))),
      );
    const out = await Promise.all([compile(), compile(), compile()]);
    for (const o of out) expect(o).toMatch(/^compiled /m);
    expect(loadWorld(w.buildDir).zones.map((z) => z.name)).toEqual(['town', 'field']);
    expect(readdirSync(join(w.root, 'build'))).toEqual(['content']);
  }, 60_000);

  it('knows a safe relative path', () => {
    for (const p of ['a', 'a/b.json', 'client/0123/maps/x.json']) expect(isSafeRelative(p), p).toBe(true);
    for (const p of ['', '/a', 'a/../b', '..', './a', 'a//b', 'a\\b']) expect(isSafeRelative(p), p).toBe(false);
  });
});
