/**
 * Ground items no cell shows any more. A dropped item is a row on the
 * ground until its cell reports that it was picked up or despawned; a cell
 * that restarts, or a process that dies, takes its ground items with it and
 * leaves their rows behind. The sweep destroys those rows through the
 * ledger (reason 'lost'), as their despawn would have: at start every
 * ground row is lost (no cell has shown anything yet), and while running a
 * row idle for twice the cells' despawn time is. The audit stays balanced,
 * and nobody's item is ever taken: a ground item belongs to no bag.
 */
import type { Db } from '../persistence/db.ts';
import type { ItemCatalogue } from './catalogue.ts';
import { ItemOp } from './item-op.ts';
import { lockIdleGround } from './item-sql.ts';
import { noItemMetrics, type ItemMetrics } from '../metrics/items.ts';
import { DESPAWN_S } from '../../shared/messages/items.ts';

/** A ground row idle this long is no cell's any more: every cell despawns its own after DESPAWN_S. */
export const LOST_AFTER_MS = 2 * DESPAWN_S * 1000;

/** Rows swept per transaction. */
const BATCH = 200;

/**
 * Destroys every ground item idle for `idleMs` (0: all of them), in batches
 * of one transaction each; resolves with how many were destroyed.
 */
export async function sweepLostGround(db: Db, catalogue: ItemCatalogue, idleMs: number, maxBatches = 1000): Promise<number> {
  let total = 0;
  for (let b = 0; b < maxBatches; b++) {
    const n = await db.tx(async (q) => {
      const rows = await lockIdleGround(q, idleMs, BATCH);
      for (const r of rows) {
        const op = new ItemOp(q, catalogue, r.ownerId, 0, 'lost', 0);
        await op.shrink(r, r.count);
        await op.finish();
      }
      return rows.length;
    });
    total += n;
    if (n < BATCH) break;
  }
  return total;
}

/** How often the running sweep looks for lost ground rows. */
const SWEEP_EVERY_MS = 60_000;

export interface SweepLog {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
}

/**
 * Sweeps lost ground rows at start (all of them: this process is the one
 * that shows ground items, and it has shown none yet) and then once a
 * minute (those idle for LOST_AFTER_MS: a zone restarted under them). A
 * sweep that fails (the database is down) is logged and tried again at the
 * next round; nothing else waits for it.
 */
export class GroundSweeper {
  private readonly db: Db;
  private readonly catalogue: ItemCatalogue;
  private readonly log: SweepLog;
  private readonly metrics: ItemMetrics;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(db: Db, catalogue: ItemCatalogue, log: SweepLog, metrics: ItemMetrics = noItemMetrics) {
    this.db = db;
    this.catalogue = catalogue;
    this.log = log;
    this.metrics = metrics;
  }

  /** The start sweep (awaited: before any cell shows a ground item), then the minutely one. */
  async start(everyMs = SWEEP_EVERY_MS): Promise<void> {
    await this.sweep(0);
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.sweep(LOST_AFTER_MS));
    }, everyMs).unref();
  }

  private async sweep(idleMs: number): Promise<void> {
    try {
      const n = await sweepLostGround(this.db, this.catalogue, idleMs);
      if (n > 0) this.log.info({ destroyed: n, idleMs }, 'lost ground items swept');
      this.metrics.lost(n);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'ground item sweep failed; tried again later');
    }
  }

  /** Stops the rounds and waits for one under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
