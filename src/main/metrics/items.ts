import { Counter, Histogram, type Registry } from 'prom-client';
import { ITEM_OP_NAMES, ITEM_REASON_NAMES } from '../../protocol/item-codes.ts';

/** Operations the item service counts beyond a client's ITEM ops: loot into a bag, a reward, a ground item's despawn. */
export const ITEM_SERVICE_OPS = [...ITEM_OP_NAMES.slice(1), 'loot', 'gold', 'grant', 'despawn'] as const;

/** What the item service (src/main/items/) reports. */
export interface ItemMetrics {
  /**
   * One item operation answered: `op` (ITEM_SERVICE_OPS), `result` 'ok' or
   * an ItemReason label; `seconds` its database transaction, or -1 when it
   * was refused before one (a cooldown, a guest).
   */
  operation(op: string, result: string, seconds: number): void;
  /** Lost ground rows destroyed by the sweep. */
  lost(n: number): void;
}

export const noItemMetrics: ItemMetrics = { operation() {}, lost() {} };

/**
 * Registers tessera_item_operations_total{op,result},
 * tessera_item_transaction_seconds{op} and tessera_items_lost_total; every
 * op starts at zero with ok and unavailable (the alert's series).
 */
export function registerItemMetrics(registry: Registry): ItemMetrics {
  const ops = new Counter({ name: 'tessera_item_operations_total', help: 'Item operations answered, by operation and result (ok, or the ItemReason that refused it).', labelNames: ['op', 'result'], registers: [registry] });
  const seconds = new Histogram({
    name: 'tessera_item_transaction_seconds',
    help: 'Time from an item operation to its committed (or refused) database transaction, by operation.',
    labelNames: ['op'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const lost = new Counter({ name: 'tessera_items_lost_total', help: 'Ground items no cell showed any more (a restart), destroyed through the ledger by the sweep.', registers: [registry] });
  for (const op of ITEM_SERVICE_OPS) {
    for (const result of ['ok', 'unavailable']) ops.inc({ op, result }, 0);
    seconds.zero({ op });
  }
  const known = new Set<string>(ITEM_REASON_NAMES);
  return {
    operation(op, result, s) {
      ops.inc({ op, result: known.has(result) ? result : 'other' });
      if (s >= 0) seconds.observe({ op }, s);
    },
    lost: (n) => lost.inc(n),
  };
}
