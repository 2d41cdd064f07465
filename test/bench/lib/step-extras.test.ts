import { describe, expect, it } from 'vitest';
import { Scrape } from '../../../src/bots/prom-parse.ts';
import { windowGame, windowItemOps, windowLoopDelay } from '../../../bench/lib/step-extras.ts';

const scrape = (text: string): Scrape => Scrape.parse(text);

describe('windowLoopDelay', () => {
  it("reads prom-client's lag at the window's end less its 10 ms timer", () => {
    const end = scrape('nodejs_eventloop_lag_p99_seconds 0.0147\nnodejs_eventloop_lag_max_seconds 0.06\nnodejs_eventloop_lag_mean_seconds 0.0101\n');
    expect(windowLoopDelay(end)).toEqual({ p99Ms: 4.7, maxMs: 50, meanMs: 0.1 });
    // A value under the timer's period (a timer that fired early) is no delay, not a negative one.
    expect(windowLoopDelay(scrape('nodejs_eventloop_lag_p99_seconds 0.0099\n')).p99Ms).toBe(0);
    expect(windowLoopDelay(null)).toEqual({ p99Ms: null, maxMs: null, meanMs: null });
    expect(windowLoopDelay(scrape('other 1\n')).p99Ms).toBeNull();
  });
});

describe('windowItemOps', () => {
  const before = scrape(
    [
      'tessera_item_operations_total{op="loot",result="ok"} 3',
      'tessera_item_operations_total{op="equip",result="ok"} 1',
      'tessera_item_operations_total{op="pickup",result="not_yet_yours"} 2',
      'tessera_item_transaction_seconds_bucket{op="loot",le="0.01"} 3',
      'tessera_item_transaction_seconds_bucket{op="loot",le="0.1"} 3',
      'tessera_item_transaction_seconds_bucket{op="loot",le="+Inf"} 3',
    ].join('\n'),
  );
  const after = scrape(
    [
      'tessera_item_operations_total{op="loot",result="ok"} 13',
      'tessera_item_operations_total{op="gold",result="ok"} 4',
      'tessera_item_operations_total{op="equip",result="ok"} 1',
      'tessera_item_operations_total{op="pickup",result="not_yet_yours"} 5',
      'tessera_item_transaction_seconds_bucket{op="loot",le="0.01"} 3',
      'tessera_item_transaction_seconds_bucket{op="loot",le="0.1"} 13',
      'tessera_item_transaction_seconds_bucket{op="loot",le="+Inf"} 13',
    ].join('\n'),
  );

  it('counts the transactions committed and the refusals between the two scrapes, by operation', () => {
    const w = windowItemOps(before, after)!;
    expect(w).toMatchObject({ committed: 14, byOp: { loot: 10, gold: 4 }, refused: 3 });
    // The 10 loot transactions of the window lie in (10 ms, 100 ms]: the p99 is interpolated inside that bucket.
    expect(w.transactionP99Ms).toBeGreaterThan(10);
    expect(w.transactionP99Ms).toBeLessThanOrEqual(100);
  });

  it('is null for a server that exports no item metrics, and counts from zero without a first scrape', () => {
    expect(windowItemOps(before, scrape('x 1\n'))).toBeNull();
    expect(windowItemOps(null, after)).toMatchObject({ committed: 18, refused: 5 });
  });
});

describe('windowGame', () => {
  it('takes the counts of the window', () => {
    expect(windowGame({ combat: { kills: 4, deaths: 1, experience: 90, attacks_sent: 9 }, items: { picked_up: 3, equipped: 1 }, quests: { accepted: 2, completed: 1 } })).toEqual({
      kills: 4,
      deaths: 1,
      experience: 90,
      pickedUp: 3,
      equipped: 1,
      questsAccepted: 2,
      questsCompleted: 1,
    });
    expect(windowGame({ combat: {}, items: {}, quests: {} }).kills).toBe(0);
  });
});
