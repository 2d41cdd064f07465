/**
 * `npm run soak -- --minutes N`: the soak with faults and audit
 * (run-soak.ts). Writes report.json, report.md and server.log into --out
 * (default bench/results/soak-DATE/), prints the markdown, and exits 1 when
 * a check failed, 2 on bad arguments.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSoak } from './run-soak.ts';
import { parseSoakArgs, SoakOptionError } from './soak-options.ts';
import { soakMarkdown } from './soak-report.ts';

let options;
try {
  options = parseSoakArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof SoakOptionError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
const started = Date.now();
const report = await runSoak({ ...options, say: (line) => process.stdout.write(`[soak ${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`) });
writeFileSync(join(options.outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
const md = soakMarkdown(report);
writeFileSync(join(options.outDir, 'report.md'), md);
process.stdout.write(`\n${md}\nreport written to ${options.outDir}/report.{json,md}\n`);
process.exit(report.pass ? 0 : 1);
