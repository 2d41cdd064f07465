/**
 * A bot worker thread: drives its share of the bots. One scheduler timer
 * walks the live bots every few milliseconds and lets each send what is due
 * (inputs at --input-hz, pings at --ping-hz); no per-bot timers. Every
 * `statsEveryMs` it posts its counters and histograms to the main thread.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { mulberry32 } from '../shared/random.ts';
import { Bot, BotState, type BotContext } from './bot.ts';
import { Routes } from './routes.ts';
import type { BotWorkerInit, CollectedWindow, FromWorker, ToWorker } from './messages.ts';
import { WorkerStats } from './worker-stats.ts';

/** Scheduler resolution: sends land within this of their due time (a tenth of the 100 ms input period at 10 Hz). */
const SCHED_MS = 10;
/** How long 'stop' waits for close handshakes before terminating sockets. */
const STOP_GRACE_MS = 3000;

const init = workerData as BotWorkerInit;
const port = parentPort!;
const stats = new WorkerStats();
const ctx: BotContext = {
  init,
  stats,
  rnd: mulberry32(init.seed * 1000 + init.worker),
  gauges: { open: 0, connecting: 0 },
  routes: init.worldBook ? new Routes(init.worldBook.zones) : null,
  // Larger than any frame the server sends (16 KB) and than what one read of a lagging socket usually holds.
  readBuffer: Buffer.allocUnsafe(64 * 1024),
};
const bots: Bot[] = [];
/** Bots not yet started, with their start times (performance.now()), in order. */
const queue: { bot: Bot; at: number }[] = [];
let queueHead = 0;
let windowStart = performance.now();

function post(m: FromWorker): void {
  port.postMessage(m);
}

const sched = setInterval(() => {
  const now = performance.now();
  while (queueHead < queue.length && queue[queueHead].at <= now) {
    const b = queue[queueHead++].bot;
    void b.start();
  }
  if (queueHead === queue.length && queueHead > 0) {
    queue.length = 0;
    queueHead = 0;
  }
  for (let i = 0; i < bots.length; i++) {
    const b = bots[i];
    // The due check inline: most bots have nothing due on a given pass.
    if ((now >= b.nextInputAt || now >= b.nextPingAt) && b.state === BotState.PLAYING) b.act(now);
  }
}, SCHED_MS);

function postStats(): void {
  post({ type: 'stats', stats: stats.drain(init.worker, ctx.gauges.open, ctx.gauges.connecting) });
}

const statsTimer = setInterval(postStats, init.statsEveryMs);

function collect(): CollectedWindow {
  const seconds = (performance.now() - windowStart) / 1000;
  const w: CollectedWindow = { seconds, snapshotsPerSecond: [], bytesInPerSecond: [], bytesOutPerSecond: [], questsAccepted: [], questsCompleted: [] };
  for (const b of bots) {
    if (b.state !== BotState.PLAYING) continue;
    w.snapshotsPerSecond.push(b.winSnapshots / seconds);
    w.bytesInPerSecond.push(b.winBytesIn / seconds);
    w.bytesOutPerSecond.push(b.winBytesOut / seconds);
    const q = b.mind?.quester;
    if (q) {
      w.questsAccepted.push(q.accepted);
      w.questsCompleted.push(q.completed);
    }
  }
  return w;
}

async function stopAll(): Promise<void> {
  queue.length = 0;
  queueHead = 0;
  for (const b of bots) b.stop();
  const deadline = performance.now() + STOP_GRACE_MS;
  while (bots.some((b) => !b.finished) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const b of bots) if (!b.finished) b.stop();
  clearInterval(sched);
  clearInterval(statsTimer);
  post({ type: 'stopped', worker: init.worker, stats: stats.drain(init.worker, ctx.gauges.open, ctx.gauges.connecting) });
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'spawn': {
      const t0 = performance.now();
      const step = m.indices.length > 0 ? m.overMs / m.indices.length : 0;
      m.indices.forEach((index, k) => {
        const bot = new Bot(index, ctx);
        bots.push(bot);
        queue.push({ bot, at: t0 + k * step });
      });
      break;
    }
    case 'window':
      // Everything counted so far belongs before the window; messages to the main thread stay in order.
      postStats();
      windowStart = performance.now();
      for (const b of bots) {
        b.winSnapshots = 0;
        b.winBytesIn = 0;
        b.winBytesOut = 0;
      }
      post({ type: 'windowStarted', worker: init.worker });
      break;
    case 'collect':
      postStats();
      post({ type: 'collected', id: m.id, worker: init.worker, window: collect() });
      break;
    case 'stop':
      void stopAll();
      break;
  }
});
