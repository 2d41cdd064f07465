/**
 * `npm run fuzz -- [--seconds N] [--baseline-seconds N] [--bots N]
 *   [--connections N] [--rate N] [--seed N] [--report FILE.json] [--replay SEED]`
 *
 * Starts a server on loopback and fuzzes its gate while bots play
 * (src/bots/fuzz/run.ts says what is sent and checked). Prints the report;
 * exit code 0 when every check passed, 1 when one failed, 2 on bad options.
 * `--replay SEED` runs the one connection a report named again, alone.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEFAULT_FUZZ, formatFuzzReport, replayConnection, runFuzz, type FuzzOptions } from './fuzz/run.ts';

const USAGE = `usage: npm run fuzz -- [--seconds N] [--baseline-seconds N] [--bots N] [--connections N] [--rate N] [--seed N] [--report FILE.json] [--replay SEED]`;

class UsageError extends Error {}

const LIMITS: Record<string, [keyof FuzzOptions | 'replay', number, number]> = {
  seconds: ['seconds', 1, 86_400],
  'baseline-seconds': ['baselineSeconds', 1, 3600],
  bots: ['bots', 1, 2000],
  connections: ['connections', 1, 500],
  rate: ['rate', 1, 10_000],
  seed: ['seed', 0, 2 ** 31],
  replay: ['replay', 0, 2 ** 32 - 1],
};

function parse(argv: string[]): { options: Partial<FuzzOptions>; report: string | null; replay: number | null } {
  const options: Partial<FuzzOptions> = {};
  let report: string | null = null;
  let replay: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.split('=', 2);
    const name = flag.replace(/^--/, '');
    if (name === 'help') throw new UsageError(USAGE);
    if (name !== 'report' && !LIMITS[name]) throw new UsageError(`unknown option ${JSON.stringify(arg)}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (name === 'report') {
      if (!value) throw new UsageError('--report needs a file name');
      report = value;
      continue;
    }
    const limit = LIMITS[name];
    const n = Number(value);
    if (!Number.isInteger(n) || n < limit[1] || n > limit[2]) throw new UsageError(`--${name} must be an integer from ${limit[1]} to ${limit[2]} (got ${JSON.stringify(value)})`);
    if (limit[0] === 'replay') replay = n;
    else (options as Record<string, number>)[limit[0]] = n;
  }
  return { options, report, replay };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (args.replay !== null) {
    const r = await replayConnection(args.replay);
    process.stdout.write(`${JSON.stringify(r.outcome, null, 2)}\n${r.expected ? 'as its strategy expects' : 'NOT as its strategy expects'}; log problems: ${r.log.problemCount}\n`);
    for (const p of r.log.problems) process.stdout.write(`  ${p}\n`);
    return r.expected && r.log.ok ? 0 : 1;
  }
  const o = { ...DEFAULT_FUZZ, ...args.options };
  process.stderr.write(`fuzzing for ${o.seconds} s after a ${o.baselineSeconds} s baseline, ${o.bots} bots, ${o.connections} connections at once, seed ${o.seed}\n`);
  const report = await runFuzz({ ...o, onProgress: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${formatFuzzReport(report)}\n`);
  if (args.report) {
    await mkdir(dirname(args.report), { recursive: true });
    await writeFile(args.report, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`report written to ${args.report}\n`);
  }
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fuzz failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
