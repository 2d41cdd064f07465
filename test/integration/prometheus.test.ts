/**
 * Tessera + a real Prometheus (Debian package, on loopback): Prometheus
 * scrapes the server every second and evaluates grafana/alerts/tessera-rules.yml;
 * then every dashboard expression and every rule goes through Prometheus's
 * HTTP API, and must be valid and return series.
 *
 * The target is the whole server (`node src/main/main.ts` as a child
 * process, embedded PGlite in a throwaway folder) with one guest walking
 * about, so the gate's figures move too.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import {
  DASHBOARD_PATH,
  PROMETHEUS_CONFIG_PATH,
  RULES_PATH,
  dashboardExpressions,
  dashboardVariableQueries,
  referencedMetricNames,
  substituteGrafanaVariables,
  withBool,
} from '../main/metrics/expressions.ts';
import { parseExposition } from '../main/metrics/parse.ts';
import { freePort, PrometheusProcess } from '../main/metrics/prometheus-process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RULES = fileURLToPath(RULES_PATH);

interface Target {
  port: number;
  stop(): Promise<void>;
}

/** The whole server as a child process, with guests and NPCs, and one guest walking. */
async function startRealServer(): Promise<Target> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-data-'));
  // /metrics on the main port, the scrape target's default.
  const { METRICS_PORT: _unused, ...env } = process.env;
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/node'), ['src/main/main.ts'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', ALLOW_GUESTS: '1', NPC_COUNT: '60', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The logs (pino on stdout) and stderr, last few kB, for a failure message.
  let stderr = '';
  const keep = (d: string) => (stderr = (stderr + d).slice(-4000));
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', keep);
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', keep);
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`tessera exited with ${child.exitCode}: ${stderr}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`tessera not ready in 120 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    // Never leave the server behind when the test cannot start.
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const client = await TestClient.connect(`ws://127.0.0.1:${port}/play`, 'scraped');
  const steer = setInterval(() => {
    client.moveDir(Math.round(Math.random() * 2 - 1), Math.round(Math.random() * 2 - 1));
    client.ping();
  }, 500);
  return {
    port,
    async stop() {
      clearInterval(steer);
      client.close();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('grafana/ files pass promtool', () => {
  it('promtool check rules and check config', () => {
    const rules = spawnSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(rules.error, 'promtool missing: apt-get install prometheus (.ci/run does)').toBeUndefined();
    expect(rules.status, rules.stdout + rules.stderr).toBe(0);
    const config = spawnSync('promtool', ['check', 'config', fileURLToPath(PROMETHEUS_CONFIG_PATH)], { encoding: 'utf8' });
    expect(config.status, config.stdout + config.stderr).toBe(0);
  });
});

describe('dashboard and alert expressions against a real Prometheus scraping the running server', () => {
  let target: Target;
  let prom: PrometheusProcess;

  beforeAll(async () => {
    target = await startRealServer();
    prom = await PrometheusProcess.start(`127.0.0.1:${target.port}`, [RULES]);
    // Enough samples for every rate() over the 15 s window the test substitutes.
    await prom.waitScrapes(6, 60_000);
  }, 240_000);

  afterAll(async () => {
    await prom?.stop();
    await target?.stop();
  }, 60_000);

  it('runs every dashboard expression: each is valid and returns series', async () => {
    const exprs = dashboardExpressions();
    expect(exprs.length).toBeGreaterThanOrEqual(12);
    const problems: string[] = [];
    for (const { title, expr } of exprs) {
      const q = substituteGrafanaVariables(expr);
      const r = await prom.query(q);
      if (r.status !== 'success') problems.push(`${title}: ${q}: ${r.errorType}: ${r.error}`);
      else if (!r.data || r.data.result.length === 0) problems.push(`${title}: ${q}: no series`);
    }
    expect(problems).toEqual([]);
  });

  it('resolves the dashboard variables', async () => {
    for (const { name, definition } of dashboardVariableQueries()) {
      const m = /^label_values\((.+),\s*(\w+)\)$/.exec(definition);
      expect(m, `${name}: ${definition}`).not.toBeNull();
      const r = await prom.get<{ status: string; data: string[] }>(`/api/v1/label/${m![2]}/values?match[]=${encodeURIComponent(m![1])}`);
      expect(r.status).toBe('success');
      expect(r.data, name).toContain('meadow');
    }
  });

  it('loads every alert rule, evaluates it without error, and each matches series', async () => {
    type Rule = { name: string; query: string; health: string; lastError?: string; type: string };
    let rules: Rule[] = [];
    // Rules are evaluated every second; wait until each has been once.
    for (let i = 0; i < 40; i++) {
      const r = await prom.get<{ data: { groups: { rules: Rule[] }[] } }>('/api/v1/rules');
      rules = r.data.groups.flatMap((g) => g.rules);
      if (rules.length > 0 && rules.every((x) => x.health !== 'unknown')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const inFile = readFileSync(RULES, 'utf8').match(/^\s*- alert:/gm)?.length ?? 0;
    expect(rules.length).toBe(inFile);
    expect(rules.length).toBeGreaterThanOrEqual(4);
    const problems: string[] = [];
    for (const rule of rules) {
      if (rule.health !== 'ok') problems.push(`${rule.name}: health ${rule.health} ${rule.lastError ?? ''}`);
      const q = withBool(rule.query);
      const r = await prom.query(q);
      if (r.status !== 'success') problems.push(`${rule.name}: ${q}: ${r.errorType}: ${r.error}`);
      else if (!r.data || r.data.result.length === 0) problems.push(`${rule.name}: ${q}: no series`);
    }
    expect(problems).toEqual([]);
  });

  it('sees the server at work: cells ticking, the guest online, its handshake and traffic counted', async () => {
    const value = async (q: string) => Number((await prom.query(q)).data?.result[0]?.value?.[1] ?? NaN);
    expect(await value('sum(tessera_cell_up)')).toBeGreaterThanOrEqual(2);
    // Ticking; not at full rate necessarily, on a shared 2-core box.
    expect(await value('sum(rate(tessera_ticks_total[15s]))')).toBeGreaterThan(0);
    expect(await value('sum(tessera_players_online)')).toBe(1);
    expect(await value('tessera_gate_connections')).toBe(1);
    expect(await value('tessera_gate_handshakes_total{result="ok"}')).toBe(1);
    expect(await value('sum(tessera_gate_messages_total{direction="out",type="snapshot"})')).toBeGreaterThan(20);
    expect(await value('sum(tessera_gate_bytes_total{direction="in"})')).toBeGreaterThan(0);
    expect(await value('sum(tessera_entities{kind="npc"})')).toBeGreaterThan(0);
  });

  it('exports every metric name the dashboard and the rules use', async () => {
    const text = await (await fetch(`http://127.0.0.1:${target.port}/metrics`)).text();
    const exported = new Set(parseExposition(text).samples.map((s) => s.name));
    const missing = [...referencedMetricNames()].filter((n) => !exported.has(n));
    expect(missing, `named in ${fileURLToPath(DASHBOARD_PATH)} or the rules but not exported`).toEqual([]);
  });
});
