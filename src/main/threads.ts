import type { Worker } from 'node:worker_threads';

/**
 * The coordinator's own worker threads other than the cells (the PGlite
 * thread), for the memory metrics: each is listed while it runs.
 */
const running = new Set<Worker>();

export function trackThread(worker: Worker): void {
  running.add(worker);
  worker.once('exit', () => running.delete(worker));
}

export function trackedThreads(): Worker[] {
  return [...running];
}
