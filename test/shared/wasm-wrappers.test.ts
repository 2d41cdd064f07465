import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Code without its comments, so that a `new Worker(` in prose does not count. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

describe('the WebAssembly wrapper guard (shared/wasm-wrappers.ts)', () => {
  const starters = sources(join(ROOT, 'src'))
    .map((file) => ({ file: relative(ROOT, file), text: code(readFileSync(file, 'utf8')) }))
    .filter(({ text }) => /new (Worker|Piscina)\(/.test(text));

  it('finds the thread starters it guards (the walk sees them)', () => {
    expect(starters.map((s) => s.file).sort()).toEqual([
      'src/bots/fleet.ts',
      'src/main/accounts/hash.ts',
      'src/main/persistence/pglite-worker.ts',
      'src/main/zones/cell-hosts.ts',
    ]);
  });

  it('is called right before every thread the server, the benches and the bots start', () => {
    for (const { file, text } of starters) {
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        if (!/new (Worker|Piscina)\(/.test(line)) return;
        expect(lines[i - 1]?.trim(), `${file}:${i + 1}`).toBe('keepWasmImportWrappersGeneric();');
      });
    }
  });
});
