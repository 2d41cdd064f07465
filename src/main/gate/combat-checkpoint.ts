import type { Connection } from './connection.ts';

/**
 * The coordinator's copy of each player's combat private state (a cell's
 * CHECKPOINT, combat/checkpoint.ts): the newest one per connection, in a
 * buffer kept with the connection and grown only when a record outgrows it.
 * A zone restart hands it back to the new cells (zone-recovery.ts); a
 * change of zone forgets it, as the new zone's entity is a new one.
 */
const INITIAL_BYTES = 512;

/** Keeps `src[start, end)` as `c`'s newest combat checkpoint. */
export function keepCheckpoint(c: Connection, src: Buffer, start: number, end: number): void {
  const n = end - start;
  if (!c.combatCheckpoint || c.combatCheckpoint.length < n) c.combatCheckpoint = Buffer.allocUnsafe(Math.max(INITIAL_BYTES, n));
  src.copy(c.combatCheckpoint, 0, start, end);
  c.combatCheckpointBytes = n;
}

/** A copy of `c`'s newest combat checkpoint, or undefined when it has none. */
export function checkpointOf(c: Connection): Uint8Array | undefined {
  return c.combatCheckpoint && c.combatCheckpointBytes > 0 ? Uint8Array.from(c.combatCheckpoint.subarray(0, c.combatCheckpointBytes)) : undefined;
}
