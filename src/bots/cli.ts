/**
 * `npm run bots -- --url http://127.0.0.1:8080 --count N --duration S
 *   [--ramp S] [--behavior wander|fight|mixed] [--guests] [--report FILE.json]`
 *
 * Prints a live progress line, then the report table; writes the JSON
 * report with --report. Exit code 0 when every bot connected and none
 * failed, 1 otherwise, 2 on bad options.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OptionError, parseBotArgs } from './options.ts';
import { formatReport } from './report.ts';
import { runBots } from './run.ts';

async function main(): Promise<number> {
  let argv = process.argv.slice(2);
  // --server-pid is the CLI's own: it lets the report read CPU/RSS from /proc when the server has no /metrics.
  let serverPid: number | null = null;
  const pidAt = argv.findIndex((a) => a === '--server-pid' || a.startsWith('--server-pid='));
  if (pidAt >= 0) {
    const raw = argv[pidAt].includes('=') ? argv[pidAt].split('=')[1] : argv[pidAt + 1];
    serverPid = Number(raw);
    if (!Number.isInteger(serverPid) || serverPid <= 0) {
      process.stderr.write(`--server-pid must be a process id (got ${JSON.stringify(raw)})\n`);
      return 2;
    }
    argv = argv.filter((_, i) => i !== pidAt && (argv[pidAt].includes('=') || i !== pidAt + 1));
  }
  let options;
  try {
    options = parseBotArgs(argv);
  } catch (err) {
    if (err instanceof OptionError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const tty = process.stderr.isTTY;
  const report = await runBots(options, {
    serverPid,
    onProgress: options.progress ? (line) => process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`) : undefined,
  });
  if (options.progress && tty) process.stderr.write('\n');
  process.stdout.write(`${formatReport(report)}\n`);
  if (options.report) {
    await mkdir(dirname(options.report), { recursive: true });
    await writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`report written to ${options.report}\n`);
  }
  return report.failed === 0 && report.connected === options.count ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bots failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
