/**
 * The slots a cell owns: a dense list with O(1) add and remove by slot
 * (swap-with-last), sized once to the zone's capacity.
 */
export class OwnedSet {
  readonly list: Int32Array;
  /** Position of each slot in `list`, or -1. */
  private readonly at: Int32Array;
  count = 0;

  constructor(capacity: number) {
    this.list = new Int32Array(capacity);
    this.at = new Int32Array(capacity).fill(-1);
  }

  has(slot: number): boolean {
    return this.at[slot] >= 0;
  }

  add(slot: number): void {
    if (this.at[slot] >= 0) throw new Error(`slot ${slot} already owned`);
    this.at[slot] = this.count;
    this.list[this.count++] = slot;
  }

  remove(slot: number): void {
    const i = this.at[slot];
    if (i < 0) throw new Error(`slot ${slot} not owned`);
    const last = this.list[--this.count];
    this.list[i] = last;
    this.at[last] = i;
    this.at[slot] = -1;
  }
}
