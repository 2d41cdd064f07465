/**
 * When `npm start` rebuilds the browser client: a build is stale when it
 * is missing or a source of it (web/client, src/protocol, the package
 * manifests) was added, removed or changed since it was stamped.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_BUILD_INFO, clientSources, clientStaleReason } from '../../../src/main/http/client-build.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A repository-like folder with client sources, and a build stamped from them. */
function fixture(): { root: string; out: string } {
  const root = mkdtempSync(join(tmpdir(), 'tessera-client-src-'));
  dirs.push(root);
  mkdirSync(join(root, 'web/client/src'), { recursive: true });
  mkdirSync(join(root, 'web/client/node_modules/x'), { recursive: true });
  mkdirSync(join(root, 'src/protocol'), { recursive: true });
  writeFileSync(join(root, 'web/client/src/main.ts'), 'export {};');
  writeFileSync(join(root, 'web/client/node_modules/x/index.js'), '');
  writeFileSync(join(root, 'src/protocol/opcodes.ts'), 'export const A = 1;');
  writeFileSync(join(root, 'package.json'), '{}');
  const out = join(root, 'build/client');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'index.html'), '');
  return { root, out };
}

function stamp(root: string, out: string): void {
  const sources = clientSources(root).map((path) => {
    const st = statSync(join(root, path));
    return { path, size: st.size, mtimeMs: st.mtimeMs };
  });
  writeFileSync(join(out, CLIENT_BUILD_INFO), JSON.stringify({ sources }));
}

describe('client build staleness', () => {
  it('lists web/client, src/protocol and the package manifests, not node_modules', () => {
    const { root } = fixture();
    expect(clientSources(root)).toEqual(['package.json', 'src/protocol/opcodes.ts', 'web/client/src/main.ts']);
  });

  it('is stale without a build, fresh once stamped, stale again on any change', () => {
    const { root, out } = fixture();
    expect(clientStaleReason(out, root)).toMatch(/no client build/);
    stamp(root, out);
    expect(clientStaleReason(out, root)).toBeUndefined();
    const t = new Date(Date.now() + 5000);
    utimesSync(join(root, 'src/protocol/opcodes.ts'), t, t);
    expect(clientStaleReason(out, root)).toBe('src/protocol/opcodes.ts changed');
    stamp(root, out);
    writeFileSync(join(root, 'web/client/src/new.ts'), '');
    expect(clientStaleReason(out, root)).toBe('web/client/src/new.ts was added');
    stamp(root, out);
    rmSync(join(root, 'web/client/src/new.ts'));
    expect(clientStaleReason(out, root)).toBe('web/client/src/new.ts was removed');
    stamp(root, out);
    rmSync(join(out, 'index.html'));
    expect(clientStaleReason(out, root)).toMatch(/no index.html/);
  });

  it('the repository\'s own sources include the client entry and the codec', () => {
    const list = clientSources();
    expect(list).toContain('web/client/src/main.ts');
    expect(list).toContain('src/protocol/client-view.ts');
    expect(list.some((p) => p.includes('node_modules'))).toBe(false);
  });
});
