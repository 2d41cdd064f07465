import { Piscina } from 'piscina';
import { randomBytes } from 'node:crypto';
import type { HashTask } from './hash-worker.ts';

export interface HasherOptions {
  /** Worker threads doing scrypt. */
  threads: number;
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
  #outstanding = 0;
  #dummy: Promise<string> | undefined;

  constructor(opts: HasherOptions) {
    this.#log2n = opts.log2n;
    this.#limit = opts.threads + opts.maxQueue;
    this.#pool = new Piscina({
      filename: new URL('./hash-worker.ts', import.meta.url).href,
      minThreads: 1,
      maxThreads: opts.threads,
      idleTimeout: 30_000,
    });
  }

  async #run(task: HashTask): Promise<string | boolean> {
    if (this.#outstanding >= this.#limit) throw new HasherBusyError();
    this.#outstanding++;
    try {
      return await this.#pool.run(task);
    } finally {
      this.#outstanding--;
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
