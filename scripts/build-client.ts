/**
 * Builds the browser client (web/client) with Vite into build/client, or
 * into TESSERA_CLIENT_OUT: `npm run client:build`. `npm start` runs this
 * through src/main/http/client-build.ts when the build is stale, which also
 * stamps the build with its sources (build-info.json); run directly (as
 * npm run client:build does) it stamps the build too.
 */
import { build } from 'vite';
import { fileURLToPath } from 'node:url';
import { CLIENT_BUILD_INFO } from '../src/main/http/client-build.ts';

const config = fileURLToPath(new URL('../web/client/vite.config.ts', import.meta.url));
const direct = process.argv.includes('--stamp');
if (direct) {
  // npm run client:build: through the same path as npm start (a swap and a stamp).
  const { buildClient } = await import('../src/main/http/client-build.ts');
  const out = process.env.CLIENT_BUILD_DIR ?? fileURLToPath(new URL('../build/client', import.meta.url));
  const t0 = performance.now();
  await buildClient(out);
  console.log(`client built into ${out} (${CLIENT_BUILD_INFO} stamped) in ${Math.round(performance.now() - t0)} ms`);
} else {
  await build({ configFile: config, logLevel: 'warn' });
}
