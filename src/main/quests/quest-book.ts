import { MAX_ACTIVE_QUESTS, QuestRefusal, QuestState, type QuestRefusalValue, type QuestStateValue } from '../../protocol/quest-codes.ts';
import type { ObjectiveDef, QuestDef, QuestDefs } from './quest-defs.ts';

/** One quest in a character's log. */
export interface QuestEntry {
  /** ACTIVE (or READY, derived), or DONE. */
  done: boolean;
  /** Times turned in. */
  completions: number;
  /** When last turned in (ms since the epoch; 0: never). */
  completedAt: number;
  /** Per objective, what is counted so far (empty when done). */
  counts: number[];
}

/** Something a quest may count. */
export type QuestCredit =
  | { type: 'kill'; npc: number }
  | { type: 'talk'; npc: number }
  | { type: 'reach'; zone: string; area: number }
  | { type: 'collect'; item: string; have: number };

/**
 * A character's quest log and the rules over it, apart from storage and the
 * wire: who may take a quest, what counts for it, when it is complete. Every
 * change marks the quest dirty; the service writes dirty quests and tells
 * the player only once they are stored.
 */
export class QuestBook {
  readonly entries = new Map<number, QuestEntry>();
  /** Quests changed since they were last stored. */
  readonly dirty = new Set<number>();
  private readonly defs: QuestDefs;

  constructor(defs: QuestDefs, entries: Iterable<[number, QuestEntry]> = []) {
    this.defs = defs;
    for (const [q, e] of entries) this.entries.set(q, e);
  }

  get activeCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (!e.done) n++;
    return n;
  }

  stateOf(q: QuestDef): QuestStateValue {
    const e = this.entries.get(q.number);
    if (!e) return QuestState.NONE;
    if (e.done) return QuestState.DONE;
    return this.complete(q, e) ? QuestState.READY : QuestState.ACTIVE;
  }

  /** Why `q` cannot be taken now by a character of `level`; OK when it can. */
  canAccept(q: QuestDef, level: number, now: number): QuestRefusalValue {
    const e = this.entries.get(q.number);
    if (e && !e.done) return QuestRefusal.ALREADY_ACTIVE;
    if (e && !q.repeatable) return QuestRefusal.ALREADY_DONE;
    if (e && now - e.completedAt < q.repeatCooldownMs) return QuestRefusal.COOLDOWN;
    if (level < q.minLevel) return QuestRefusal.LEVEL_TOO_LOW;
    for (const p of q.prerequisites) if (!this.entries.get(p)?.completions) return QuestRefusal.PREREQUISITES;
    if (this.activeCount >= MAX_ACTIVE_QUESTS) return QuestRefusal.LOG_FULL;
    return QuestRefusal.OK;
  }

  accept(q: QuestDef, level: number, now: number): QuestRefusalValue {
    const why = this.canAccept(q, level, now);
    if (why !== QuestRefusal.OK) return why;
    const old = this.entries.get(q.number);
    this.entries.set(q.number, { done: false, completions: old?.completions ?? 0, completedAt: old?.completedAt ?? 0, counts: q.objectives.map(() => 0) });
    this.dirty.add(q.number);
    return QuestRefusal.OK;
  }

  abandon(q: QuestDef): QuestRefusalValue {
    const e = this.entries.get(q.number);
    if (!e || e.done) return QuestRefusal.NOT_ACTIVE;
    // A repeatable quest turned in before keeps its history; a first try leaves no trace.
    if (e.completions > 0) {
      e.done = true;
      e.counts = [];
    } else this.entries.delete(q.number);
    this.dirty.add(q.number);
    return QuestRefusal.OK;
  }

  /** Why `q` cannot be turned in now; OK when it can (then it is DONE and its rewards are due). */
  turnIn(q: QuestDef, now: number): QuestRefusalValue {
    const e = this.entries.get(q.number);
    if (!e || e.done) return QuestRefusal.NOT_ACTIVE;
    if (!this.complete(q, e)) return QuestRefusal.NOT_COMPLETE;
    e.done = true;
    e.completions++;
    e.completedAt = now;
    e.counts = [];
    this.dirty.add(q.number);
    return QuestRefusal.OK;
  }

  /** Counts `c` for every active quest that wants it; the quests whose counts moved. */
  credit(c: QuestCredit): number[] {
    const moved: number[] = [];
    for (const [n, e] of this.entries) {
      if (e.done) continue;
      const q = this.defs.get(n);
      if (!q) continue;
      let changed = false;
      q.objectives.forEach((o, i) => {
        const next = counted(o, c, e.counts[i]);
        if (next !== e.counts[i]) {
          e.counts[i] = next;
          changed = true;
        }
      });
      if (changed) {
        moved.push(n);
        this.dirty.add(n);
      }
    }
    return moved;
  }

  private complete(q: QuestDef, e: QuestEntry): boolean {
    return q.objectives.every((o, i) => (e.counts[i] ?? 0) >= o.count);
  }
}

/** An objective's count after credit `c` (unchanged when `c` is not for it), never past what it asks. */
function counted(o: ObjectiveDef, c: QuestCredit, now: number): number {
  switch (o.type) {
    case 'kill':
      return c.type === 'kill' && c.npc === o.npc ? Math.min(o.count, now + 1) : now;
    case 'talk':
      return c.type === 'talk' && c.npc === o.npc ? 1 : now;
    case 'reach':
      return c.type === 'reach' && c.zone === o.zone && c.area === o.area ? 1 : now;
    case 'collect':
      return c.type === 'collect' && c.item === o.item ? Math.min(o.count, c.have) : now;
  }
}
