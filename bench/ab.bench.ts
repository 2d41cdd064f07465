/**
 * `npm run bench:ab -- --base REV [--pairs N] [--out DIR] -- [load bench options]`:
 * the load bench on a base commit and on the working tree, alternately
 * (bench/lib/ab.ts says why and in what order). The base is checked out
 * in a temporary git worktree that uses this tree's node_modules, and is
 * removed at the end. Each run writes its results under DIR/<n>-<side>/
 * and its log beside them; the summary goes to stdout and to
 * DIR/ab.json. The base's load bench must take the same options.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commitOf } from './lib/stats.ts';
import { AbArgsError, abMarkdown, abOrder, parseAbArgs, summariseAb, type AbRun, type AbSide, type AbStep } from './lib/ab.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const log = (s: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);
const git = (...args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

/** The load bench running now, if any: an interrupt waits for it to end before removing its tree. */
let running: ChildProcess | null = null;

/** One load bench run in `tree`, its results in `dir`; resolves with its steps. */
function runOnce(tree: string, loadArgv: string[], dir: string): Promise<AbStep[]> {
  mkdirSync(dir, { recursive: true });
  const logFile = createWriteStream(join(dir, 'bench.log'));
  const child = spawn(process.execPath, [join(tree, 'bench', 'load.bench.ts'), ...loadArgv, '--retries', '0', '--out', dir], { cwd: tree, stdio: ['ignore', 'pipe', 'pipe'] });
  running = child;
  child.stdout.pipe(logFile, { end: false });
  child.stderr.pipe(logFile, { end: false });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      running = null;
      logFile.end();
      if (code !== 0) return reject(new Error(`the load bench in ${tree} exited with ${code}: see ${join(dir, 'bench.log')}`));
      const json = readdirSync(dir).filter((f) => f.startsWith('load-') && f.endsWith('.json'));
      if (json.length !== 1) return reject(new Error(`expected one results file in ${dir}, found ${json.length}`));
      resolve((JSON.parse(readFileSync(join(dir, json[0]), 'utf8')) as { steps: AbStep[] }).steps);
    });
  });
}

async function main(): Promise<void> {
  const args = parseAbArgs(process.argv.slice(2), join(ROOT, 'bench', 'results', `ab-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  let baseCommit: string;
  try {
    baseCommit = git('rev-parse', '--verify', '--quiet', `${args.base}^{commit}`);
  } catch {
    throw new AbArgsError(`--base ${args.base} is not a commit of this repository`);
  }
  const baseName = git('rev-parse', '--short=10', baseCommit);
  const head = commitOf(ROOT);
  const tree = mkdtempSync(join(tmpdir(), 'tessera-ab-'));
  const baseTree = join(tree, 'base');
  git('worktree', 'add', '--detach', baseTree, baseCommit);
  const removeTree = (): void => {
    git('worktree', 'remove', '--force', baseTree);
    rmSync(tree, { recursive: true, force: true });
  };
  // Interrupted, the worktree goes too, once the running bench has stopped its server and ended (it writes into its tree as it exits).
  const onInterrupt = (): void => {
    const done = (): never => {
      removeTree();
      process.exit(130);
    };
    if (running === null) return done();
    running.once('close', done);
    running.kill('SIGINT');
  };
  process.once('SIGINT', onInterrupt);
  try {
    // The base runs on this tree's packages: a change to package.json between the two is not compared.
    if (!existsSync(join(baseTree, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(baseTree, 'node_modules'));
    mkdirSync(args.out, { recursive: true });
    const runs: AbRun[] = [];
    const order = abOrder(args.pairs);
    for (let i = 0; i < order.length; i++) {
      const side: AbSide = order[i];
      log(`run ${i + 1} of ${order.length}: ${side} (${side === 'base' ? baseName : head})`);
      const steps = await runOnce(side === 'base' ? baseTree : ROOT, args.loadArgv, join(args.out, `${i + 1}-${side}`));
      runs.push({ side, steps });
      for (const s of steps) log(`  ${s.players}: ${s.held ? 'held' : 'missed'}, ping p99 ${s.rttPingP99Ms} ms, ${s.snapshotsPerSecondPerBot} snapshots/s, server ${s.serverCpuCores} cores, bots ${s.botCpuCores} cores`);
    }
    const rows = summariseAb(runs);
    const markdown = abMarkdown(rows, baseName, head, args.pairs);
    const file = join(args.out, 'ab.json');
    // Each run's steps stay in its own results file, named here; the summary is what is new.
    const runDirs = order.map((side, i) => ({ side, dir: `${i + 1}-${side}` }));
    writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), base: baseName, head, pairs: args.pairs, loadArgv: args.loadArgv, runs: runDirs, rows }, null, 2)}\n`);
    process.stdout.write(`${markdown}\n`);
    log(`wrote ${file}`);
  } finally {
    process.off('SIGINT', onInterrupt);
    removeTree();
  }
}

main().catch((err: unknown) => {
  if (err instanceof AbArgsError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`bench:ab failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
