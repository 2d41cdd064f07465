import { randomUUID } from 'node:crypto';
import { ANY_QUEST, QuestAction, QuestRefusal, type QuestRefusalValue } from '../../protocol/quest-codes.ts';
import { encodeQuestLog, encodeQuestResult, type QuestLogEntry, type QuestMessage } from '../../protocol/quest-messages.ts';
import { QuestFact } from '../../shared/messages/cell-to-gate.ts';
import { QuestBook, type QuestCredit, type QuestEntry } from './quest-book.ts';
import type { QuestDef, QuestDefs } from './quest-defs.ts';
import type { Owing, QuestStore } from './quest-store.ts';
import type { Queryable } from '../persistence/db.ts';
import { levelOf, npcInReach } from './npc-reach.ts';
import type { GateQuests, QuestHost, QuestPlayer } from '../gate/quests-port.ts';

/** Wait before writing a log again after the database refused it. */
const RETRY_MS = 2000;

interface Session {
  readonly player: QuestPlayer;
  book: QuestBook | undefined;
  /** The bag's counts by item template, as items last told them (collect objectives). */
  bag: ReadonlyMap<string, number> | undefined;
  /** Operations waiting for the log to load, in arrival order. */
  readonly queued: (() => void)[];
  /** What to tell or pay once the changes made so far are stored. */
  after: (() => void)[];
  /** Experience of turn-ins to store with the next write of the quests (a character's: guests' is paid from `after`). */
  owing: Owing[];
  writing: boolean;
  retry: NodeJS.Timeout | undefined;
  open: boolean;
  /** Settles when nothing is left to write (a relog of the character waits for it). */
  drained: Promise<void>;
  settle: () => void;
}

/**
 * Quest logs of the players online. The cells report facts (QUEST_FACT: a
 * kill shared, an area stepped into); the client asks (QUEST: accept,
 * abandon, turn in, talk), in range of the NPC, read from the zone's shared
 * store. Every change is stored before the player hears of it or is paid:
 * a change is applied to the character's QuestBook, written with the
 * quest's whole state (retried until the database takes it), and only then
 * is the QUEST_LOG update or QUEST_RESULT sent and experience paid. A
 * character that logs in again while its last changes are still being
 * written waits for them.
 *
 * A character's turn-in stores its experience in the same transaction, as
 * a numbered row owed to it (quest-store.ts); the REWARD carries the number,
 * and the gate sends it until the cell reports it paid (owed-rewards.ts). A
 * row the character's saved experience does not include yet is paid again
 * when it enters the world: after a restart of the process, or when the
 * turn-in was stored after the player left.
 */
export class QuestService implements GateQuests {
  private readonly defs: QuestDefs;
  private readonly store: QuestStore | null;
  private readonly host: QuestHost;
  private readonly now: () => number;
  private readonly sessions = new Map<number, Session>();
  /** Characters whose last session is still writing. */
  private readonly draining = new Map<number, Promise<void>>();

  private readonly retryMs: number;

  /** Told of a turn-in the player has not earned (the anti-cheat's `quest_not_earned`). */
  private readonly notEarned: ((p: QuestPlayer, quest: number) => void) | undefined;

  constructor(defs: QuestDefs, store: QuestStore | null, host: QuestHost, o: { now?: () => number; retryMs?: number; notEarned?: (p: QuestPlayer, quest: number) => void } = {}) {
    this.defs = defs;
    this.store = store;
    this.host = host;
    this.now = o.now ?? Date.now;
    this.retryMs = o.retryMs ?? RETRY_MS;
    this.notEarned = o.notEarned;
  }

  /** The player entered the world: loads its log, then sends it whole. */
  entered(p: QuestPlayer): void {
    if (this.sessions.has(p.id)) return;
    let settle = () => {};
    const drained = new Promise<void>((resolve) => (settle = resolve));
    const s: Session = { player: p, book: undefined, bag: undefined, queued: [], after: [], owing: [], writing: false, retry: undefined, open: true, drained, settle };
    settle();
    this.sessions.set(p.id, s);
    void this.load(s);
  }

  /** The player left the world: what is still unwritten is written, nothing more is told. */
  left(p: QuestPlayer): void {
    const s = this.sessions.get(p.id);
    if (!s) return;
    s.open = false;
    this.sessions.delete(p.id);
    if (p.characterId !== 0 && (s.writing || (s.book?.dirty.size ?? 0) > 0 || s.owing.length > 0)) {
      const done = s.drained;
      this.draining.set(p.characterId, done);
      void done.then(() => {
        if (this.draining.get(p.characterId) === done) this.draining.delete(p.characterId);
      });
    }
  }

  /** Resolves once every log change so far is stored, or after `timeoutMs` (shutdown); true when all were. */
  async settled(timeoutMs: number): Promise<boolean> {
    const all = [...this.draining.values(), ...[...this.sessions.values()].map((s) => s.drained)];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const done = await Promise.race([Promise.all(all).then(() => true), timeout]);
    clearTimeout(timer);
    return done;
  }

  /** A cell's QUEST_FACT about the player, in zone `zone`. */
  fact(p: QuestPlayer, zone: string, kind: number, value: number): void {
    if (kind === QuestFact.KILL) this.credit(p, { type: 'kill', npc: value });
    else if (kind === QuestFact.REACH) this.credit(p, { type: 'reach', zone, area: value });
  }

  /** The player's bag by item template (items tell it when the bag loads and changes): collect objectives count it. */
  bag(p: QuestPlayer, counts: ReadonlyMap<string, number>): void {
    this.withBook(p, (s, book) => {
      s.bag = counts;
      if (this.collect(book, counts)) this.write(s);
    });
  }

  /** Credits every active collect objective with what the bag holds; true when a count moved. */
  private collect(book: QuestBook, counts: ReadonlyMap<string, number>): boolean {
    let moved = false;
    for (const [n, e] of book.entries) {
      if (e.done) continue;
      for (const o of this.defs.get(n)?.objectives ?? []) {
        if (o.type === 'collect' && book.credit({ type: 'collect', item: o.item, have: counts.get(o.item) ?? 0 }).length > 0) moved = true;
      }
    }
    return moved;
  }

  /** A client's QUEST. */
  request(p: QuestPlayer, m: QuestMessage): void {
    this.withBook(p, (s, book) => {
      const answer = (reason: QuestRefusalValue) => this.host.send(p, encodeQuestResult(m.action, m.quest, reason), 'quest_result');
      const q = m.quest === ANY_QUEST && m.action === QuestAction.TALK ? undefined : this.defs.get(m.quest);
      if (!q && !(m.quest === ANY_QUEST && m.action === QuestAction.TALK)) return answer(QuestRefusal.UNKNOWN_QUEST);
      if (m.action === QuestAction.ABANDON) return this.settle(s, book.abandon(q!), answer);
      // A client offers a turn-in only for a quest its log shows taken: one not in the log (or done) is not earned, wherever the NPC is.
      const entry = m.action === QuestAction.TURN_IN ? book.entries.get(q!.number) : undefined;
      if (m.action === QuestAction.TURN_IN && (!entry || entry.done)) this.notEarned?.(p, q!.number);
      const where = this.host.where(p);
      if (!where) return answer(QuestRefusal.NOT_NOW);
      const npc = npcInReach(where, m.npc);
      if (npc < 0) return answer(npc === -2 ? QuestRefusal.NOT_NOW : QuestRefusal.TOO_FAR);
      switch (m.action) {
        case QuestAction.ACCEPT:
          if (npc !== q!.giver) return answer(QuestRefusal.WRONG_NPC);
          const taken = book.accept(q!, levelOf(where), this.now());
          // What the bag already holds counts for its collect objectives.
          if (taken === QuestRefusal.OK && s.bag) this.collect(book, s.bag);
          return this.settle(s, taken, answer);
        case QuestAction.TURN_IN: {
          if (npc !== q!.turnIn) return answer(QuestRefusal.WRONG_NPC);
          const paysItems = this.store !== null && p.characterId !== 0 && (q!.rewards.gold > 0 || q!.rewards.items.length > 0);
          // Items and gold go with the turn-in in one transaction: never beside another write of the same rows.
          if (paysItems && s.writing) return void s.drained.then(() => this.request(p, m));
          // Speaking to the one you turn in to counts for a talk objective of the same quest.
          book.credit({ type: 'talk', npc });
          const before = cloneEntry(book.entries.get(q!.number));
          const why = book.turnIn(q!, this.now());
          // Objectives not met (not in the log was counted above): the log shows them open.
          if (why === QuestRefusal.NOT_COMPLETE) this.notEarned?.(p, q!.number);
          if (why !== QuestRefusal.OK || !paysItems) {
            if (why === QuestRefusal.OK) this.pay(s, q!);
            return this.settle(s, why, answer);
          }
          return this.turnInWithRewards(s, q!, before!, answer);
        }
        case QuestAction.TALK:
          book.credit({ type: 'talk', npc });
          return this.settle(s, QuestRefusal.OK, answer);
      }
    });
  }

  private credit(p: QuestPlayer, c: QuestCredit): void {
    this.withBook(p, (s, book) => {
      if (book.credit(c).length > 0) this.write(s);
    });
  }

  /** Runs `fn` on the player's book: now if it is loaded, in order once it is. */
  private withBook(p: QuestPlayer, fn: (s: Session, book: QuestBook) => void): void {
    const s = this.sessions.get(p.id);
    if (!s) return;
    if (s.book) fn(s, s.book);
    else s.queued.push(() => fn(s, s.book!));
  }

  /** Answers now when nothing changed; after the write when something did. */
  private settle(s: Session, why: QuestRefusalValue, answer: (why: QuestRefusalValue) => void): void {
    if (why !== QuestRefusal.OK || s.book!.dirty.size === 0) return answer(why);
    s.after.push(() => answer(why));
    this.write(s);
  }

  /**
   * A turn-in whose rewards include items or gold: the quest's new state and
   * the rewards are stored in one transaction (items/ runs it), so it is
   * turned in and paid, or neither. A bag without room, or a database that
   * cannot answer, leaves the quest ready to turn in again. Its experience,
   * and that of the turn-ins written with it, is stored in the same
   * transaction (owed rows).
   */
  private turnInWithRewards(s: Session, q: QuestDef, before: QuestEntry, answer: (why: QuestRefusalValue) => void): void {
    const book = s.book!;
    const p = s.player;
    const quests = [...book.dirty];
    book.dirty.clear();
    const after = s.after;
    s.after = [];
    const owing = s.owing;
    s.owing = [];
    const xp = q.rewards.experience;
    const own = xp > 0 ? [this.owing(q)] : [];
    const states = new Map(quests.map((n) => [n, cloneEntry(book.entries.get(n))]));
    s.writing = true;
    s.drained = new Promise<void>((resolve) => (s.settle = resolve));
    const items = q.rewards.items.map((i) => ({ template: i.item, count: i.count }));
    let seqs: number[] = [];
    const completions = states.get(q.number)?.completions ?? 0;
    let already = false;
    const stored = this.host.grant(p, items, q.rewards.gold, `quest:${q.id}`, async (tx) => {
      // This turn-in committed before and its answer was lost: no second grant (the rollback undoes this one's items).
      if (await this.store!.turnedIn(tx as Queryable, p.characterId, q.number, completions)) {
        already = true;
        throw new Error('quest already turned in');
      }
      seqs = await this.store!.writeIn(tx as Queryable, p.characterId, states, [...owing, ...own]);
    });
    stored
      .catch(() => 'unavailable' as const)
      .then((res) => {
        s.writing = false;
        if (already) {
          // Stored by the lost commit, its experience row with it: the other changes are written as any are,
          // then the player is told and paid the rows its experience does not include (the gate drops any sent before).
          p.log.warn({ quest: q.id }, 'quest turn-in found already stored (an earlier answer was lost); not rewarded again');
          for (const n of quests) book.dirty.add(n);
          s.after = [...after, () => answer(QuestRefusal.OK), () => this.payOwed(s), ...s.after];
          s.owing = [...owing, ...s.owing];
        } else if (res === 'ok') {
          p.log.info({ quest: q.id, experience: xp, gold: q.rewards.gold, items: items.length }, 'quest turned in');
          if (s.open) {
            this.host.send(p, encodeQuestLog(false, this.entriesOf(book, quests)), 'quest_log');
            for (const fn of after) fn();
            answer(QuestRefusal.OK);
            this.payStored(s, [...owing, ...own], seqs);
          }
          // Left meanwhile: the rows are owed, and paid when the character next enters.
        } else {
          // Not stored, as far as anyone knows: the quest is ready again; the other changes wait for the next write.
          book.entries.set(q.number, before);
          // After a failure (not a refusal) the commit may have landed all the same: writing the quest's
          // old state over it would undo a turn-in whose rewards are in the bag. Its next turn-in finds out.
          for (const n of quests) if (n !== q.number || res === 'bag_full') book.dirty.add(n);
          s.after = [...after, ...s.after];
          s.owing = [...owing, ...s.owing];
          answer(res === 'bag_full' ? QuestRefusal.BAG_FULL : QuestRefusal.TRY_LATER);
        }
        if (book.dirty.size > 0) this.write(s);
        else s.settle();
      });
  }

  /** A turn-in's experience: stored with it for a character, paid once told for a guest (or without a database). */
  private pay(s: Session, q: QuestDef): void {
    const xp = q.rewards.experience;
    s.player.log.info({ quest: q.id, experience: xp, gold: q.rewards.gold }, 'quest turned in');
    if (xp <= 0) return;
    if (this.store && s.player.characterId !== 0) s.owing.push(this.owing(q));
    else s.after.push(() => this.host.reward(s.player, xp));
  }

  private owing(q: QuestDef): Owing {
    return { experience: q.rewards.experience, reason: `quest:${q.id}`, key: randomUUID() };
  }

  /** Pays stored experience (`owing[i]` stored as row `seqs[i]`) through the gate, which sends it until it is paid. */
  private payStored(s: Session, owing: readonly Owing[], seqs: readonly number[]): void {
    for (let i = 0; i < owing.length; i++) this.host.reward(s.player, owing[i].experience, seqs[i]);
  }

  /** Pays the stored experience the character's saved experience does not include (a later entry pays it if this read fails). */
  private payOwed(s: Session): void {
    const p = s.player;
    this.store!.owed(p.characterId).then(
      (rows) => {
        if (s.open) for (const r of rows) this.host.reward(p, r.amount, r.seq);
      },
      (err: unknown) => p.log.warn({ err: (err as Error).message }, 'owed experience not read; paid at the next entry'),
    );
  }

  private async load(s: Session): Promise<void> {
    const p = s.player;
    let entries: [number, QuestEntry][] = [];
    let owed: { seq: number; amount: number }[] = [];
    if (this.store && p.characterId !== 0) {
      await this.draining.get(p.characterId);
      for (let attempt = 0; ; attempt++) {
        try {
          entries = await this.store.load(p.characterId);
          owed = await this.store.owed(p.characterId);
          break;
        } catch (err) {
          if (!s.open) return;
          if (attempt === 0) p.log.warn({ err: (err as Error).message }, 'quest log load failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, this.retryMs));
          if (!s.open) return;
        }
      }
    }
    if (!s.open) return;
    s.book = new QuestBook(this.defs, entries);
    this.host.send(p, encodeQuestLog(true, this.entriesOf(s.book, [...s.book.entries.keys()])), 'quest_log');
    // Stored experience its saved experience does not include (a crash, or a turn-in stored after it left):
    // paid now, in order, before any new turn-in; the gate drops those the state it entered with includes.
    for (const r of owed) this.host.reward(p, r.amount, r.seq);
    for (const op of s.queued.splice(0)) op();
  }

  /** Writes the dirty quests; on success tells the player and runs what waited for it. */
  private write(s: Session): void {
    if (s.writing) return;
    const book = s.book!;
    if (book.dirty.size === 0) return;
    const quests = [...book.dirty];
    book.dirty.clear();
    const after = s.after;
    s.after = [];
    const owing = s.owing;
    s.owing = [];
    const states = new Map(quests.map((q) => [q, cloneEntry(book.entries.get(q))]));
    s.writing = true;
    s.drained = new Promise<void>((resolve) => (s.settle = resolve));
    const stored = this.store && s.player.characterId !== 0 ? this.store.write(s.player.characterId, states, owing) : Promise.resolve([]);
    stored.then(
      (seqs) => {
        s.writing = false;
        if (s.open) {
          this.host.send(s.player, encodeQuestLog(false, this.entriesOf(book, quests)), 'quest_log');
          for (const fn of after) fn();
          this.payStored(s, owing, seqs);
        }
        // Left meanwhile: the rows are owed, and paid when the character next enters.
        if (book.dirty.size > 0) this.write(s);
        else s.settle();
      },
      (err: unknown) => {
        s.writing = false;
        for (const q of quests) book.dirty.add(q);
        s.after = [...after, ...s.after];
        // The same keys: a write that did land after all finds its rows instead of adding more.
        s.owing = [...owing, ...s.owing];
        s.player.log.warn({ err: (err as Error).message, quests: quests.length }, 'quest log write failed; retrying');
        clearTimeout(s.retry);
        s.retry = setTimeout(() => this.write(s), this.retryMs);
      },
    );
  }

  private entriesOf(book: QuestBook, quests: readonly number[]): QuestLogEntry[] {
    return quests.map((n) => {
      const e = book.entries.get(n);
      return { quest: n, state: book.stateOf(this.defs.get(n)!), completions: e?.completions ?? 0, counts: e && !e.done ? [...e.counts] : [] };
    });
  }
}

function cloneEntry(e: QuestEntry | undefined): QuestEntry | undefined {
  return e && { ...e, counts: [...e.counts] };
}
