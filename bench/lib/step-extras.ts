/**
 * What a load-bench step records beyond src/bots/bench-step.ts's BenchStep:
 * the coordinator's event-loop delay over exactly the step's window, the
 * item operations the server committed to its database in it, the game the
 * bots played in it (kills, loot, equips, quests), and how busy the machine
 * was with other work (machine-load.ts).
 */
import type { BenchStep } from '../../src/bots/bench-step.ts';
import type { FleetCounters } from '../../src/bots/fleet.ts';
import { bucketsDelta, bucketsQuantile, bucketsTotal, type Scrape } from '../../src/bots/prom-parse.ts';
import type { StepLoad, Verdict } from './machine-load.ts';
import type { HotSpots } from './hot-spots.ts';
import type { WindowCpu } from './thread-cpu.ts';

/**
 * prom-client's default event-loop monitor on the coordinator
 * (`nodejs_eventloop_lag_*`): its histogram is reset at every scrape, so the
 * values read at the end of a window cover the window since the scrape at
 * its start (the bench scrapes nothing in between; a Prometheus scraping
 * the same server would cut the window short). It samples with a 10 ms
 * timer (prom-client's `eventLoopMonitoringPrecision`) and records the
 * whole interval between two runs of it, so the delay is the value less
 * those 10 ms, as tessera_event_loop_delay_seconds subtracts them.
 */
export const LOOP_LAG = { p99: 'nodejs_eventloop_lag_p99_seconds', max: 'nodejs_eventloop_lag_max_seconds', mean: 'nodejs_eventloop_lag_mean_seconds' } as const;
export const LOOP_LAG_RESOLUTION_S = 0.01;

export const ITEM_OPS = 'tessera_item_operations_total';
export const ITEM_TX = 'tessera_item_transaction_seconds';

/** The coordinator's event-loop delay over the window, ms. */
export interface WindowLoopDelay {
  p99Ms: number | null;
  maxMs: number | null;
  meanMs: number | null;
}

/** Item operations the server answered in the window, from its /metrics. */
export interface WindowItemOps {
  /** Committed database transactions (result ok), all operations. */
  committed: number;
  /** By operation (loot, gold, equip, use, ...), committed only. */
  byOp: Record<string, number>;
  /** Refused (a reason code, before or in a transaction). */
  refused: number;
  /** Transaction time p99 over the window (all operations), ms. */
  transactionP99Ms: number | null;
}

/** The game the bots played in the window (the fleet's window counters). */
export interface WindowGame {
  kills: number;
  deaths: number;
  experience: number;
  pickedUp: number;
  equipped: number;
  questsAccepted: number;
  questsCompleted: number;
}

/** A step of the load bench as bench/results/load-*.json records it. */
export type LoadStep = BenchStep & {
  /** False when other work was running on the machine (machine-load.ts); the table says so. */
  representative: boolean;
  representativeBasis: Verdict['basis'];
  notRepresentativeBecause: string;
  machineLoad: StepLoad;
  loopDelay: WindowLoopDelay;
  itemOps: WindowItemOps | null;
  game: WindowGame;
  /** The slowest cells and costliest systems in the window (hot-spots.ts). */
  hotSpots: HotSpots;
  /** CPU by thread, user and kernel (thread-cpu.ts); null without /proc, absent in results from before 2026-12-04. */
  cpu?: WindowCpu | null;
};

const ms = (s: number | null): number | null => (s === null ? null : Math.round(Math.max(0, s - LOOP_LAG_RESOLUTION_S) * 1e5) / 100);

/** The window's event-loop delay from the scrape at its end (see LOOP_LAG). */
export function windowLoopDelay(end: Scrape | null): WindowLoopDelay {
  if (!end) return { p99Ms: null, maxMs: null, meanMs: null };
  return { p99Ms: ms(end.sum(LOOP_LAG.p99)), maxMs: ms(end.sum(LOOP_LAG.max)), meanMs: ms(end.sum(LOOP_LAG.mean)) };
}

/** Item operations between two scrapes; null when the server exports none (an old server). */
export function windowItemOps(a: Scrape | null, b: Scrape | null): WindowItemOps | null {
  if (!b || !b.has(ITEM_OPS)) return null;
  const byOp: Record<string, number> = {};
  let committed = 0;
  let refused = 0;
  for (const s of b.byName.get(ITEM_OPS) ?? []) {
    const before = a?.sum(ITEM_OPS, s.labels) ?? 0;
    const d = s.value - before;
    if (d <= 0) continue;
    if (s.labels.result === 'ok') {
      committed += d;
      byOp[s.labels.op ?? '?'] = (byOp[s.labels.op ?? '?'] ?? 0) + d;
    } else {
      refused += d;
    }
  }
  const later = b.histogram(ITEM_TX);
  const tx = later ? bucketsDelta(later, a?.histogram(ITEM_TX) ?? null) : null;
  const p99 = tx && bucketsTotal(tx) > 0 ? bucketsQuantile(tx, 0.99) : null;
  return { committed, byOp, refused, transactionP99Ms: p99 === null ? null : Math.round(p99 * 1e5) / 100 };
}

/** The window's game from the fleet's window counters. */
export function windowGame(w: Pick<FleetCounters, 'combat' | 'items' | 'quests'>): WindowGame {
  return {
    kills: w.combat.kills ?? 0,
    deaths: w.combat.deaths ?? 0,
    experience: w.combat.experience ?? 0,
    pickedUp: w.items.picked_up ?? 0,
    equipped: w.items.equipped ?? 0,
    questsAccepted: w.quests.accepted ?? 0,
    questsCompleted: w.quests.completed ?? 0,
  };
}
