/**
 * What the server has told one soak bot about its own character, kept as
 * the messages arrive: position and level (its entity in the snapshots),
 * experience (the self record), gold and items (INVENTORY), quest progress
 * (QUEST_LOG). The soak compares it with what the server says after a fault
 * (continuity.ts) and with the database at the end (audit.ts).
 */
import type { InventoryMessage, ItemRecord } from '../../protocol/item-messages.ts';
import type { QuestLogMessage } from '../../protocol/quest-messages.ts';

export interface QuestProgress {
  state: number;
  completions: number;
  counts: number[];
}

/** One character's state as acknowledged to its client, at one moment. */
export interface AckedState {
  /** Date.now() of the newest message that changed it. */
  at: number;
  x: number;
  y: number;
  /** Position and level known (a snapshot showed the bot its own entity). */
  placed: boolean;
  level: number;
  /** Experience from the self record; -1 until one came. */
  xp: number;
  /** Gold; -1 until an INVENTORY said it. */
  gold: number;
  /** Items by id. */
  items: Map<number, ItemRecord>;
  /** Whether a full INVENTORY came (items and gold are then the whole truth). */
  inventoryKnown: boolean;
  quests: Map<number, QuestProgress>;
  questsKnown: boolean;
}

export function emptyState(): AckedState {
  return { at: 0, x: 0, y: 0, placed: false, level: 0, xp: -1, gold: -1, items: new Map(), inventoryKnown: false, quests: new Map(), questsKnown: false };
}

export function copyState(s: AckedState): AckedState {
  return {
    ...s,
    items: new Map([...s.items].map(([id, it]) => [id, { ...it }])),
    quests: new Map([...s.quests].map(([q, p]) => [q, { ...p, counts: [...p.counts] }])),
  };
}

/** Applies an INVENTORY (whole or delta) to `s`. */
export function applyInventory(s: AckedState, m: InventoryMessage, at: number): void {
  if (m.full) {
    s.items.clear();
    s.inventoryKnown = true;
  }
  for (const it of m.items) s.items.set(it.id, { ...it });
  for (const id of m.removed) s.items.delete(id);
  if (m.gold >= 0) s.gold = m.gold;
  s.at = at;
}

/** Applies a QUEST_LOG (whole or delta) to `s`; a quest in state NONE leaves the log. */
export function applyQuestLog(s: AckedState, m: QuestLogMessage, at: number): void {
  if (m.full) {
    s.quests.clear();
    s.questsKnown = true;
  }
  for (const e of m.entries) {
    if (e.state === 0) s.quests.delete(e.quest);
    else s.quests.set(e.quest, { state: e.state, completions: e.completions, counts: [...e.counts] });
  }
  s.at = at;
}
