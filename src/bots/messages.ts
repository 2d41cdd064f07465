import type { FightBook } from './fight-book.ts';
import type { WorldBook } from './world-book.ts';
import type { Behavior, Hunt } from './options.ts';

/** What a bot worker is started with (workerData). */
export interface BotWorkerInit {
  worker: number;
  playUrl: string;
  httpBase: string;
  guests: boolean;
  behavior: Behavior;
  /** Where fight bots hunt (options.ts). */
  hunt: Hunt;
  inputHz: number;
  pingHz: number;
  /** Chat messages per bot per minute on say and zone (0: none). */
  chatPerMinute: number;
  prefix: string;
  seed: number;
  /** Milliseconds between the worker's stats messages. */
  statsEveryMs: number;
  /** What fighting bots know of the content (fight-book.ts); null: fight any templated NPC, skills as melee strikes. */
  fightBook?: FightBook | null;
  /** The world's maps, quests and items (world-book.ts), for questers and looters; null: none (the server plays a generated map). */
  worldBook?: WorldBook | null;
  /** Local address to connect from (BotOptions.localAddress). */
  localAddress?: string;
}

/** Main thread → bot worker. */
export type ToWorker =
  /** Start `indices.length` bots (global indices), spread evenly over `overMs`. */
  | { type: 'spawn'; indices: number[]; overMs: number }
  /** Start a measurement window: post the stats so far, zero the per-bot window counters, reply 'windowStarted'. */
  | { type: 'window' }
  /** Post the stats so far, then reply with the per-bot figures of the current window. */
  | { type: 'collect'; id: number }
  /** Close every connection (code 1000) and reply 'stopped'. */
  | { type: 'stop' };

/** What bots count: in a worker per interval, in the fleet since the start. */
export interface BotCounters {
  welcomed: number;
  failed: Record<string, number>;
  disconnects: Record<string, number>;
  errors: Record<string, number>;
  snapshots: number;
  /** ZONE_CHANGEs received (portals taken, or refused and sent back). */
  zoneChanges: number;
  /** NOTICEs received, by code name (told, not fatal: a refused portal, stale content). */
  notices: Record<string, number>;
  /** Fighting bots' actions sent, kills, experience, deaths and refused actions by reason (fight.ts). */
  combat: Record<string, number>;
  /** Questers' quests accepted, completed, refused by reason, and their trouble on the way (quester.ts). */
  quests: Record<string, number>;
  /** Looters' pick-ups, equips, potions and refused item requests by reason (looter.ts). */
  items: Record<string, number>;
  framesIn: number;
  bytesIn: number;
  framesOut: number;
  bytesOut: number;
}

/**
 * What one worker did since its previous stats message. Counters are
 * increments; `open` and `connecting` are gauges; histograms are
 * HdrHistogram compressed encodings of this interval's samples (latency.ts).
 */
export interface IntervalStats extends BotCounters {
  worker: number;
  open: number;
  connecting: number;
  /** PING → PONG round trips, µs. */
  ping: string;
  /** INPUT → first SNAPSHOT whose lastInputSeq covers it, µs. */
  input: string;
  /** Time between consecutive snapshots of one bot, µs. */
  gap: string;
  /** Time from starting a bot to its WELCOME (login included), µs. */
  join: string;
  /** The worker's event-loop delay p99 over the interval, ms (bots' own lag). */
  loopDelayP99: number;
  /** The worker thread's event-loop utilisation over the interval, 0..1. */
  loopUtilisation: number;
  /** CPU time of the worker thread over the interval, ms. */
  cpuMs: number;
}

/** Per-bot figures over the current window, for bots playing at collection time. */
export interface CollectedWindow {
  seconds: number;
  snapshotsPerSecond: number[];
  bytesInPerSecond: number[];
  bytesOutPerSecond: number[];
  /** Quests each quester playing at collection time accepted and completed since it started. */
  questsAccepted: number[];
  questsCompleted: number[];
}

/** Bot worker → main thread. */
export type FromWorker =
  | { type: 'stats'; stats: IntervalStats }
  | { type: 'windowStarted'; worker: number }
  | { type: 'collected'; id: number; worker: number; window: CollectedWindow }
  | { type: 'stopped'; worker: number; stats: IntervalStats };
