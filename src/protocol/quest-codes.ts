/**
 * Quest codes on the wire (QUEST and QUEST_RESULT, QUEST_LOG): what a
 * client asks, why the server refuses, and the state of a quest in the
 * player's log. docs/protocol.md documents each one (a test checks).
 */

/** What a QUEST message asks. */
export const QuestAction = {
  /** Take quest `quest` from its giver, NPC entity `npc`, in range. */
  ACCEPT: 1,
  /** Drop an active quest and its progress (anywhere). */
  ABANDON: 2,
  /** Hand in a complete quest to its turn-in NPC, entity `npc`, in range: the rewards are paid. */
  TURN_IN: 3,
  /** Speak with NPC entity `npc`, in range: counts for `talk` objectives (quest 0xffff: any quest). */
  TALK: 4,
} as const;
export type QuestActionValue = (typeof QuestAction)[keyof typeof QuestAction];

/** QUEST_RESULT's reason: 0 done, otherwise why not. */
export const QuestRefusal = {
  OK: 0,
  /** No quest of that number in the server's content. */
  UNKNOWN_QUEST: 1,
  /** The character's level is below the quest's minimum. */
  LEVEL_TOO_LOW: 2,
  /** A quest that must be completed first is not. */
  PREREQUISITES: 3,
  /** The quest is already in the log. */
  ALREADY_ACTIVE: 4,
  /** The quest was completed and cannot be repeated. */
  ALREADY_DONE: 5,
  /** A repeatable quest taken again before its cooldown ran out. */
  COOLDOWN: 6,
  /** The log holds its most active quests (MAX_ACTIVE_QUESTS). */
  LOG_FULL: 7,
  /** Abandon or turn in of a quest that is not in the log. */
  NOT_ACTIVE: 8,
  /** Turn in before every objective is met. */
  NOT_COMPLETE: 9,
  /** The NPC is not within talking range (or is gone). */
  TOO_FAR: 10,
  /** That NPC does not give (or take) that quest. */
  WRONG_NPC: 11,
  /** The database is unavailable: nothing changed; try again shortly. */
  TRY_LATER: 12,
  /** The player is dead, or not in the world (changing zone). */
  NOT_NOW: 13,
  /** The rewards' items do not fit in the bag: nothing was handed in. */
  BAG_FULL: 14,
} as const;
export type QuestRefusalValue = (typeof QuestRefusal)[keyof typeof QuestRefusal];

/** A quest's state in the log. NONE in a QUEST_LOG update: gone from the log (abandoned). */
export const QuestState = {
  NONE: 0,
  /** Taken, objectives open. */
  ACTIVE: 1,
  /** Taken, every objective met: ready to turn in. */
  READY: 2,
  /** Turned in (a repeatable quest may be taken again after its cooldown). */
  DONE: 3,
} as const;
export type QuestStateValue = (typeof QuestState)[keyof typeof QuestState];

/** The quest number TALK uses when it names no quest. */
export const ANY_QUEST = 0xffff;
/** Active quests a log may hold. */
export const MAX_ACTIVE_QUESTS = 25;
/** Quests one QUEST_LOG frame may carry (a full log of a character who did every quest fits in a few). */
export const MAX_LOG_ENTRIES = 512;
/** Tiles from which a player may speak with an NPC (the server allows a tile more for movement between ticks). */
export const TALK_RANGE = 4;
