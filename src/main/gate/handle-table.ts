/**
 * A map from 32-bit entity handles to nonzero 32-bit values in two typed
 * arrays (open addressing, linear probing): what a viewer was told about the
 * players it saw, kept by the gate for every connection. A JS Map of the
 * same entries costs about 28 bytes each (a viewer at 2,000 players held
 * 130–256 names: 3.6–7.2 KB); this costs 8 bytes per slot at a load of at
 * most three quarters. Entries are never removed one by one, only all at once.
 */
const MIN_SLOTS = 16;
/** Fibonacci hashing: spreads consecutive handles over the slots. */
const GOLDEN = 0x9e3779b1;

export class HandleTable {
  private keys: Uint32Array;
  /** 0: an empty slot. */
  private vals: Uint32Array;
  private shift: number;
  /** Entries held. */
  size = 0;

  constructor() {
    this.keys = new Uint32Array(MIN_SLOTS);
    this.vals = new Uint32Array(MIN_SLOTS);
    this.shift = 32 - Math.log2(MIN_SLOTS);
  }

  /** The value of `handle`, or 0 when it has none. */
  get(handle: number): number {
    const mask = this.keys.length - 1;
    for (let i = Math.imul(handle, GOLDEN) >>> this.shift; ; i = (i + 1) & mask) {
      const v = this.vals[i];
      if (v === 0 || this.keys[i] === handle >>> 0) return v;
    }
  }

  /** Sets `handle`'s value (nonzero). */
  set(handle: number, value: number): void {
    if (value === 0 || !Number.isInteger(value) || value > 0xffffffff) throw new RangeError(`a handle's value is 1..2^32-1, got ${value}`);
    if ((this.size + 1) * 4 > this.keys.length * 3) this.rehash(this.keys.length * 2);
    this.put(handle >>> 0, value);
  }

  /** Forgets every entry (and gives back what a crowd grew). */
  clear(): void {
    this.size = 0;
    if (this.keys.length > MIN_SLOTS) {
      this.keys = new Uint32Array(MIN_SLOTS);
      this.vals = new Uint32Array(MIN_SLOTS);
      this.shift = 32 - Math.log2(MIN_SLOTS);
    } else this.vals.fill(0);
  }

  /** Bytes of the two arrays. */
  get bytes(): number {
    return this.keys.byteLength + this.vals.byteLength;
  }

  private put(handle: number, value: number): void {
    const mask = this.keys.length - 1;
    let i = Math.imul(handle, GOLDEN) >>> this.shift;
    while (this.vals[i] !== 0 && this.keys[i] !== handle) i = (i + 1) & mask;
    if (this.vals[i] === 0) this.size++;
    this.keys[i] = handle;
    this.vals[i] = value;
  }

  private rehash(n: number): void {
    const keys = this.keys;
    const vals = this.vals;
    this.keys = new Uint32Array(n);
    this.vals = new Uint32Array(n);
    this.shift = 32 - Math.log2(n);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (vals[i] !== 0) this.put(keys[i], vals[i]);
  }
}
