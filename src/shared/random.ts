/**
 * Small seeded PRNG (mulberry32): the same seed gives the same sequence, for
 * generated maps, NPC wandering and repeatable bot runs. Not for secrets.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * mulberry32 as an object whose state is a Uint32Array word, for hot loops:
 * int(n) returns a small integer (a Smi: never boxed), where the closure's
 * double result is a fresh heap number whenever the call is not inlined.
 */
export class Rng {
  private readonly state = new Uint32Array(1);

  constructor(seed: number) {
    this.state[0] = seed >>> 0;
  }

  /** Advances the state; the mixed 32 bits are returned as a signed int32 (a Smi-friendly value when shifted). */
  private step(): number {
    const a = (this.state[0] = (this.state[0] + 0x6d2b79f5) >>> 0);
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return t ^ (t >>> 14);
  }

  /** An integer in [0, n) for n ≤ 2^30 (30 bits of randomness). */
  int(n: number): number {
    return (this.step() >>> 2) % n;
  }

  /** A number in [0, 1), as mulberry32's closure gives. */
  float(): number {
    return (this.step() >>> 0) / 4294967296;
  }
}
