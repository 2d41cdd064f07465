/**
 * Layout of the test-only fault flags (main/faults/fault-hooks.ts sets them,
 * workers/systems/fault-stall.ts reads them): one Int32 word per cell of
 * each zone, indexed by the zone's id (1..MAX_FAULT_ZONES) and the cell.
 * A word set to 1 asks that cell to stall (loop forever in a system).
 */
export const MAX_FAULT_ZONES = 64;
export const MAX_FAULT_CELLS = 64;

/** Bytes of the flag buffer. */
export const FAULT_FLAG_BYTES = (MAX_FAULT_ZONES + 1) * MAX_FAULT_CELLS * Int32Array.BYTES_PER_ELEMENT;

/** The word of cell `cell` of zone `zoneId`; -1 past the buffer's reach. */
export function stallWord(zoneId: number, cell: number): number {
  if (!Number.isInteger(zoneId) || !Number.isInteger(cell) || zoneId < 0 || zoneId > MAX_FAULT_ZONES || cell < 0 || cell >= MAX_FAULT_CELLS) return -1;
  return zoneId * MAX_FAULT_CELLS + cell;
}
