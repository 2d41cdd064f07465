/**
 * The spare cell host's lifecycle through its public interface, on real
 * threads: it loads the code and waits; it is handed over once and replaced
 * on replenish(); one that dies on its own is replaced, one that keeps
 * dying is given up; close() ends it and keeps none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SpareHost } from '../../../src/main/zones/cell-hosts.ts';
import { silentLog } from '../../helpers/zone.ts';

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  for (const end = Date.now() + ms; !cond(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('spare cell host', () => {
  let spare: SpareHost | undefined;
  afterEach(async () => {
    await spare?.close(2000);
    spare = undefined;
  });

  it('loads the code and waits; is handed over once; replenish() makes a new one', async () => {
    spare = new SpareHost(silentLog, {});
    expect(spare.state).toBeUndefined();
    spare.replenish();
    spare.replenish();
    const first = spare.worker!;
    await until(() => spare!.state === 'idle', 30_000, 'the spare loaded');
    const host = spare.take()!;
    expect(host.worker).toBe(first);
    expect(host.state).toBe('idle');
    expect(spare.take()).toBeUndefined();
    expect(spare.taken).toBe(1);
    spare.replenish();
    expect(spare.worker).toBeDefined();
    expect(spare.worker!.threadId).not.toBe(first.threadId);
    await until(() => spare!.state === 'idle', 30_000, 'the new spare loaded');
    // The handed-over host is its new owner's: its end is no spare's death.
    let died = 0;
    spare.on('died', () => died++);
    await host.close(2000);
    expect(host.state).toBe('exited');
    expect(died).toBe(0);
  }, 60_000);

  it('replaces a spare that dies on its own, and gives up on spares that keep dying', async () => {
    spare = new SpareHost(silentLog, {}, { maxDeathsPerMinute: 2, respawnDelayMs: 10 });
    let died = 0;
    spare.on('died', () => died++);
    spare.replenish();
    await until(() => spare!.state === 'idle', 30_000, 'the spare loaded');
    const first = spare.worker!;
    await first.terminate();
    await until(() => died === 1 && spare!.state === 'idle', 30_000, 'a new spare after the first died');
    expect(spare.worker!.threadId).not.toBe(first.threadId);
    await spare.worker!.terminate();
    await until(() => died === 2, 10_000, 'the second death');
    // Two deaths in a minute: no spare any more, and replenish() does not make one.
    await new Promise((r) => setTimeout(r, 100));
    expect(spare.worker).toBeUndefined();
    spare.replenish();
    expect(spare.worker).toBeUndefined();
    expect(spare.take()).toBeUndefined();
  }, 60_000);

  it('close() ends the spare, even one still loading, and keeps none after', async () => {
    spare = new SpareHost(silentLog, {});
    spare.replenish();
    const w = spare.worker!;
    const exited = new Promise<number>((r) => w.once('exit', r));
    await spare.close(5000);
    await exited;
    expect(spare.worker).toBeUndefined();
    spare.replenish();
    expect(spare.worker).toBeUndefined();
  }, 30_000);
});
