import type { Logger } from '../log.ts';
import type { Checkpoint, CheckpointStore } from './checkpoints.ts';

export interface CheckpointRoundsOptions {
  /** A round of the characters whose state changed, this often (CHECKPOINT_INTERVAL_MS). */
  intervalMs: number;
  /**
   * A round a caller waits for (confirm) starts at once when none runs, but
   * no sooner than this after the previous one started: callers within it
   * share one write (group commit), and the checkpoint file is rewritten at
   * most 1000 / minGapMs times a second.
   */
  minGapMs?: number;
  /** After a failed round that callers wait for, the next one tries again this much later. */
  retryMs?: number;
  log: Pick<Logger, 'warn'>;
}

/** Default minGapMs: one tick at 50 Hz; what a confirmed gain waits at most beyond the write itself. */
export const CONFIRM_GAP_MS = 20;

interface Waiter {
  at: number;
  done: () => void;
}

/**
 * The online characters' newest states and the rounds that write them to the
 * checkpoint store: every interval the ones that changed, and, for a state
 * that must be durable before the player is told it (experience, through
 * confirm), a round as soon as possible, shared by everyone who asks while
 * it waits or runs. A caller's promise resolves once a round holding its
 * state (or a newer one of the character) landed; a failed round keeps its
 * states for the next one, so the promise resolves later, never falsely.
 */
export class CheckpointRounds {
  readonly #store: CheckpointStore;
  readonly #log: Pick<Logger, 'warn'>;
  readonly #minGapMs: number;
  readonly #retryMs: number;
  readonly #online = new Map<number, Checkpoint>();
  readonly #changed = new Set<number>();
  readonly #waiting = new Map<number, Waiter[]>();
  readonly #timer: NodeJS.Timeout;
  #soon: NodeJS.Timeout | undefined;
  #running = false;
  #lastStart = -Infinity;
  #stopped = false;
  /** Rounds written, and those that failed (tests, logs). */
  rounds = 0;
  failures = 0;

  constructor(store: CheckpointStore, o: CheckpointRoundsOptions) {
    this.#store = store;
    this.#log = o.log;
    this.#minGapMs = o.minGapMs ?? CONFIRM_GAP_MS;
    this.#retryMs = o.retryMs ?? 250;
    this.#timer = setInterval(() => void this.round(), o.intervalMs);
    this.#timer.unref();
  }

  /** The newest state of an online character. */
  get(id: number): Checkpoint | undefined {
    return this.#online.get(id);
  }

  has(id: number): boolean {
    return this.#online.has(id);
  }

  /** An online character's newest state, for the next round. */
  set(id: number, c: Checkpoint): void {
    this.#online.set(id, c);
    this.#changed.add(id);
  }

  /** As set, and resolves once a round holding `c` (or newer) landed; that round starts soon. */
  confirm(id: number, c: Checkpoint): Promise<void> {
    this.set(id, c);
    return new Promise<void>((done) => {
      const list = this.#waiting.get(id);
      if (list) list.push({ at: c.at, done });
      else this.#waiting.set(id, [{ at: c.at, done }]);
      this.#kick(0);
    });
  }

  /**
   * The character went offline: no longer in the rounds. Its callers wait
   * for `landed` (its last state, written by whoever took it over), or are
   * forgotten with `forget`.
   */
  remove(id: number): Checkpoint | undefined {
    const c = this.#online.get(id);
    this.#online.delete(id);
    this.#changed.delete(id);
    return c;
  }

  /** A state of `id` as new as `at` is stored (by a round, or by the caller): its callers up to `at` are answered. */
  landed(id: number, at: number): void {
    const list = this.#waiting.get(id);
    if (!list) return;
    let kept = 0;
    for (const w of list) {
      if (w.at <= at) w.done();
      else list[kept++] = w;
    }
    list.length = kept;
    if (kept === 0) this.#waiting.delete(id);
  }

  /** Drops the callers of `id` unanswered (the character is gone). */
  forget(id: number): void {
    this.#waiting.delete(id);
  }

  /** Everyone online, taken out of the rounds (close: they are saved instead). */
  takeAll(): Map<number, Checkpoint> {
    const all = new Map(this.#online);
    this.#online.clear();
    this.#changed.clear();
    return all;
  }

  /** Callers waiting (tests, stats). */
  get waiting(): number {
    let n = 0;
    for (const l of this.#waiting.values()) n += l.length;
    return n;
  }

  /** Writes the characters changed since the last round; one round at a time. */
  async round(): Promise<void> {
    if (this.#running || this.#changed.size === 0 || this.#stopped) return;
    this.#running = true;
    this.#lastStart = performance.now();
    const batch = new Map<number, Checkpoint>();
    for (const id of this.#changed) {
      const c = this.#online.get(id);
      if (c) batch.set(id, c);
    }
    this.#changed.clear();
    let failed = false;
    try {
      await this.#store.put(batch);
      this.rounds++;
      for (const [id, c] of batch) this.landed(id, c.at);
    } catch (err) {
      failed = true;
      this.failures++;
      // Kept for the next round rather than lose the newest state (unless a newer one came meanwhile).
      for (const id of batch.keys()) if (this.#online.has(id)) this.#changed.add(id);
      this.#log.warn({ err: String(err), characters: batch.size }, 'checkpoint failed');
    } finally {
      this.#running = false;
    }
    // Callers waiting for states not written yet (asked while this round ran, or it failed): another round.
    if (this.#waiting.size > 0 && this.#changed.size > 0) this.#kick(failed ? this.#retryMs : 0);
  }

  /** Starts a round `delay` ms from now at the earliest, and no sooner than minGapMs after the last one started. */
  #kick(delay: number): void {
    if (this.#soon || this.#running || this.#stopped) return;
    const wait = Math.max(delay, this.#lastStart + this.#minGapMs - performance.now(), 0);
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      void this.round();
    }, wait);
  }

  /** No more rounds (close): callers still waiting are left unanswered. */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#soon);
    this.#soon = undefined;
  }
}
