/**
 * src/protocol is imported by the browser client as it is (web/client), so
 * no module in it may need Node: no `node:` or bare built-in import, no
 * import from outside src/protocol (where Node code lives), and no use of
 * Node's globals (Buffer, process, require, __dirname, __filename, global,
 * setImmediate). The client's own type check (tsc -p web/client, without
 * Node's types) catches the same; this names the file and line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../../src/protocol/', import.meta.url));
const NODE_GLOBALS = ['Buffer', 'process', 'require', '__dirname', '__filename', 'global', 'setImmediate', 'clearImmediate'];
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The code with comments and string contents blanked (line breaks kept), so a word in a comment or message is not a use. */
function codeOnly(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, (m) => ' '.repeat(m.length))
    .replace(/`(?:\\[\s\S]|\$\{[^}]*\}|[^`\\])*`|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"/g, (m) => m[0] + m.slice(1, -1).replace(/[^\n]/g, ' ') + m[m.length - 1]);
}

function nodeUses(file: string, text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  const code = codeOnly(text).split('\n');
  const spec = /\b(?:import|export)\b[^'"]*?\bfrom\s*(['"])([^'"]+)\1|\bimport\s*\(\s*(['"])([^'"]+)\3\s*\)|^\s*import\s*(['"])([^'"]+)\5/g;
  lines.forEach((line, i) => {
    for (const m of line.matchAll(spec)) {
      const target = m[2] ?? m[4] ?? m[6];
      if (BUILTINS.has(target) || target.startsWith('node:')) problems.push(`${file}:${i + 1}: imports Node's ${target}`);
      else if (!target.startsWith('./')) problems.push(`${file}:${i + 1}: imports ${target}, outside src/protocol`);
    }
    // Not a property (o.process) nor an object key ({ process: 1 }).
    for (const g of NODE_GLOBALS) if (new RegExp(`(?<![\\w$.])${g}(?![\\w$])(?!\\s*:)`).test(code[i])) problems.push(`${file}:${i + 1}: uses Node's ${g}`);
  });
  return problems;
}

describe('src/protocol runs in a browser', () => {
  it('no module imports Node or uses its globals', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const problems = files.flatMap((f) => nodeUses(f, readFileSync(join(DIR, f), 'utf8')));
    expect(problems).toEqual([]);
  });

  it('would catch each kind of Node use', () => {
    const sample = [
      "import { readFileSync } from 'node:fs';",
      "import os from 'os';",
      "import { x } from '../shared/layout.ts';",
      'const b = Buffer.from([1]);',
      'if (process.env.X) {}',
      "// Buffer in a comment is fine; so is 'process' in a string",
      "import { ok } from './reader.ts';",
      'const buffer = new ArrayBuffer(1); const o = { process: 1 }; o.process;',
    ].join('\n');
    expect(nodeUses('x.ts', sample)).toEqual([
      "x.ts:1: imports Node's node:fs",
      "x.ts:2: imports Node's os",
      'x.ts:3: imports ../shared/layout.ts, outside src/protocol',
      "x.ts:4: uses Node's Buffer",
      "x.ts:5: uses Node's process",
    ]);
  });
});
