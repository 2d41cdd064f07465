import { BarrierFields } from './layout.ts';

/** Bytes a barrier needs. */
export const BARRIER_BYTES = BarrierFields.words * 4;

/** Thrown when a barrier is broken (a party died or the zone is stopping). */
export class BarrierBrokenError extends Error {
  constructor() {
    super('barrier broken: a cell of this zone stopped or failed');
    this.name = 'BarrierBrokenError';
  }
}

/**
 * The lockstep barrier between the cells of a zone: a sense-reversing
 * (generation-counting) barrier over one SharedArrayBuffer. The last party to
 * arrive resets the count and bumps the generation; the others sleep on the
 * generation word.
 */
export class Barrier {
  private readonly words: Int32Array;
  readonly parties: number;

  constructor(buffer: SharedArrayBuffer, parties: number) {
    this.words = new Int32Array(buffer, 0, BarrierFields.words);
    this.parties = parties;
  }

  static create(parties: number): Barrier {
    if (!Number.isInteger(parties) || parties < 1) throw new RangeError(`barrier parties must be a positive integer, got ${parties}`);
    const b = new Barrier(new SharedArrayBuffer(BARRIER_BYTES), parties);
    Atomics.store(b.words, BarrierFields.parties, parties);
    return b;
  }

  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  /**
   * Waits until every party has arrived. Returns true for exactly one party
   * per round (the last to arrive), which may do once-per-round work.
   * `sliceMs` bounds each sleep so a broken barrier is noticed. `onLast`
   * runs in the last party to arrive while every other party is still
   * parked: once-per-round work that must see all parties' writes and race
   * with none of them.
   */
  arriveAndWait(sliceMs = 100, onLast?: () => void): boolean {
    // Read the generation *before* arriving: once our arrival is counted the
    // last party may bump it, and we must not sleep on the new value.
    const gen = Atomics.load(this.words, BarrierFields.generation);
    const arrived = Atomics.add(this.words, BarrierFields.arrived, 1) + 1;
    if (arrived === this.parties) {
      if (onLast) {
        try {
          onLast();
        } catch (err) {
          this.break();
          throw err;
        }
      }
      // Reset the count before releasing: a released party re-arriving for the
      // next round must count from zero.
      Atomics.store(this.words, BarrierFields.arrived, 0);
      Atomics.add(this.words, BarrierFields.generation, 1);
      Atomics.notify(this.words, BarrierFields.generation);
      return true;
    }
    for (;;) {
      if (Atomics.load(this.words, BarrierFields.broken) !== 0) throw new BarrierBrokenError();
      // Sleeps only while the generation is still `gen`; the bump above is
      // the release that makes the other parties' writes visible here.
      Atomics.wait(this.words, BarrierFields.generation, gen, sliceMs);
      if (Atomics.load(this.words, BarrierFields.generation) !== gen) return false;
    }
  }

  /** Breaks the barrier: every waiter throws BarrierBrokenError. */
  break(): void {
    Atomics.store(this.words, BarrierFields.broken, 1);
    Atomics.notify(this.words, BarrierFields.generation);
  }

  /** Mends a broken barrier for a new set of parties; only while nobody waits on it. */
  reset(): void {
    Atomics.store(this.words, BarrierFields.arrived, 0);
    Atomics.store(this.words, BarrierFields.broken, 0);
  }

  get isBroken(): boolean {
    return Atomics.load(this.words, BarrierFields.broken) !== 0;
  }

  /** Rounds completed so far. */
  get generation(): number {
    return Atomics.load(this.words, BarrierFields.generation);
  }
}
