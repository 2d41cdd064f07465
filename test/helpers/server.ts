import { loadConfig } from '../../src/main/config.ts';
import { startTessera, type Tessera, type TesseraOptions } from '../../src/main/start-tessera.ts';
import { silentLog } from './zone.ts';

/** Starts a whole server in this process on a free loopback port. */
export async function startTestServer(env: Record<string, string> = {}, o: Partial<TesseraOptions> = {}): Promise<Tessera & { url: string }> {
  const base: Record<string, string> = { PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1' };
  if (env.ZONES === undefined) base.NPC_COUNT = '0';
  const cfg = loadConfig({ ...base, ...env });
  const t = await startTessera(cfg, { log: silentLog, ...o });
  return Object.assign(t, { url: `ws://127.0.0.1:${t.port}/play` });
}
