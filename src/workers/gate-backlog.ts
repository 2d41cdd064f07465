import type { Ring } from '../shared/ring.ts';

/**
 * How far behind the gate may fall on a cell's frames before the cell sheds
 * them: frames older than this only add latency (each client's next frame is
 * a delta that covers the gap), and writing more of them into a congested
 * gate keeps it congested. A gate that merely hiccups for a tick or two is
 * not behind; one that cannot keep up gets fewer frames, not later ones.
 */
export const GATE_BACKLOG_MS = 150;

/** Ticks of GATE_BACKLOG_MS at `tickHz`, at least 2. */
export function backlogTicks(tickHz: number, ms = GATE_BACKLOG_MS): number {
  return Math.max(2, Math.ceil((ms * tickHz) / 1000));
}

/**
 * Whether the gate is behind on a cell's ring: it has not yet read what the
 * cell had written by the end of the tick `ticks` ago. The positions of the
 * last `ticks` ticks are kept in a ring of their own; allocates nothing.
 */
export class GateBacklog {
  readonly ticks: number;
  private readonly positions: Int32Array;
  private readonly marked: Uint32Array;

  constructor(ticks: number) {
    if (!(Number.isInteger(ticks) && ticks >= 1)) throw new RangeError(`a gate backlog spans at least one tick, got ${ticks}`);
    this.ticks = ticks;
    this.positions = new Int32Array(ticks);
    this.marked = new Uint32Array(ticks);
  }

  /** True when the consumer of `ring` has not yet read past the end of tick `tick - ticks`. */
  behind(ring: Ring, tick: number): boolean {
    const at = tick % this.ticks;
    return this.marked[at] === tick - this.ticks && tick > this.ticks && !ring.readPast(this.positions[at]);
  }

  /** Records where tick `tick` ended in `ring` (after its flush). */
  mark(ring: Ring, tick: number): void {
    const at = tick % this.ticks;
    this.positions[at] = ring.writePosition;
    this.marked[at] = tick;
  }
}
