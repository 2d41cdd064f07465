import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../src/bots/server-process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** The gate's WebSocket address. */
  url: string;
  /** Every line it printed, stdout and stderr. */
  lines: string[];
  exited: Promise<number | null>;
}

/**
 * Runs `src/main/main.ts` as its own process, as `npm start` does (the
 * benches' startServer: the project's Node, the start settings), in a
 * fresh DATA_DIR unless `env` names one, and resolves once it is ready.
 */
export async function startServerProcess(env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ServerProcess> {
  const lines: string[] = [];
  const server = await startServer(
    { DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-')), ...env },
    { cwd: ROOT, timeoutMs, onLine: (line) => lines.push(line) },
  );
  return { child: server.child, port: server.port, url: `ws://127.0.0.1:${server.port}/play`, lines, exited: server.exited };
}
