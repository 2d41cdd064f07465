import { Piscina } from 'piscina';
import { randomBytes } from 'node:crypto';
import type { HashTask } from './hash-worker.ts';
import { keepWasmImportWrappersGeneric } from '../../shared/wasm-wrappers.ts';

export interface HasherOptions {
  /** Worker threads doing scrypt. */
  threads: number;
  /** Threads kept while idle (default 0: started by the first hash, ended after 30 s without one). */
  minThreads?: number;
  /** log2 of scrypt's N (CPU/memory cost); 15 → 32 MiB and tens of ms per hash. */
  log2n: number;
  /** Tasks allowed to wait; beyond it hash()/verify() reject with HasherBusyError. */
  maxQueue: number;
}

/** The hashing pool's queue is full: the server is overloaded, answer 503. */
export class HasherBusyError extends Error {
  constructor() {
    super('password hashing queue is full');
    this.name = 'HasherBusyError';
  }
}

const R = 8;
const P = 1;

/**
 * scrypt password hashing on a piscina pool, so a storm of logins queues on
 * worker threads instead of stalling the gate's event loop.
 */
export class PasswordHasher {
  readonly #pool: Piscina<HashTask, string | boolean>;
  readonly #log2n: number;
  readonly #limit: number;
  readonly #threads: number;
  readonly #waiting: { task: HashTask; resolve: (v: string | boolean) => void; reject: (e: unknown) => void }[] = [];
  #running = 0;
  #dummy: Promise<string> | undefined;

  constructor(opts: HasherOptions) {
    this.#log2n = opts.log2n;
    this.#limit = opts.threads + opts.maxQueue;
    this.#threads = opts.threads;
    keepWasmImportWrappersGeneric();
    this.#pool = new Piscina({
      filename: new URL('./hash-worker.ts', import.meta.url).href,
      minThreads: opts.minThreads ?? 0,
      maxThreads: opts.threads,
      idleTimeout: 30_000,
    });
  }

  /**
   * Our own FIFO in front of piscina: at most `threads` tasks are handed to
   * the pool at once. Measured here (piscina 5.3, one thread, 16 callers):
   * a task submitted the moment another finishes can overtake the pool's
   * waiting tasks, so a few early logins starved until the storm was over.
   * Holding the queue ourselves keeps logins first come, first served, and
   * makes the bound exact.
   */
  #run(task: HashTask): Promise<string | boolean> {
    if (this.#running + this.#waiting.length >= this.#limit) return Promise.reject(new HasherBusyError());
    return new Promise((resolve, reject) => {
      this.#waiting.push({ task, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running < this.#threads && this.#waiting.length > 0) {
      const job = this.#waiting.shift()!;
      this.#running++;
      this.#pool.run(job.task).then(job.resolve, job.reject).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  async hash(password: string): Promise<string> {
    return (await this.#run({ op: 'hash', password, log2n: this.#log2n, r: R, p: P })) as string;
  }

  /**
   * Checks a password against a stored hash. With no stored hash (unknown
   * user) it still spends the same work against a dummy, so response time
   * does not tell which usernames exist, and returns false.
   */
  async verify(password: string, stored: string | undefined): Promise<boolean> {
    if (stored === undefined) {
      this.#dummy ??= this.hash(randomBytes(16).toString('hex'));
      await this.#run({ op: 'verify', password, stored: await this.#dummy });
      return false;
    }
    return (await this.#run({ op: 'verify', password, stored })) as boolean;
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
