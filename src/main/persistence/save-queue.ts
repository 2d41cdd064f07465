import type { CharacterState } from './checkpoints.ts';
import { log } from '../log.ts';

/** One character's state to write, stamped with when it was live. */
export interface SaveEntry {
  characterId: number;
  state: CharacterState;
  at: number;
}

export interface SaveQueueOptions {
  /** Writes one batch in one transaction; throws if nothing was written. */
  write: (batch: SaveEntry[]) => Promise<void>;
  /** Called after a batch landed. */
  onSaved?: (batch: SaveEntry[]) => void;
  /** Flush dirty characters this often (ms). */
  intervalMs: number;
  /** Most entries per transaction. */
  batchSize?: number;
  /** First retry delay after a failed batch; doubles up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * Write-behind saves. mark() only records the newest state per character
 * (cheap, called from the gate's message handling); a timer writes dirty
 * characters in batches, one transaction each. A batch that fails goes back
 * into the queue (unless a newer state arrived meanwhile) and the queue backs
 * off exponentially: a failed save is retried until it lands, never dropped.
 */
export class SaveQueue {
  readonly #opts: Required<Omit<SaveQueueOptions, 'onSaved'>> & Pick<SaveQueueOptions, 'onSaved'>;
  readonly #pending = new Map<number, SaveEntry>();
  readonly #inflight = new Map<number, SaveEntry>();
  #writing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #urgentTimer: NodeJS.Immediate | undefined;
  #consecutiveFailures = 0;
  #closed = false;
  failures = 0;
  saved = 0;

  constructor(opts: SaveQueueOptions) {
    this.#opts = { batchSize: 500, baseBackoffMs: 250, maxBackoffMs: 5000, ...opts };
    this.#timer = setInterval(() => this.#kick(), this.#opts.intervalMs);
    this.#timer.unref();
  }

  /** Characters waiting for a save, including the batch being written. */
  get depth(): number {
    let n = this.#pending.size;
    for (const id of this.#inflight.keys()) if (!this.#pending.has(id)) n++;
    return n;
  }

  /** True while a failed batch is waiting for its retry. */
  get backingOff(): boolean {
    return this.#retryTimer !== undefined;
  }

  /** The newest unsaved state of a character, if any (pending or in flight). */
  unsaved(characterId: number): SaveEntry | undefined {
    return this.#pending.get(characterId) ?? this.#inflight.get(characterId);
  }

  /**
   * Records a character's state. urgent (logout, zone change) writes it as
   * soon as the queue is not backing off, instead of at the next interval.
   */
  mark(entry: SaveEntry, urgent = false): void {
    const prev = this.#pending.get(entry.characterId);
    if (!prev || prev.at <= entry.at) this.#pending.set(entry.characterId, entry);
    if (urgent && !this.#urgentTimer && !this.#closed) {
      this.#urgentTimer = setImmediate(() => {
        this.#urgentTimer = undefined;
        this.#kick();
      });
    }
  }

  #kick(): void {
    if (this.#writing || this.#retryTimer || this.#pending.size === 0) return;
    this.#writing = this.#flushOnce().finally(() => {
      this.#writing = undefined;
    });
  }

  async #flushOnce(): Promise<void> {
    const batch: SaveEntry[] = [];
    for (const [id, e] of this.#pending) {
      batch.push(e);
      this.#inflight.set(id, e);
      this.#pending.delete(id);
      if (batch.length >= this.#opts.batchSize) break;
    }
    try {
      await this.#opts.write(batch);
      this.saved += batch.length;
      this.#consecutiveFailures = 0;
      this.#opts.onSaved?.(batch);
    } catch (err) {
      this.failures++;
      this.#consecutiveFailures++;
      for (const e of batch) {
        const newer = this.#pending.get(e.characterId);
        if (!newer || newer.at < e.at) this.#pending.set(e.characterId, e);
      }
      const exp = Math.min(this.#opts.maxBackoffMs, this.#opts.baseBackoffMs * 2 ** (this.#consecutiveFailures - 1));
      const delay = Math.round(exp * (0.75 + Math.random() * 0.25));
      log.warn({ batch: batch.length, depth: this.depth, failures: this.#consecutiveFailures, retryInMs: delay, err: errMessage(err) }, 'save batch failed; will retry');
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        this.#kick();
      }, delay);
      if (!this.#closed) this.#retryTimer.unref();
    } finally {
      for (const e of batch) if (this.#inflight.get(e.characterId) === e) this.#inflight.delete(e.characterId);
    }
    // More than one batch's worth dirty: keep going rather than wait a tick.
    if (!this.#retryTimer && this.#pending.size > 0) setImmediate(() => this.#kick());
  }

  /**
   * Writes everything pending, retrying with backoff, for at most timeoutMs.
   * Resolves true when the queue is empty, false when time ran out.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    // Bounded by the deadline; each pass waits for a write or a retry timer.
    while (this.depth > 0 && Date.now() < deadline) {
      this.#kick();
      if (this.#writing) await this.#writing;
      else await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
    }
    return this.depth === 0;
  }

  /** Stops the timers (call drain first to write what is pending). */
  stop(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    clearTimeout(this.#retryTimer);
    if (this.#urgentTimer) clearImmediate(this.#urgentTimer);
    this.#retryTimer = undefined;
  }
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
