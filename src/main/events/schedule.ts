import type { WorldEvent } from '../../content/schema/quests.ts';

const DAY_MS = 86_400_000;

/**
 * The start (ms since the epoch) of an event's first occurrence at or after
 * `from`: an interval event every `everySeconds` from `offsetSeconds` after
 * the server started, a daily one at each of its UTC times of day.
 */
export function nextStart(schedule: WorldEvent['schedule'], startedAt: number, from: number): number {
  if (schedule.type === 'interval') {
    const first = startedAt + schedule.offsetSeconds * 1000;
    if (from <= first) return first;
    const every = schedule.everySeconds * 1000;
    return first + Math.ceil((from - first) / every) * every;
  }
  const day = Math.floor(from / DAY_MS) * DAY_MS;
  let best = Infinity;
  for (const t of schedule.times) {
    const [h, m] = t.split(':').map(Number);
    let at = day + (h * 60 + m) * 60_000;
    if (at < from) at += DAY_MS;
    best = Math.min(best, at);
  }
  return best;
}
