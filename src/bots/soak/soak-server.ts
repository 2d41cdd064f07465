/**
 * The server process under soak: `node src/main/main.ts` on real PostgreSQL
 * and Redis, with the test-only fault hooks on (NODE_ENV=test,
 * TESSERA_FAULT_HOOKS, an IPC channel), its log written to a file and
 * watched for the lines faults wait on. It can be started again on the same
 * port after a SIGKILL.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { freePort, startServer, type ServerProcess } from '../server-process.ts';

export interface SoakServerOptions {
  databaseUrl: string;
  redisUrl: string;
  /** ZONES entry (config.ts), e.g. meadow:128x128:2x1:120. */
  zones: string;
  npcTemplate: string;
  spawn: string;
  /** Every line the server prints goes here. */
  logFile: string;
  /** Extra environment (overrides). */
  env?: Record<string, string>;
}

export class SoakServer {
  private current: ServerProcess | undefined;
  private readonly env: Record<string, string>;
  private readonly log: WriteStream;
  private waiters: { text: string; resolve: (ok: boolean) => void }[] = [];
  /** Lines the server printed, counted by what the checks look for. */
  readonly seen = { lines: 0, fatal: 0, uncaught: 0 };

  private constructor(env: Record<string, string>, logFile: string) {
    this.env = env;
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  static async start(o: SoakServerOptions): Promise<SoakServer> {
    const port = await freePort();
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      TESSERA_FAULT_HOOKS: '1',
      PORT: String(port),
      DATABASE_URL: o.databaseUrl,
      REDIS_URL: o.redisUrl,
      ZONES: o.zones,
      NPC_TEMPLATE: o.npcTemplate,
      SPAWN: o.spawn,
      ALLOW_GUESTS: '0',
      // The stall detector runs on its defaults (CELL_LOOP_CPU_MS): the soak measures what operators get.
      // Every bot logs in again after each SIGKILL, from one address.
      LOGIN_LIMIT_PER_IP: '1000000',
      LOGIN_LIMIT_PER_ACCOUNT: '1000000',
      REGISTER_LIMIT_PER_IP: '1000000',
      GATE_IP_LIMIT_EXEMPT: '127.0.0.1',
      SCRYPT_LOG2N: '12',
      LOG_LEVEL: 'info',
      ...o.env,
    };
    const s = new SoakServer(env, o.logFile);
    await s.launch();
    return s;
  }

  private async launch(): Promise<void> {
    this.current = await startServer(this.env, { ipc: true, timeoutMs: 180_000, onLine: (line) => this.onLine(line) });
  }

  private onLine(line: string): void {
    this.log.write(`${line}\n`);
    this.seen.lines++;
    if (line.includes('"level":60')) this.seen.fatal++;
    if (/uncaught|unhandled/i.test(line)) this.seen.uncaught++;
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((w) => {
      if (!line.includes(w.text)) return true;
      w.resolve(true);
      return false;
    });
  }

  get process(): ServerProcess {
    if (!this.current) throw new Error('the soak server is not running');
    return this.current;
  }

  get httpBase(): string {
    return this.process.url;
  }

  get playUrl(): string {
    return `ws://127.0.0.1:${this.process.port}/play`;
  }

  /** Starts the process again (after it died), on the same port with the same environment. */
  restart(): Promise<void> {
    return this.launch();
  }

  /** Resolves true at the next line containing `text`, false after `ms`. */
  waitForLog(text: string, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const w = { text, resolve };
      this.waiters.push(w);
      setTimeout(() => {
        if (!this.waiters.includes(w)) return;
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve(false);
      }, ms).unref();
    });
  }

  /** SIGTERM and wait: the graceful stop that saves every character. Returns the exit code. */
  async stop(): Promise<number | null> {
    const code = this.current ? await this.current.stop(30_000) : null;
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
    return code;
  }
}
