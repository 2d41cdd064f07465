import type { ItemFields } from '../../shared/messages/items.ts';

/**
 * What the item service (item-service.ts) and the entry read (item-entry.ts)
 * need of a connection and of the gate: their own module, so neither of
 * the two imports the other for it.
 */

/** What the service needs of a connection. */
export interface ItemPlayer {
  readonly id: number;
  readonly characterId: number;
  readonly handle: number;
  /** The character's level now (equipment requirements). */
  level(): number;
  /** Its content class id ('' skips the class check). */
  classId(): string;
  /** Whether its entity is dead now (a use is refused before anything is consumed); alive when left out. */
  dead?(): boolean;
}

/** What the service needs of the gate. */
export interface ItemHost {
  player(conn: number): ItemPlayer | undefined;
  send(conn: number, bytes: Uint8Array): void;
  /** Writes an ITEM to the cell of `zone` that owns entity `handle` (must-deliver). */
  toCell(zone: number, handle: number, m: ItemFields): void;
  /** The zone a connection plays in (-1: none). */
  zoneOf(conn: number): number;
  /** The zone's tick now (the ledger's `tick` of a player's request). */
  tickOf(zone: number): number;
}
