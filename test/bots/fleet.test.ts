import { describe, expect, it } from 'vitest';
import { defaultBotOptions } from '../../src/bots/options.ts';
import { runBots } from '../../src/bots/run.ts';
import { freePort } from '../../src/bots/server-process.ts';

describe('bots against nothing', () => {
  it('count every bot as failed, by reason, and still report', async () => {
    const port = await freePort(); // nobody listens here
    const report = await runBots(
      { ...defaultBotOptions(6), url: `http://127.0.0.1:${port}`, count: 6, duration: 5, ramp: 0.5, guests: true, workers: 2, progress: false },
      { noServerProbe: true },
    );
    expect(report.connected).toBe(0);
    expect(report.failed).toBe(6);
    expect(report.failedByReason).toEqual({ ws_ECONNREFUSED: 6 });
    expect(report.openAtEnd).toBe(0);
    expect(report.rttMs.ping.p99).toBeNull();
    expect(report.server).toBeNull();
  }, 30_000);

  it('names the failed login step when the account API is not there', async () => {
    const port = await freePort();
    const report = await runBots(
      { ...defaultBotOptions(2), url: `http://127.0.0.1:${port}`, count: 2, duration: 6, ramp: 0, guests: false, workers: 1, progress: false },
      { noServerProbe: true },
    );
    expect(report.failed).toBe(2);
    // Six attempts with back-off (3 s) before a bot gives up.
    expect(report.failedByReason).toEqual({ register_network: 2 });
    expect(report.joiningAtEnd).toBe(0);
  }, 60_000);
});
