/**
 * `npm run bench`: the load benchmark (docs/benchmarks.md).
 *
 * Starts a fresh server on the embedded default (own DATA_DIR in a temp
 * folder) with a 384×384 zone, then runs bots in steps of 250, 500, 1000,
 * 1500, 2000, 3000, 4000, ... players (half-steps past 1000, so the limit is
 * found to within a third rather than a half): each step adds bots over a ramp, lets them settle
 * and measures a steady window. It stops at the first step that misses a
 * budget (tick p99 > 50 ms, ping RTT p99 > 100 ms, < 99 % connected,
 * snapshots below 90 % of the tick rate) and writes
 * bench/results/load-<date>.json and .svg.
 *
 * Options (bench/lib/load-args.ts): --steps 250,500,... --steady S (25) --settle S (3)
 *   --join-rate N/s (200) --workers N (cores) --max-minutes M (14, per run) --profile (server --cpu-prof)
 *   --retries N (1: a missed step is measured again once) --out DIR (bench/results)
 *   --behavior wander|fight|mixed|quest (wander)
 *   --world generated|default (generated): `default` plays the content's world (data/, or --content DIR)
 *     with account bots whose characters start in --start ZONE (by behaviour: bench/lib/default-world.ts)
 *   --postgres (a throwaway PostgreSQL server instead of PGlite)
 *   --repeat N (1: the sweep N times, each on a fresh server; each step held k/N)
 *   --tick-hz N (20) --send-hz N (20, or the tick rate when lower) --input-hz N (10: each moving bot's inputs a second)
 *   --server-node-arg --FLAG[=VALUE] (repeatable: node or V8 flags for the server process only)
 *   generated world only: --zone UNITS (384) --npcs N (100) --npc-template ID (unset: generic wanderers)
 *
 * Each step records the coordinator's event-loop delay over its window, the
 * game played in it (kills, loot, equips, quests, item transactions the
 * database committed) and whether the machine was quiet (load average and
 * other processes' CPU before and after: bench/lib/machine-load.ts). Only
 * the default run (wander, generated world, PGlite, default --out) rewrites
 * docs/benchmarks.md's "Latest results"; any other writes
 * load-<ISO time>-<variant>.json and prints its table.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderLoadPlot } from '../src/bots/plot.ts';
import { withResults } from '../src/bots/results-markdown.ts';
import { LoadArgsError, parseLoadArgs, variantOf, type LoadBenchArgs } from './lib/load-args.ts';
import { repeatMarkdown, sweepMarkdown } from './lib/load-markdown.ts';
import { runSweep, type SweepResult } from './lib/load-sweep.ts';
import { heldInEveryRun, tallyRuns } from './lib/repeat.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const log = (s: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

function plotOf(r: SweepResult, a: LoadBenchArgs): string {
  const m = r.machine;
  const where = a.world === 'generated' ? `zone ${a.zone}²` : 'default world';
  return renderLoadPlot(
    r.steps,
    `Tessera load${a.behavior === 'wander' ? '' : ` (${a.behavior})`}: ${r.maxPlayersHeld} players held${r.run.of > 1 ? ` (run ${r.run.index} of ${r.run.of})` : ''}`,
    `${r.date.slice(0, 10)} · ${String(m.cpu)} × ${String(m.cores)} · Node ${String(m.node)} · ${where} · ${a.tickHz} Hz ticks, ${a.sendHz} Hz snapshots · bots on the same machine · ${r.stopReason}`,
  );
}

async function main(): Promise<void> {
  const args = parseLoadArgs(process.argv.slice(2), ROOT);
  const runs: SweepResult[] = [];
  for (let i = 1; i <= args.repeat; i++) {
    if (args.repeat > 1) log(`run ${i} of ${args.repeat}`);
    const r = await runSweep(args, ROOT, log, { index: i, of: args.repeat });
    runs.push(r);
    log(`run ${i}: largest count held ${r.maxPlayersHeld} (${r.stopReason})`);
  }
  await mkdir(args.out, { recursive: true });
  const first = runs[0];
  const day = first.date.slice(0, 10);
  const variant = variantOf(args);
  const repeatTag = args.repeat > 1 ? `-x${args.repeat}` : '';
  const recorded = variant === '' && args.out === join(ROOT, 'bench', 'results');
  // A variant run is one of several back to back: the time keeps them apart.
  const stem = variant === '' ? `load-${day}${repeatTag}` : `load-${first.date.replace(/[:.]/g, '-')}${variant}${repeatTag}`;
  const jsonName = `${stem}.json`;
  const svgNames = runs.map((_, i) => (runs.length === 1 ? `${stem}.svg` : `${stem}-run${i + 1}.svg`));
  let markdown: string;
  if (runs.length === 1) {
    await writeFile(join(args.out, jsonName), `${JSON.stringify(first, null, 2)}\n`);
    markdown = sweepMarkdown(first, jsonName, svgNames[0]);
  } else {
    const tally = tallyRuns(runs);
    const held = heldInEveryRun(tally);
    await writeFile(join(args.out, jsonName), `${JSON.stringify({ repeat: runs.length, heldInEveryRun: held, tally, runs }, null, 2)}\n`);
    markdown = repeatMarkdown(runs, tally, jsonName, svgNames);
    log(`held in all ${runs.length} runs: ${held} players; per step: ${tally.map((t) => `${t.players} ${t.held}/${t.runs}`).join(', ')}`);
  }
  for (let i = 0; i < runs.length; i++) await writeFile(join(args.out, svgNames[i]), plotOf(runs[i], args));
  if (recorded) {
    // A recorded run also rewrites the "Latest results" section of the docs.
    const docPath = join(ROOT, 'docs', 'benchmarks.md');
    const doc = await readFile(docPath, 'utf8');
    await writeFile(docPath, withResults(doc, markdown));
    log(`updated ${docPath}`);
  } else {
    process.stdout.write(`${markdown}\n`);
  }
  const quiet = runs.flatMap((r) => r.steps).filter((s) => !s.representative).length;
  if (quiet > 0) log(`${quiet} step(s) were measured while other work was running: marked not representative`);
  log(`wrote ${join(args.out, jsonName)} and ${svgNames.join(', ')}`);
  if (args.profile) log(`server CPU profiles in ${join(args.out, 'profiles')}`);
}

main().catch((err: unknown) => {
  if (err instanceof LoadArgsError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
