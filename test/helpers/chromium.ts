/**
 * Headless Chromium for browser tests: Debian's `chromium` (installed by
 * scripts/install-test-services.sh; CHROMIUM_PATH overrides), driven by
 * playwright-core, with a fresh profile folder per launch (nothing carried
 * over, nothing downloaded). `webgl` adds SwiftShader, so WebGL renders on
 * a machine without a GPU.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LaunchedChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(o: { webgl?: boolean; viewport?: { width: number; height: number } } = {}): Promise<LaunchedChromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Chromium at ${CHROMIUM} (Debian package chromium: sudo scripts/install-test-services.sh; or set CHROMIUM_PATH)`);
  const profile = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
  if (o.webgl) args.push('--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    ...(o.viewport ? { viewport: o.viewport, deviceScaleFactor: 1 } : {}),
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
