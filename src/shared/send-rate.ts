import { CLIENT_HISTORY } from '../protocol/client-view.ts';

/**
 * The snapshot rate apart from the tick rate (SEND_HZ vs TICK_HZ), and what
 * is sized from it: how far a lagging client's pacing backs off, how many
 * ticks of combat and say events the shared logs keep so a frame can carry
 * every tick since the previous one, and how many baselines a client keeps.
 * Pure numbers, shared by the coordinator (memory sizing) and the cells.
 */

/** Pacing backs a lagging client off by doubling its frame interval, at most this many times (×4). */
export const MAX_PACE_SHIFT = 2;

/** Baselines a client keeps at least (Quake III keeps 32), and at least one second of frames at any send rate. */
export const MIN_BASELINES_PER_CLIENT = 32;
/** Most baselines a server keeps: as many states as a client keeps (protocol/client-view.ts), so a client always holds the base of a delta. */
export const MAX_BASELINES_PER_CLIENT = CLIENT_HISTORY;

/** The send interval in ticks: TICK_HZ / SEND_HZ rounded to whole ticks (at least 1). */
export function sendInterval(tickHz: number, sendHz: number | undefined): number {
  if (sendHz === undefined || sendHz >= tickHz) return 1;
  return Math.max(1, Math.round(tickHz / sendHz));
}

/** The longest a paced client waits between two frames, in ticks. */
export function maxFrameInterval(interval: number): number {
  return interval << MAX_PACE_SHIFT;
}

/**
 * Ticks of events the combat and say logs keep: twice the longest paced
 * interval, so a frame that could not be queued on its send tick (full ring)
 * still finds every event when it goes out one interval later.
 */
export function logWindowTicks(interval: number): number {
  return 2 * maxFrameInterval(interval);
}

/**
 * Baselines per client: one second of frames at the send rate, never fewer
 * than MIN_BASELINES_PER_CLIENT nor more than a client keeps (32: a second
 * up to SEND_HZ 32; above it a lagging client is paced before it has half of
 * them in flight, send-pacing.ts, so its baselines cover a second again).
 */
export function baselinesPerClient(tickHz: number, sendHz: number | undefined): number {
  const perSecond = Math.ceil(tickHz / sendInterval(tickHz, sendHz));
  return Math.min(MAX_BASELINES_PER_CLIENT, Math.max(MIN_BASELINES_PER_CLIENT, perSecond));
}
