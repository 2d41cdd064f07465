import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../log.ts';

/**
 * The browser client's build (web/client, bundled by Vite into
 * CLIENT_BUILD_DIR) and when it is stale: `npm start` builds it when it is
 * missing or any of its sources changed since (size or modification time,
 * a file added or removed): web/client, src/protocol (which it imports) and
 * the package manifests (a new PixiJS). The build runs in a child process
 * (scripts/build-client.ts), into a fresh folder swapped in whole, so a
 * server never serves half a build and the coordinator never loads Vite.
 */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Written last into a build: what it was built from. */
export const CLIENT_BUILD_INFO = 'build-info.json';
const SOURCE_DIRS = ['web/client', 'src/protocol'];
const SOURCE_FILES = ['package.json', 'package-lock.json'];

interface Stamp {
  path: string;
  size: number;
  mtimeMs: number;
}

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

/** Every source file of the client build, sorted, relative to the repository. */
export function clientSources(root = REPO_ROOT): string[] {
  const files: string[] = [];
  for (const d of SOURCE_DIRS) walk(join(root, d), files);
  for (const f of SOURCE_FILES) if (existsSync(join(root, f))) files.push(join(root, f));
  return files.map((f) => relative(root, f)).sort();
}

function stamps(root: string): Stamp[] {
  return clientSources(root).map((path) => {
    const st = statSync(join(root, path));
    return { path, size: st.size, mtimeMs: st.mtimeMs };
  });
}

/** Why the build in `outDir` does not match the sources, or undefined when it does. */
export function clientStaleReason(outDir: string, root = REPO_ROOT): string | undefined {
  let info: { sources?: Stamp[] };
  try {
    info = JSON.parse(readFileSync(join(outDir, CLIENT_BUILD_INFO), 'utf8')) as { sources?: Stamp[] };
  } catch {
    return `no client build in ${outDir}`;
  }
  if (!existsSync(join(outDir, 'index.html'))) return `${outDir} has no index.html`;
  const built = new Map((info.sources ?? []).map((s) => [s.path, s]));
  const now = stamps(root);
  for (const s of now) {
    const b = built.get(s.path);
    if (!b) return `${s.path} was added`;
    if (b.size !== s.size || b.mtimeMs !== s.mtimeMs) return `${s.path} changed`;
  }
  if (built.size !== now.length) return `${[...built.keys()].find((p) => !now.some((s) => s.path === p))} was removed`;
  return undefined;
}

/**
 * Builds the client into `outDir` (through a sibling folder renamed into
 * place) and writes its build-info; rejects with Vite's output when the
 * build fails.
 */
export function buildClient(outDir: string, root = REPO_ROOT): Promise<void> {
  const out = resolve(outDir);
  const fresh = `${out}.building-${process.pid}-${Date.now()}`;
  // Stamped before building: a source edited during the build makes the next check stale.
  const sources = stamps(root);
  return new Promise<void>((ok, fail) => {
    execFile(
      process.execPath,
      [join(root, 'scripts/build-client.ts')],
      { cwd: root, env: { ...process.env, TESSERA_CLIENT_OUT: fresh }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          rmSync(fresh, { recursive: true, force: true });
          fail(new Error(`client build failed: ${err.message}\n${stdout}${stderr}`.trim()));
          return;
        }
        try {
          writeFileSync(join(fresh, CLIENT_BUILD_INFO), `${JSON.stringify({ builtAt: new Date().toISOString(), sources }, null, 1)}\n`);
          const old = `${out}.old-${process.pid}-${Date.now()}`;
          if (existsSync(out)) renameSync(out, old);
          renameSync(fresh, out);
          rmSync(old, { recursive: true, force: true });
          ok();
        } catch (e) {
          rmSync(fresh, { recursive: true, force: true });
          fail(e instanceof Error ? e : new Error(String(e)));
        }
      },
    );
  });
}

/** Builds the client when its build is stale; resolves once `outDir` holds a current build. */
export async function ensureClientBuild(outDir: string, log: Logger, root = REPO_ROOT): Promise<void> {
  const reason = clientStaleReason(outDir, root);
  if (reason === undefined) return;
  log.info({ reason, to: outDir }, 'client build is stale; building');
  const t0 = performance.now();
  await buildClient(outDir, root);
  log.info({ ms: Math.round(performance.now() - t0), to: outDir }, 'client built');
}
