import type { ItemRequest } from '../../protocol/item-messages.ts';
import type { ItemMessage } from '../../shared/messages/items.ts';
import type { Connection } from './connection.ts';
import type { ZoneLink } from './zone-link.ts';

/**
 * What the gate asks of items (main/items/ provides it: the gate does not
 * import items, which build on persistence). Hooks only: the gate passes
 * on a client's ITEM and a cell's ITEM, and says when a player's entity is
 * new or gone.
 */
export interface GateItems {
  /** A client's ITEM (the connection is playing). */
  request(zone: number, c: Connection, m: ItemRequest): void;
  /** The player entered the world: its inventory and what it wears. */
  joined(c: Connection): void;
  /** The player's entity is new (another zone, a restarted zone): what it wears goes to its cell. */
  entered(zone: number, c: Connection): void;
  /** A cell's ITEM; `m` is reused: copy what is kept. */
  cellItem(zone: number, m: ItemMessage): void;
  /** The player left. */
  left(conn: number): void;
  /** A reward for a playing character: items and gold with `alsoInTx` in one transaction (a quest turned in). */
  grant(c: Connection, items: readonly { template: string; count: number }[], gold: number, reason: string, alsoInTx: (q: TxQueries) => Promise<void>): Promise<GrantResult>;
  /** Told each player's bag counts by template (content item id) after they load and after each change. */
  onBag: ((conn: number, counts: ReadonlyMap<string, number>) => void) | null;
}

/** A statement runner inside a transaction (persistence's Queryable, restated: the gate does not import persistence). */
export interface TxQueries {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/** How a reward went: stored, refused for want of room, or not stored now. */
export type GrantResult = 'ok' | 'bag_full' | 'unavailable';

/** What the gate gives items to build on: its connections, its zone links and its send. */
export interface GateItemsHost {
  connections: Map<number, Connection>;
  links: readonly ZoneLink[];
  send(c: Connection, bytes: Uint8Array): void;
}

/** Makes the gate's items from its host (start-tessera.ts builds it with the item store). */
export type GateItemsFactory = (host: GateItemsHost) => GateItems;

/** No items at all (tests that start a bare gate): requests go unanswered. */
export const noItems: GateItems = { request() {}, joined() {}, entered() {}, cellItem() {}, left() {}, grant: async () => 'unavailable', onBag: null };
