import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when the Debian prometheus package (prometheus and promtool) is installed. */
export function prometheusInstalled(): boolean {
  return spawnSync('prometheus', ['--version']).status === 0 && spawnSync('promtool', ['--version']).status === 0;
}

/** A free loopback TCP port (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PrometheusResult {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value?: [number, string] }[] };
}

/**
 * A real Prometheus on loopback with a throwaway TSDB, scraping one target
 * every second and evaluating `ruleFiles` every second. stop() kills it (by
 * its own pid) and removes its data.
 */
export class PrometheusProcess {
  readonly port: number;
  readonly url: string;
  private readonly dir: string;
  private readonly child: ChildProcess;
  private readonly stderr: string[] = [];

  private constructor(port: number, dir: string, child: ChildProcess) {
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.dir = dir;
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      this.stderr.push(d);
      if (this.stderr.length > 200) this.stderr.shift();
    });
  }

  static async start(target: string, ruleFiles: string[]): Promise<PrometheusProcess> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'tessera-prom-'));
    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      ...ruleFiles.map((f) => `  - ${JSON.stringify(f)}`),
      'scrape_configs:',
      '  - job_name: tessera',
      '    static_configs:',
      `      - targets: [${JSON.stringify(target)}]`,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const child = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const p = new PrometheusProcess(port, dir, child);
    await p.waitReady(30_000);
    return p;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`prometheus exited with ${this.child.exitCode}: ${this.stderr.join('')}`);
      try {
        const r = await fetch(`${this.url}/-/ready`);
        if (r.ok) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`prometheus not ready after ${timeoutMs} ms: ${this.stderr.join('')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** An instant query through the HTTP API (errors come back as status 'error', not thrown). */
  async query(expr: string): Promise<PrometheusResult> {
    const r = await fetch(`${this.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: expr }),
    });
    return (await r.json()) as PrometheusResult;
  }

  async get<T>(path: string): Promise<T> {
    const r = await fetch(`${this.url}${path}`);
    return (await r.json()) as T;
  }

  /** Waits until the target has been scraped successfully at least `n` times. */
  async waitScrapes(n: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.query('count_over_time(up{job="tessera"}[5m]) and on() (min_over_time(up{job="tessera"}[5m]) == 1)');
      const got = Number(r.data?.result[0]?.value?.[1] ?? 0);
      if (got >= n) return;
      if (Date.now() > deadline) {
        const targets = await this.get<unknown>('/api/v1/targets');
        throw new Error(`only ${got} successful scrapes in ${timeoutMs} ms; targets: ${JSON.stringify(targets)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
