/**
 * What a cell thread loads, checked on the source: every module a cell
 * imports at run time (type-only imports are erased and do not count) is
 * loaded into each cell's own V8 heap, once per cell. The content schemas'
 * zod costs about 4 MB of heap per thread and a cell needs none of it (it
 * reads packed tables), so nothing a cell imports may import zod.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CELL = resolve(ROOT, 'src/workers/cell.ts');

/** Runtime imports: `import ... from`, `export ... from` and `import('...')`, not `import type` / `export type`. */
const RUNTIME_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every module reachable from `entry` by runtime imports: source files and package names, with who imported each first. */
function runtimeGraph(entry: string): Map<string, string> {
  const found = new Map<string, string>([[entry, '']]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const m of readFileSync(file, 'utf8').matchAll(RUNTIME_IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('node:')) continue;
      const target = spec.startsWith('.') ? resolve(dirname(file), spec) : spec;
      if (found.has(target)) continue;
      found.set(target, file);
      if (spec.startsWith('.') && existsSync(target)) queue.push(target);
    }
  }
  return found;
}

function chain(graph: Map<string, string>, module: string): string {
  const path: string[] = [];
  for (let m: string | undefined = module; m; m = graph.get(m)) path.push(m.startsWith('/') ? relative(ROOT, m) : m);
  return path.join(' <- ');
}

describe('a cell thread', () => {
  it('loads no zod (the content schemas stay on the coordinator and the build)', () => {
    const graph = runtimeGraph(CELL);
    expect(graph.size).toBeGreaterThan(50);
    const zod = [...graph.keys()].filter((m) => m === 'zod' || m.startsWith('zod/'));
    expect(zod.map((m) => chain(graph, m))).toEqual([]);
  });

  it('the check finds zod where a module does import it', () => {
    const graph = runtimeGraph(resolve(ROOT, 'src/content/schema/npcs.ts'));
    expect(graph.has('zod')).toBe(true);
  });
});
