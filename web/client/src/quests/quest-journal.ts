import { QuestRefusal, QuestState, type QuestRefusalValue, type QuestStateValue } from '../../../../src/protocol/quest-codes.ts';
import type { QuestLogEntry, QuestLogMessage } from '../../../../src/protocol/quest-messages.ts';
import type { ClientQuestJson } from '../content/types.ts';

/** What an NPC's head shows: a quest to take, one to hand in, one under way, or nothing. */
export type QuestMarker = 'available' | 'ready' | 'active' | null;

/** One quest as the player's log shows it. */
export interface JournalQuest {
  number: number;
  quest: ClientQuestJson;
  state: QuestStateValue;
  counts: number[];
  completions: number;
}

/**
 * The player's quest log as the server last told it (QUEST_LOG: whole after
 * WELCOME, then changes), joined with the content's quests, and the rules
 * the client needs to show it: which quests an NPC offers or takes, and the
 * marker over its head. The server decides; this only shows.
 */
export class QuestJournal {
  private readonly quests: readonly ClientQuestJson[];
  private readonly log = new Map<number, QuestLogEntry>();
  /** Bumped on every change, so views redraw only when it moves. */
  version = 0;

  constructor(quests: readonly ClientQuestJson[]) {
    this.quests = quests;
  }

  apply(m: QuestLogMessage): void {
    if (m.full) this.log.clear();
    for (const e of m.entries) {
      if (e.state === QuestState.NONE) this.log.delete(e.quest);
      else this.log.set(e.quest, e);
    }
    this.version++;
  }

  stateOf(n: number): QuestStateValue {
    return this.log.get(n)?.state ?? QuestState.NONE;
  }

  /** Active and ready quests, in content order. */
  active(): JournalQuest[] {
    const out: JournalQuest[] = [];
    for (const [n, e] of [...this.log].sort((a, b) => a[0] - b[0])) {
      const quest = this.quests[n];
      if (!quest || (e.state !== QuestState.ACTIVE && e.state !== QuestState.READY)) continue;
      out.push({ number: n, quest, state: e.state, counts: e.counts, completions: e.completions });
    }
    return out;
  }

  /** Whether a character of `level` may take quest `n` now, as far as the client knows (a repeatable quest's cooldown is the server's). */
  canTake(n: number, level: number): boolean {
    const q = this.quests[n];
    if (!q || level < q.minLevel) return false;
    const s = this.stateOf(n);
    if (s === QuestState.ACTIVE || s === QuestState.READY || (s === QuestState.DONE && !q.repeatable)) return false;
    return q.prerequisites.every((p) => (this.log.get(p)?.completions ?? 0) > 0);
  }

  /** Quests NPC template `npc` offers to a character of `level`, and those it takes that are ready or under way. */
  forNpc(npc: number, level: number): { offers: number[]; takes: number[] } {
    const offers: number[] = [];
    const takes: number[] = [];
    this.quests.forEach((q, n) => {
      if (q.giver === npc && this.canTake(n, level)) offers.push(n);
      const s = this.stateOf(n);
      if (q.turnIn === npc && (s === QuestState.READY || s === QuestState.ACTIVE)) takes.push(n);
    });
    return { offers, takes };
  }

  markerFor(npc: number, level: number): QuestMarker {
    const { offers, takes } = this.forNpc(npc, level);
    if (takes.some((n) => this.stateOf(n) === QuestState.READY)) return 'ready';
    if (offers.length > 0) return 'available';
    return takes.length > 0 ? 'active' : null;
  }
}

/** A QUEST_RESULT refusal in words (null for OK). */
export function questRefusalText(reason: QuestRefusalValue): string | null {
  return QUEST_REFUSALS[reason];
}

const QUEST_REFUSALS: Record<QuestRefusalValue, string | null> = {
  [QuestRefusal.OK]: null,
  [QuestRefusal.UNKNOWN_QUEST]: 'That quest does not exist on this server.',
  [QuestRefusal.LEVEL_TOO_LOW]: 'You are not experienced enough for that quest yet.',
  [QuestRefusal.PREREQUISITES]: 'You must finish an earlier quest first.',
  [QuestRefusal.ALREADY_ACTIVE]: 'That quest is already in your log.',
  [QuestRefusal.ALREADY_DONE]: 'You have already done that quest.',
  [QuestRefusal.COOLDOWN]: 'That quest cannot be taken again yet.',
  [QuestRefusal.LOG_FULL]: 'Your quest log is full.',
  [QuestRefusal.NOT_ACTIVE]: 'That quest is not in your log.',
  [QuestRefusal.NOT_COMPLETE]: 'That quest is not complete yet.',
  [QuestRefusal.TOO_FAR]: 'You are too far away.',
  [QuestRefusal.WRONG_NPC]: 'They have nothing to say about that.',
  [QuestRefusal.TRY_LATER]: 'The world is busy; try again in a moment.',
  [QuestRefusal.NOT_NOW]: 'You cannot do that now.',
  [QuestRefusal.BAG_FULL]: 'Your bags are too full for the reward. Make room and try again.',
};
