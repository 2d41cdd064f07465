/**
 * The layering of the coordinator, checked on the source: src/main is
 * grouped by part (gate/, zones/, accounts/, persistence/, metrics/, http/),
 * and parts must not depend on each other in a circle. Every import counts,
 * type-only ones included: a cycle in types is a cycle in the design.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../src/main/', import.meta.url));

/** `from '...'`, `import '...'` and `import('...')`, relative ones only. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Each src/main file and the src/main files it imports, as paths relative to src/main. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(MAIN)) {
    const deps: string[] = [];
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolve(dirname(file), m[2]!);
      if (target.startsWith(MAIN)) deps.push(relative(MAIN, target));
    }
    graph.set(relative(MAIN, file), deps);
  }
  return graph;
}

/** A file's part: its folder under src/main, or the file itself at the top (main.ts, config.ts...). */
const partOf = (file: string): string => (file.includes(sep) ? file.split(sep)[0]! : file);

/** The strongly connected components with more than one node (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

function partGraph(files: Map<string, string[]>): Map<string, Set<string>> {
  const parts = new Map<string, Set<string>>();
  for (const [file, deps] of files) {
    const from = partOf(file);
    const out = parts.get(from) ?? new Set<string>();
    parts.set(from, out);
    for (const d of deps) if (partOf(d) !== from) out.add(partOf(d));
  }
  return parts;
}

describe('src/main import graph', () => {
  const files = importGraph();

  it('finds the files and their imports (the parser still works)', () => {
    expect(files.get('main.ts')).toContain('start-tessera.ts');
    expect(files.get(join('accounts', 'accounts.ts'))).toContain(join('persistence', 'storage.ts'));
  });

  it('persistence/ (storage) imports nothing from accounts/', () => {
    const wrong = [...files].flatMap(([f, deps]) => (partOf(f) === 'persistence' ? deps.filter((d) => partOf(d) === 'accounts').map((d) => `${f} -> ${d}`) : []));
    expect(wrong).toEqual([]);
  });

  it('has no import cycle between files', () => {
    const graph = new Map([...files].map(([f, deps]) => [f, new Set(deps)]));
    expect(cycles(graph)).toEqual([]);
  });

  it('has no cycle between parts (gate/, zones/, accounts/, persistence/, metrics/, http/, top-level files)', () => {
    expect(cycles(partGraph(files))).toEqual([]);
  });

  it('imports nothing from src/workers: the types both sides use live in src/shared', () => {
    const root = fileURLToPath(new URL('../../src/', import.meta.url));
    const wrong: string[] = [];
    for (const file of sources(MAIN)) {
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = resolve(dirname(file), m[2]!);
        if (relative(root, target).startsWith(`workers${sep}`)) wrong.push(`${relative(MAIN, file)} -> ${m[2]}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the cycle checker sees a cycle between accounts/ and persistence/ when there is one', () => {
    const fake = new Map(files);
    fake.set(join('persistence', 'storage.ts'), [...files.get(join('persistence', 'storage.ts'))!, join('accounts', 'accounts.ts')]);
    expect(cycles(partGraph(fake))).toContainEqual(['accounts', 'persistence']);
  });
});
