import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/protocol/errors.ts';
import { TestClient } from '../helpers/client.ts';
import { startServerProcess } from '../helpers/process.ts';

describe('the server process', () => {
  it('serves health and readiness, admits a player and shuts down cleanly on SIGTERM', async () => {
    const server = await startServerProcess();
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
      const notFound = await fetch(`${base}/nope`);
      expect(notFound.status).toBe(404);
      expect(((await notFound.json()) as { error: { code: string } }).error.code).toBe('not_found');

      const c = await TestClient.connect(server.url, 'leaving');
      await c.until(() => c.snapshots.length > 3, 5000, 'snapshots');
      server.child.kill('SIGTERM');
      expect(await c.waitClosed(10_000)).toBe(CloseCode.GOING_AWAY);
      expect(await server.exited).toBe(0);
      const log = server.lines.join('\n');
      expect(log).toContain('player left');
      expect(log).toContain('stopped cleanly');
      // Every line is one structured JSON event.
      for (const line of server.lines.filter((l) => l.trim() !== '')) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 120_000);

  it('refuses to start on a bad configuration, naming the variable', () => {
    const r = spawnSync(process.execPath, ['src/main/main.ts'], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: { ...process.env, TICK_HZ: '500', PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toContain('TICK_HZ must be in 1..60');
  });
});
