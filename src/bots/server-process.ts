import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { withStartEnv } from '../main/start-env.ts';

const SERVER_ENTRY = fileURLToPath(new URL('../main/main.ts', import.meta.url));

/** A Tessera server started as a child process (bench and tests). */
export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  /** False once the process has exited. */
  readonly alive: boolean;
  /** Log lines it printed (last 200), for failure messages. */
  logTail: string[];
  /** Resolves with its exit code (null when a signal ended it) once it has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it exited. */
  stop(graceMs?: number): Promise<number | null>;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node src/main/main.ts` with `env` added to this process's
 * environment (PORT defaults to a free port picked here, so any LOG_LEVEL
 * works), waits until /readyz answers, and returns its port and pid.
 * Extra node flags (e.g. --cpu-prof) go in `nodeArgs`; `onLine` sees every
 * line it prints (stdout and stderr); `ipc` opens an IPC channel to it
 * (child.send).
 */
export async function startServer(
  env: Record<string, string>,
  opts: { nodeArgs?: string[]; timeoutMs?: number; cwd?: string; onLine?: (line: string) => void; ipc?: boolean } = {},
): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), SERVER_ENTRY], {
    // The start settings npm start uses (main/start-env.ts), unless the caller's environment sets them.
    env: withStartEnv({ ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, PORT: String(port) }),
    // An IPC channel only when asked (the soak's test-only fault hooks, main/faults/fault-hooks.ts).
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    cwd: opts.cwd,
  });
  const logTail: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      if (signal) logTail.push(`[server process ended by ${signal}]`);
      resolve(code);
    }),
  );
  let alive = true;
  void exited.then(() => {
    alive = false;
  });
  let buf = '';
  const onData = (chunk: Buffer): void => {
    buf += chunk.toString('utf8');
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      opts.onLine?.(buf.slice(0, nl));
      logTail.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      if (logTail.length > 200) logTail.shift();
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not answering yet
    }
    if (!alive) throw new Error(`server exited (${child.exitCode}) before it was ready:\n${logTail.join('\n')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server never became ready:\n${logTail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    get alive() {
      return alive;
    },
    pid: child.pid!,
    port,
    url,
    logTail,
    exited,
    async stop(graceMs = 15_000) {
      if (!alive) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
