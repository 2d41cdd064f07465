import type { ClientView } from '../protocol/client-view.ts';
import { Limits, MoveKind } from '../protocol/opcodes.ts';
import { QuestAction, QuestRefusal, QuestState, TALK_RANGE } from '../protocol/quest-codes.ts';
import type { QuestLogMessage, QuestResultMessage } from '../protocol/quest-messages.ts';
import { EntityFlags, EntityKind } from '../shared/layout.ts';
import type { Intent } from './behavior.ts';
import type { CombatCounter, Fighter } from './fight.ts';
import type { Routes } from './routes.ts';
import { Walker } from './walker.ts';
import { huntsOf, placesOf, type BookObjective, type BookQuest, type Hunt, type Place, type WorldBook } from './world-book.ts';

export const QuestPhase = { PICK: 0, GIVER: 1, WORK: 2, TURN_IN: 3, IDLE: 4 } as const;

/** Speaks to an NPC from this near (the server allows TALK_RANGE, and a tile more). */
const SPEAK = TALK_RANGE - 0.8;
/** An NPC of the template sought, seen this near, is walked to straight rather than by route. */
const SEEK_NEAR = 8;
/** A QUEST without a QUEST_RESULT by then is taken as lost. */
const RESULT_TIMEOUT_MS = 5000;
/** How long a quest refused for good (level, prerequisites, done, no way there) is left alone. */
const BLOCK_MS = 60_000;
/** Refusals that pass (too far, not now, try later): asked again after this. */
const RETRY_MS = 1500;
/** With nothing to do, the quester fights as a fight bot would, and looks again after this. */
const IDLE_MS = 15_000;
/** Moved further than this between two decisions: respawned or put elsewhere; plan again. */
const JUMP = 4;
const REFUSAL_NAMES: Record<number, string> = Object.fromEntries(Object.entries(QuestRefusal).map(([k, v]) => [v, k.toLowerCase()]));

/** A QUEST to send, filled by Quester.decide(). */
export interface QuestRequest {
  action: number;
  quest: number;
  npc: number;
}

interface LogEntry {
  state: number;
  completions: number;
  counts: number[];
}

/**
 * One bot's questing mind (the `quest` behaviour, and `mixed`'s questers):
 * takes the first quest of the world book it qualifies for from its giver,
 * carries out its objectives in order (kills at the quarry's spawn area,
 * with the Fighter seeking only the quarry; reaching an area; speaking with
 * an NPC), takes it back, and picks the next. Walks by A* routes through
 * the zones and their portals (routes.ts). With no quest to take it lets the
 * Fighter roam. The quest log from the server is the truth: a restarted bot
 * resumes what its log holds. Counts accepted, completed and refused quests.
 */
export class Quester {
  readonly request: QuestRequest = { action: 0, quest: 0, npc: 0 };
  /** The last decide() wrote the intent (walking somewhere, or standing to speak). */
  steering = false;
  phase: number = QuestPhase.PICK;
  accepted = 0;
  completed = 0;
  private readonly book: WorldBook;
  private readonly fighter: Fighter;
  private readonly count: CombatCounter;
  private readonly log = new Map<number, LogEntry>();
  private logKnown = false;
  private zone = '';
  private quest: BookQuest | null = null;
  private readonly blockedUntil: Float64Array;
  private awaiting = false;
  private awaitUntil = 0;
  private nextTryAt = 0;
  private readonly walker: Walker;
  private readonly routes: Routes;
  /** The zone the bot is in is in the book (else it cannot find its way: it fights instead). */
  private known = false;
  private lastX = NaN;
  private lastY = NaN;
  private readonly quarry: Uint8Array;
  private readonly guard: Uint8Array;
  /** A point to walk to inside the area being worked (hunting, or reaching). */
  private roamX = NaN;
  private roamY = NaN;
  /** Where each NPC template stands (quest givers), and where each is hunted: looked up, not searched, per decision. */
  private readonly places: Map<number, Place>;
  private readonly hunts: Map<number, Hunt>;

  constructor(book: WorldBook, routes: Routes, fighter: Fighter, count: CombatCounter) {
    this.book = book;
    this.places = placesOf(book);
    this.hunts = huntsOf(book);
    this.walker = new Walker(routes, count);
    this.routes = routes;
    this.fighter = fighter;
    this.count = count;
    let templates = 0;
    for (const z of book.zones) for (const a of z.spawnAreas) templates = Math.max(templates, a.template);
    this.quarry = new Uint8Array(templates + 1);
    this.guard = new Uint8Array(templates + 1);
    this.blockedUntil = new Float64Array(book.quests.reduce((m, q) => Math.max(m, q.number + 1), 0));
  }

  /** The zone the bot is in now (WELCOME, ZONE_CHANGE). */
  onZone(name: string): void {
    this.zone = name;
    this.known = this.routes.zone(name) !== null;
    // A server playing another map than the book's (the load bench's generated zone): no quests here.
    if (!this.known) this.count('zone_not_in_book');
    this.walker.replan = true;
  }

  onLog(m: QuestLogMessage): void {
    if (m.full) this.log.clear();
    for (const e of m.entries) {
      // The log's own word that a turn-in was paid (beside QUEST_RESULT's): counted as log_done.
      if (!m.full && e.state === QuestState.DONE && e.completions > (this.log.get(e.quest)?.completions ?? 0)) this.count('log_done');
      if (e.state === QuestState.NONE) this.log.delete(e.quest);
      else this.log.set(e.quest, { state: e.state, completions: e.completions, counts: e.counts });
    }
    if (m.full) this.logKnown = true;
    const q = this.quest;
    if (q === null) return;
    const s = this.log.get(q.number)?.state;
    if (s === QuestState.READY && this.phase === QuestPhase.WORK) this.setPhase(QuestPhase.TURN_IN);
    else if (s === QuestState.ACTIVE && this.phase === QuestPhase.WORK) this.walker.replan = true;
  }

  onResult(m: QuestResultMessage, now: number): void {
    this.awaiting = false;
    const q = this.quest;
    if (m.reason === QuestRefusal.OK) {
      this.nextTryAt = 0;
      if (m.action === QuestAction.ACCEPT) {
        this.accepted++;
        this.count('accepted');
        if (q !== null && m.quest === q.number) this.setPhase(QuestPhase.WORK);
      } else if (m.action === QuestAction.TURN_IN) {
        this.completed++;
        this.count('completed');
        if (q !== null && m.quest === q.number) this.setPhase(QuestPhase.PICK);
      } else if (m.action === QuestAction.TALK) this.count('talked');
      return;
    }
    this.count(`refused_${REFUSAL_NAMES[m.reason] ?? m.reason}`);
    switch (m.reason) {
      case QuestRefusal.TOO_FAR:
      case QuestRefusal.NOT_NOW:
      case QuestRefusal.TRY_LATER:
        this.nextTryAt = now + RETRY_MS;
        this.walker.replan = true;
        break;
      case QuestRefusal.ALREADY_ACTIVE:
      case QuestRefusal.NOT_COMPLETE:
        this.setPhase(QuestPhase.WORK);
        break;
      default:
        // Not for this bot now (level, prerequisites, done, cooldown, full log or bag): another quest.
        if (q !== null && m.quest === q.number) this.blockedUntil[q.number] = now + BLOCK_MS;
        this.setPhase(QuestPhase.PICK);
    }
  }

  private setPhase(p: number): void {
    this.phase = p;
    this.walker.replan = true;
    this.roamX = NaN;
    if (p === QuestPhase.PICK) this.quest = null;
  }

  /**
   * Sets the fighter's prey and, unless it is fighting, the bot's intent;
   * true when `request` holds a QUEST to send now. `pos` is the bot's own
   * position (null when its entity is not in view).
   */
  decide(now: number, view: ClientView, pos: { x: number; y: number } | null, it: Intent, rnd: () => number): boolean {
    this.steering = false;
    const f = this.fighter;
    const cur = view.current;
    const me = cur.indexOf(view.header.you);
    if (!this.logKnown || this.zone === '' || pos === null || me < 0 || (cur.flags[me] & EntityFlags.DEAD) !== 0) {
      this.walker.replan = true;
      return false;
    }
    if (Math.hypot(pos.x - this.lastX, pos.y - this.lastY) > JUMP || f.target !== 0) this.walker.replan = true;
    this.lastX = pos.x;
    this.lastY = pos.y;
    if (this.awaiting && now >= this.awaitUntil) {
      this.awaiting = false;
      this.count('result_timeouts');
    }
    if (this.phase === QuestPhase.IDLE) {
      if (now < this.nextTryAt) return false;
      this.setPhase(QuestPhase.PICK);
    }
    if (this.phase === QuestPhase.PICK && (!this.known || !this.pick(now, cur.level[me]))) {
      // Nothing to take: fight what comes, as a fight bot, and look again later.
      f.prey = null;
      this.phase = QuestPhase.IDLE;
      this.nextTryAt = now + IDLE_MS;
      this.count('idle');
      return false;
    }
    const q = this.quest!;
    // In a fight the fighter steers (its prey as last set); the walk is planned again after it.
    if (f.target !== 0) return false;
    f.prey = this.guard;
    if (this.phase === QuestPhase.GIVER) return this.speak(now, view, pos, it, q.giver, QuestAction.ACCEPT, q.number);
    if (this.phase === QuestPhase.TURN_IN) return this.speak(now, view, pos, it, q.turnIn, QuestAction.TURN_IN, q.number);
    const o = this.openObjective(q);
    if (o < 0) {
      // Every objective met by our count; the server's READY is on its way.
      this.stand(it, now);
      return false;
    }
    return this.work(now, view, pos, it, rnd, q, q.objectives[o]);
  }

  /** The first quest to resume from the log, or else the first one to take; false when none. */
  private pick(now: number, level: number): boolean {
    for (const q of this.book.quests) {
      const s = this.log.get(q.number)?.state;
      if ((s === QuestState.ACTIVE || s === QuestState.READY) && now >= this.blockedUntil[q.number]) {
        this.quest = q;
        this.setPhase(s === QuestState.READY ? QuestPhase.TURN_IN : QuestPhase.WORK);
        return true;
      }
    }
    for (const q of this.book.quests) {
      if (now < this.blockedUntil[q.number] || level < q.minLevel) continue;
      const e = this.log.get(q.number);
      if (e !== undefined && (e.state !== QuestState.DONE || !q.repeatable)) continue;
      if (!q.prerequisites.every((p) => this.log.get(p)?.state === QuestState.DONE)) continue;
      if (this.placeOf(q.giver) === null || this.placeOf(q.turnIn) === null) continue;
      this.quest = q;
      this.setPhase(QuestPhase.GIVER);
      return true;
    }
    return false;
  }

  /** Index of the first objective the log does not count as met; -1 when all are. */
  private openObjective(q: BookQuest): number {
    const counts = this.log.get(q.number)?.counts ?? [];
    for (let i = 0; i < q.objectives.length; i++) {
      const o = q.objectives[i];
      if ((counts[i] ?? 0) < (o.type === 'kill' ? o.count : 1)) return i;
    }
    return -1;
  }

  private work(now: number, view: ClientView, pos: { x: number; y: number }, it: Intent, rnd: () => number, q: BookQuest, o: BookObjective): boolean {
    if (o.type === 'talk') return this.speak(now, view, pos, it, o.template, QuestAction.TALK, q.number);
    let zone: string;
    let area: { x: number; y: number; width: number; height: number } | null;
    if (o.type === 'reach') {
      zone = o.zone;
      area = o.area;
    } else {
      this.fighter.prey = this.quarry;
      if (this.quarry[o.template] !== 1) {
        this.quarry.fill(0);
        if (o.template < this.quarry.length) this.quarry[o.template] = 1;
      }
      const found = this.areaOf(o.template);
      if (found === null) return this.giveUp(now, q);
      zone = found.zone;
      area = found.area;
    }
    const inside = this.zone === zone && pos.x >= area.x && pos.y >= area.y && pos.x <= area.x + area.width && pos.y <= area.y + area.height;
    if (!inside) {
      if (this.go(now, zone, area.x + area.width / 2, area.y + area.height / 2, pos, it) === null) return this.giveUp(now, q);
      return false;
    }
    // In the area: walk about it (the fighter takes over when the quarry shows).
    if (Number.isNaN(this.roamX) || this.walker.done) {
      this.roamX = area.x + 1 + rnd() * Math.max(0, area.width - 2);
      this.roamY = area.y + 1 + rnd() * Math.max(0, area.height - 2);
      this.walker.replan = true;
    }
    if (this.go(now, zone, this.roamX, this.roamY, pos, it) === null) this.roamX = NaN;
    return false;
  }

  /** Walks to NPC `template` and, once near it, fills `request`; true when it should be sent. */
  private speak(now: number, view: ClientView, pos: { x: number; y: number }, it: Intent, template: number, action: number, quest: number): boolean {
    const place = this.placeOf(template);
    if (place === null) return this.giveUp(now, this.quest!);
    if (this.zone === place.zone) {
      const cur = view.current;
      let best = -1;
      let bestD = SEEK_NEAR;
      for (let i = 0; i < cur.count; i++) {
        if (cur.kind[i] !== EntityKind.NPC || cur.template[i] !== template || (cur.flags[i] & EntityFlags.DEAD) !== 0) continue;
        const d = Math.hypot(cur.x[i] / Limits.positionScale - pos.x, cur.y[i] / Limits.positionScale - pos.y);
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
      if (best >= 0 && bestD <= SPEAK) {
        this.stand(it, now);
        if (this.awaiting || now < this.nextTryAt) return false;
        this.request.action = action;
        this.request.quest = quest;
        this.request.npc = cur.ids[best];
        this.awaiting = true;
        this.awaitUntil = now + RESULT_TIMEOUT_MS;
        this.nextTryAt = now + RETRY_MS;
        return true;
      }
      if (best >= 0) {
        this.steering = true;
        it.move = MoveKind.DESTINATION;
        it.x = cur.x[best] / Limits.positionScale;
        it.y = cur.y[best] / Limits.positionScale;
        it.until = now + 1000;
        this.walker.replan = true;
        return false;
      }
    }
    if (this.go(now, place.zone, place.x, place.y, pos, it) === null) return this.giveUp(now, this.quest!);
    return false;
  }

  private stand(it: Intent, now: number): void {
    this.steering = true;
    it.move = MoveKind.STOP;
    it.dx = it.dy = 0;
    it.until = now + 1000;
  }

  /** No way to do quest `q` (no route, nothing placed): left alone for a while. */
  private giveUp(now: number, q: BookQuest): boolean {
    this.count('no_way');
    this.blockedUntil[q.number] = now + BLOCK_MS;
    this.setPhase(QuestPhase.PICK);
    return false;
  }

  private go(now: number, zone: string, gx: number, gy: number, pos: { x: number; y: number }, it: Intent): boolean | null {
    this.steering = true;
    return this.walker.go(now, this.zone, zone, gx, gy, pos, it);
  }

  /** Where NPC `template` stands (its first placement in the book), or null. */
  private placeOf(template: number): Place | null {
    return this.places.get(template) ?? null;
  }

  /** The first spawn area of NPC `template`, or null. */
  private areaOf(template: number): Hunt | null {
    return this.hunts.get(template) ?? null;
  }
}
