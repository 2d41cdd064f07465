import type { WorldEventHost, WorldEvents } from '../events/world-events.ts';
import type { Connection } from './connection.ts';
import { gateEventHost } from './gate-events.ts';
import { gateQuestHost } from './gate-quests.ts';
import { noItems, type GateItems, type GateItemsFactory } from './items-port.ts';
import { OwedRewards } from './owed-rewards.ts';
import type { GateQuests, GateQuestsFactory } from './quests-port.ts';
import type { ZoneLink } from './zone-link.ts';

/** The game's parts the gate serves, as start-tessera.ts builds them; any left out is absent. */
export interface GamePartFactories {
  /** Builds the quest logs on the gate's host (main/quests/, joined in start-tessera.ts); no quests without. */
  quests?: GateQuestsFactory;
  /** Builds the world events on the gate's host (announcements, bosses, rewards); none without. */
  events?: (host: WorldEventHost) => WorldEvents;
  /** Items (main/items/, built by start-tessera.ts); none leaves item requests unanswered. */
  items?: GateItemsFactory;
}

/** What the parts are built on: the gate's connections, zone links and metered send. */
export interface GamePartsHost {
  connections: Map<number, Connection>;
  links: readonly ZoneLink[];
  send(c: Connection, bytes: Uint8Array, type: string): void;
  /** Test only (TESSERA_HOLD_REWARDS): stored rewards are never sent (owed-rewards.ts). */
  holdRewards?: boolean;
}

/**
 * Quests, world events and items as the gate holds them, joined to each
 * other: quests pay through items, events credit through quests, and
 * collect objectives count the bag. World events tick once a second.
 */
export class GameParts {
  /** Bags, equipment, gold and ground items' claims (main/items/). */
  readonly items: GateItems;
  readonly quests: GateQuests | null;
  /** Scheduled world events (read by metrics and the status route). */
  readonly events: WorldEvents | null;
  /** Stored rewards sent to players' cells and not yet reported paid. */
  readonly rewards: OwedRewards;
  private readonly eventTimer: NodeJS.Timeout | undefined;

  constructor(host: GamePartsHost, f: GamePartFactories) {
    const { connections, links, send } = host;
    this.rewards = new OwedRewards(links, host.holdRewards);
    const questHost = gateQuestHost(links, send, () => this.items, this.rewards);
    this.quests = f.quests?.(questHost) ?? null;
    this.events = f.events?.(gateEventHost(links, () => connections.values(), send, questHost)) ?? null;
    this.eventTimer = this.events ? setInterval(() => this.events!.tick(Date.now()), 1000).unref() : undefined;
    this.items = f.items ? f.items({ connections, links, send: (c, b) => send(c, b, 'inventory') }) : { ...noItems };
    this.items.onBag = (conn, counts) => {
      const c = connections.get(conn);
      if (c) this.quests?.bag(c, counts);
    };
  }

  /** The player entered the world (its WELCOME went out). */
  entered(c: Connection): void {
    this.quests?.entered(c);
    this.items.joined(c);
  }

  /** The player left the world, saved or released: what is unwritten is written, and its sessions end. */
  left(c: Connection): void {
    this.quests?.left(c);
    this.items.left(c.id);
  }

  /** A cell reported a quest fact; kills also credit world events. */
  fact(c: Connection, zoneName: string, kind: number, value: number, isKill: boolean): void {
    this.quests?.fact(c, zoneName, kind, value);
    if (isKill) this.events?.killCredit(c, zoneName, value, Date.now());
  }

  stopTimers(): void {
    clearInterval(this.eventTimer);
  }

  /** Waits for the quest log's last writes, up to `ms`. */
  async settled(ms: number): Promise<void> {
    await this.quests?.settled(ms);
  }
}
