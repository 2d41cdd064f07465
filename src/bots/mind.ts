import type { ClientView } from '../protocol/client-view.ts';
import { ActionKind } from '../protocol/combat-codes.ts';
import { encodeActionInto } from '../protocol/encode.ts';
import { encodeItemRequest } from '../protocol/item-messages.ts';
import { encodeQuest } from '../protocol/quest-messages.ts';
import type { ServerMessage } from '../protocol/messages.ts';
import type { Intent } from './behavior.ts';
import { Fighter, type CombatCounter } from './fight.ts';
import type { FightBook } from './fight-book.ts';
import { Looter } from './looter.ts';
import { Prowler } from './prowler.ts';
import type { Behavior, Hunt } from './options.ts';
import { Quester } from './quester.ts';

/** The wire's types of what the quester and looter fill with plain numbers (checked by the server anyway). */
type QuestAsk = Parameters<typeof encodeQuest>[0];
type ItemRequestAsk = Parameters<typeof encodeItemRequest>[0];
import type { Routes } from './routes.ts';
import type { WorldBook } from './world-book.ts';

/** ActionKind → the name its sends are counted by. */
const ACTION_NAMES: Record<number, string> = { [ActionKind.TARGET]: 'targets_sent', [ActionKind.ATTACK]: 'attacks_sent', [ActionKind.SKILL]: 'skills_sent', [ActionKind.RESPAWN]: 'respawns_sent' };

/** What a bot's mind is made of, by behaviour and what the bot knows. */
export interface MindSpec {
  behavior: Behavior;
  /** Where a prowling fighter hunts (default `spread`). */
  hunt?: Hunt;
  /** The bot's index in the run: `mixed` makes every third bot a quester. */
  index: number;
  fightBook: FightBook | null;
  world: WorldBook | null;
  routes: Routes | null;
  /** The character's class number for the looter; null: a guest (keeps no items, so does not loot). */
  classId: number | null;
  /** Counters: fights, quests, items. */
  combat: CombatCounter;
  quests: CombatCounter;
  items: CombatCounter;
  /** Sends a frame on the bot's socket. */
  send: (bytes: Uint8Array) => void;
}

/** True when `mixed` bot `index` is a quester (the others fight and wander by turns). */
export function mixedQuester(index: number): boolean {
  return index % 3 === 2;
}

/**
 * The playing mind of a fighting bot (`fight`, `quest`, `mixed`): a Fighter,
 * with a Quester when it quests and a Looter when it has a character.
 * Each decision the quester steers first, then the looter (owed loot near),
 * and the fighter last: a fight in progress overrides where the bot walks.
 * With neither steering, a fighter that knows the world prowls its prey's
 * spawn areas (prowler.ts); one that does not roams (wanders until it sees prey).
 */
export class Mind {
  readonly fighter: Fighter;
  readonly quester: Quester | null;
  readonly looter: Looter | null;
  /** A fighter that knows the world seeks its prey's spawn areas instead of wandering (not a quester: its quests steer). */
  readonly prowler: Prowler | null;
  private readonly combat: CombatCounter;
  private readonly routes: Routes | null;
  private readonly send: (bytes: Uint8Array) => void;
  private actionSeq = 0;

  constructor(s: MindSpec) {
    const quests = s.world !== null && s.routes !== null && (s.behavior === 'quest' || (s.behavior === 'mixed' && mixedQuester(s.index)));
    this.fighter = new Fighter(s.fightBook, s.behavior === 'mixed' && !quests);
    this.quester = quests ? new Quester(s.world!, s.routes!, this.fighter, s.quests) : null;
    this.looter = s.world !== null && s.classId !== null ? new Looter(s.world.items, s.classId, s.items) : null;
    this.prowler = !quests && s.routes !== null && s.fightBook !== null ? new Prowler(s.routes, s.fightBook.hostile, s.combat, s.hunt ?? 'spread') : null;
    this.combat = s.combat;
    this.send = s.send;
    this.routes = s.routes;
  }

  /** Rewrites the intent and sends what is due (an ACTION, a QUEST, an ITEM). */
  decide(now: number, view: ClientView, pos: { x: number; y: number } | null, it: Intent, rnd: () => number, mapW: number, mapH: number): void {
    const q = this.quester;
    const l = this.looter;
    if (q !== null && q.decide(now, view, pos, it, rnd)) this.send(encodeQuest(q.request as QuestAsk));
    if (l !== null && l.decide(now, view, pos, it)) this.send(encodeItemRequest(l.request as ItemRequestAsk));
    const f = this.fighter;
    const p = this.prowler;
    if (p !== null) {
      // Between fights only: a fight (or death) drags the bot off the route, so it is planned again after.
      if (f.target === 0 && f.hunting && pos !== null && !(q?.steering || l?.steering)) p.decide(now, pos, it, rnd);
      else {
        p.steering = false;
        p.replan();
      }
    }
    f.roam = !(q?.steering || l?.steering || p?.steering);
    if (f.decide(now, view, pos, it, rnd, mapW, mapH)) this.sendAction(f);
  }

  private sendAction(f: Fighter): void {
    const a = f.action;
    a.seq = ++this.actionSeq & 0xffff;
    // Its own (pooled) bytes: ws may hold a payload by reference until it is written.
    const buf = Buffer.allocUnsafe(16);
    const n = encodeActionInto(a as Parameters<typeof encodeActionInto>[0], buf);
    f.sent(a.seq);
    this.send(buf.subarray(0, n));
    this.combat(ACTION_NAMES[a.kind] ?? 'action');
  }

  /** The snapshot's events: counted, and the looter notes its kills. */
  observe(view: ClientView, now: number): void {
    this.fighter.observe(view, this.combat);
    this.looter?.observe(view, now);
  }

  /** Quest and item frames (not snapshots). */
  onMessage(m: ServerMessage, now: number): void {
    if (m.op === 'questLog') this.quester?.onLog(m);
    else if (m.op === 'questResult') this.quester?.onResult(m, now);
    else if (m.op === 'inventory') this.looter?.onInventory(m);
  }

  /** The zone the bot is in (WELCOME, ZONE_CHANGE). */
  onZone(name: string): void {
    this.fighter.sight = this.routes?.sightIn(name) ?? null;
    this.quester?.onZone(name);
    this.prowler?.onZone(name);
  }
}
