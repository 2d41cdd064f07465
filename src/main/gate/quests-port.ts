import type { Logger } from '../log.ts';
import type { QuestMessage } from '../../protocol/quest-messages.ts';
import type { EntityStore } from '../../shared/entity-store.ts';
import type { GrantResult, TxQueries } from './items-port.ts';

/**
 * What the gate asks of quests and what quests ask of the gate, as
 * interfaces the gate owns: main/quests/ implements GateQuests on a
 * QuestHost, and start-tessera.ts joins them, so the gate never imports
 * quests (quests depend on persistence, which depends on the gate's types).
 */

/** A connection as the quest service sees it. */
export interface QuestPlayer {
  readonly id: number;
  /** 0 for a guest: its log lives as long as the connection. */
  readonly characterId: number;
  readonly log: Logger;
}

/** Where a player's entity is, in its zone's shared store. */
export interface PlayerWhere {
  readonly store: EntityStore;
  readonly handle: number;
}

/** What quests need of the gate. */
export interface QuestHost {
  send(p: QuestPlayer, bytes: Uint8Array, type: 'quest_log' | 'quest_result'): void;
  /** Where the player's entity is now (its zone's store and handle); undefined while it has none (joining, changing zone). */
  where(p: QuestPlayer): PlayerWhere | undefined;
  /**
   * Pays experience to the player's entity (must-deliver to the cell that
   * owns it). `seq`: the stored row it pays (migrations/007), sent again
   * until the cell reports it paid, and never paid twice; one the
   * character's experience already includes is dropped. 0 or left out: no
   * row (paid once, as it comes).
   */
  reward(p: QuestPlayer, experience: number, seq?: number): void;
  /** Items and gold for a character, with `alsoInTx` (the quest's turn-in) in the same transaction. */
  grant(p: QuestPlayer, items: readonly { template: string; count: number }[], gold: number, reason: string, alsoInTx: (q: TxQueries) => Promise<void>): Promise<GrantResult>;
}

/** What the gate tells quests. */
export interface GateQuests {
  entered(p: QuestPlayer): void;
  left(p: QuestPlayer): void;
  fact(p: QuestPlayer, zone: string, kind: number, value: number): void;
  request(p: QuestPlayer, m: QuestMessage): void;
  /** The player's bag, counted by item template (collect objectives). */
  bag(p: QuestPlayer, counts: ReadonlyMap<string, number>): void;
  /** Resolves once every change so far is stored, or after `timeoutMs`. */
  settled(timeoutMs: number): Promise<boolean>;
}

export type GateQuestsFactory = (host: QuestHost) => GateQuests;
