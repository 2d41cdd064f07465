import type { SystemAnnouncer } from '../events/chat-announcements.ts';
import type { GateOperator } from '../gate/operator.ts';
import type { ItemService } from '../items/item-service.ts';
import type { ItemStore } from '../items/item-store.ts';
import type { CellSupervisor } from '../zones/supervisor.ts';
import type { LiveViews } from './live-view.ts';

/** The running world the console's actions reach (admin.ts binds it once the world has started). */
export interface AdminWorld {
  op: GateOperator;
  live: LiveViews;
  supervisor: CellSupervisor;
  /** Chat's SYSTEM channel (announcements as chat lines); none when the world runs without chat. */
  chat?: SystemAnnouncer;
  /** The item ledger and the service that tells playing characters; null without a database and content. */
  items: { store: ItemStore; service: ItemService } | null;
}
