// Compiles the content sources (default ./data, or CONTENT_DIR / --data DIR)
// into the build folder (default ./build/content, or CONTENT_BUILD_DIR /
// --out DIR): `npm run content`. Prints every problem, one per line, naming
// the file and the JSON path or map object, and exits 1 when there is any;
// nothing is written then. `--if-stale` compiles only when the build is stale.
import { parseArgs } from 'node:util';
import { staleReason } from '../src/content/build/stale.ts';
import { compileContent } from '../src/content/compile.ts';
import { formatContentError } from '../src/content/schema/errors.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: process.env.CONTENT_DIR ?? './data' },
    out: { type: 'string', default: process.env.CONTENT_BUILD_DIR ?? './build/content' },
    'if-stale': { type: 'boolean', default: false },
  },
});
const dataDir = values.data;
const buildDir = values.out;

if (values['if-stale']) {
  const reason = staleReason(dataDir, buildDir);
  if (reason === undefined) {
    console.log(`content in ${buildDir} is up to date with ${dataDir}`);
    process.exit(0);
  }
  console.log(`compiling: ${reason}`);
}
const t0 = performance.now();
const r = compileContent({ dataDir, buildDir });
for (const w of r.warnings) console.warn(`warning: ${w}`);
if (!r.ok) {
  for (const e of r.errors) console.error(formatContentError(e));
  console.error(`${r.errors.length} problem${r.errors.length === 1 ? '' : 's'}; nothing written to ${buildDir}`);
  process.exit(1);
}
const ms = Math.round(performance.now() - t0);
const zones = r.manifest.zones.map((z) => `${z.name} ${z.width}x${z.height} (${z.cellCols}x${z.cellRows} cells)`).join(', ');
console.log(`compiled ${dataDir} into ${buildDir} in ${ms} ms: content ${r.hash}, ${(r.bytes / 1024).toFixed(1)} KiB; zones ${zones}; start ${r.manifest.start}`);
