import { ActionKind, CombatEvent, ActionReason } from '../protocol/combat-codes.ts';
import type { ClientView } from '../protocol/client-view.ts';
import { Limits, MoveKind } from '../protocol/opcodes.ts';
import type { SelfState } from '../protocol/self-state.ts';
import type { ViewTable } from '../protocol/view-table.ts';
import { EntityFlags, EntityKind } from '../shared/layout.ts';
import { wander, type Intent } from './behavior.ts';
import type { BookSkill, FightBook } from './fight-book.ts';
import type { SightLine } from './routes.ts';

/** Closer than this to its target a bot stops walking (the auto-attack reaches 1.5 tiles, plus slack). */
export const MELEE_STAND = 1.2;
/** At least this long between two actions (a skill, a new target, a respawn). */
export const ACTION_GAP_MS = 400;
/** An action the server has not echoed in the self record by then is taken as lost. */
const ACTION_TIMEOUT_MS = 1500;
/** A dead bot asks to respawn after this (and again every RESPAWN_RETRY_MS while dead). */
const RESPAWN_DELAY_MS = 1000;
const RESPAWN_RETRY_MS = 3000;
/** A self buff is used only with the target this near (the fight is on). */
const BUFF_NEAR = 3;
/** After a skill is refused for want of sight or range, the bot walks up to melee and uses no ranged skill for this long. */
const CLOSE_IN_MS = 3000;
/** Walking at a target and not 0.3 tiles nearer in this long (a wall between): it gives that one up for a while. */
const NO_HEADWAY_MS = 5000;
const GIVE_UP_MS = 15_000;
/** A bot heals itself below this share of its health. */
const HEAL_BELOW = 0.5;
/** Without a book: any NPC with a template is fought, and a skill is taken as a melee strike. */
const UNKNOWN_SKILL: BookSkill = { target: 'enemy', cost: 0, range: 1.5, castMs: 0, heals: false, sight: false };
/** Mixed bots fight for 20–40 s, then wander for 10–30 s. */
const FIGHT_PHASE_MS = [20_000, 20_000] as const;
const WANDER_PHASE_MS = [10_000, 20_000] as const;
const UNSEEN = EntityFlags.DEAD | EntityFlags.HIDDEN | EntityFlags.EVADING;
const ACTION_REASON_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ActionReason).map(([k, v]) => [v, k.toLowerCase()]));

/** The ACTION a bot sends, filled by Fighter.decide(). */
export interface BotAction {
  seq: number;
  kind: number;
  target: number;
  skill: number;
  x: number;
  y: number;
}

/** Counts what a fighting bot does and sees (WorkerStats.combatCount). */
export type CombatCounter = (name: string, by?: number) => void;

/**
 * One bot's fighting mind (the `fight` behaviour, and `mixed`'s fighting
 * stretches): picks the nearest live hostile NPC in view (one already
 * fighting it first), walks up to it (DESTINATION inputs), auto-attacks it,
 * uses its skills as its resource and cooldowns allow (from its self
 * record), heals itself when hurt, respawns when dead, and wanders when
 * nothing is in view. One action at a time: the next waits until the
 * server echoed the last one (or it timed out). Allocates nothing per call.
 */
export class Fighter {
  readonly action: BotAction = { seq: 0, kind: 0, target: 0, skill: 0, x: 0, y: 0 };
  /** Handle of the NPC being fought (0: none). */
  target = 0;
  /**
   * Templates it seeks (prey[template] 1); null: every hostile one. NPCs
   * fighting the bot are fought whatever this says (an all-zero array: it
   * only defends itself). Set by a quester to its quest's quarry.
   */
  prey: Uint8Array | null = null;
  /** With nothing to fight, it wanders (false: it leaves the intent to whoever steers, a quester or looter). */
  roam = true;
  /** The last decide() wrote the intent (a fight, death, or wandering). */
  engaged = false;
  /**
   * Line of sight in the bot's zone (set on each zone change by whoever
   * knows the world; null: unknown). With it the bot picks prey it can see
   * and casts only what the server would let through, as a player does;
   * without it, it learns from the server's refusals.
   */
  sight: SightLine | null = null;
  private readonly book: FightBook | null;
  private readonly blend: boolean;
  private nextActionAt = 0;
  private awaitSeq = 0;
  private awaitUntil = 0;
  private castUntil = 0;
  private respawnAt = 0;
  private fighting = true;
  private phaseEnd = 0;
  /** A skill was refused: no line of sight or out of range (seen in the events; acted on at the next decision). */
  private sightRefused = false;
  private closeInUntil = 0;
  /** Nearest the bot came to its target while walking at it, and when; a target given up and until when. */
  private nearestD = Infinity;
  private nearestAt = 0;
  private shunned = 0;
  private shunnedUntil = 0;
  /** The time of the decision in progress (for fightable()). */
  private now = 0;

  /** In a fighting stretch (always, but for `mixed`): looking for prey. */
  get hunting(): boolean {
    return this.fighting;
  }

  /** `blend`: the `mixed` behaviour, fighting stretches between wandering ones. */
  constructor(book: FightBook | null, blend = false) {
    this.book = book;
    this.blend = blend;
  }

  /**
   * Rewrites the bot's movement intent and, when an action is due, fills
   * `action` (but its seq) and returns true. `pos` is the bot's own
   * position (null when its entity is not in view).
   */
  decide(now: number, view: ClientView, pos: { x: number; y: number } | null, it: Intent, rnd: () => number, mapW: number, mapH: number): boolean {
    const cur = view.current;
    const me = cur.indexOf(view.header.you);
    this.engaged = this.roam;
    this.now = now;
    if (me < 0 || pos === null) {
      if (this.roam) wander(it, now, rnd, pos, mapW, mapH);
      return false;
    }
    if ((cur.flags[me] & EntityFlags.DEAD) !== 0) {
      this.engaged = true;
      return this.dead(now, it);
    }
    this.respawnAt = 0;
    if (this.blend && now >= this.phaseEnd) {
      this.fighting = !this.fighting;
      const [base, spread] = this.fighting ? FIGHT_PHASE_MS : WANDER_PHASE_MS;
      this.phaseEnd = now + base + rnd() * spread;
    }
    const you = view.header.you;
    let t = this.target === 0 || !this.fighting ? -1 : cur.indexOf(this.target);
    if (t >= 0 && !this.fightable(cur, t, you)) t = -1;
    let fresh = false;
    if (t < 0 && this.fighting) {
      t = this.nearest(cur, me, pos);
      fresh = t >= 0;
    }
    if (t < 0) {
      this.target = 0;
      if (!this.roam) return false;
      if (it.move === MoveKind.DESTINATION) it.until = 0;
      wander(it, now, rnd, pos, mapW, mapH);
      return false;
    }
    this.engaged = true;
    if (this.target !== cur.ids[t]) {
      this.nearestD = Infinity;
      this.nearestAt = now;
    }
    this.target = cur.ids[t];
    const tx = cur.x[t] / Limits.positionScale;
    const ty = cur.y[t] / Limits.positionScale;
    const d = Math.hypot(tx - pos.x, ty - pos.y);
    if (d < this.nearestD - 0.3 || it.move !== MoveKind.DESTINATION) {
      this.nearestD = d;
      this.nearestAt = now;
    } else if (now - this.nearestAt > NO_HEADWAY_MS) {
      // Walking at it gets the bot no nearer: something is in the way. Another target, or wandering.
      this.shunned = this.target;
      this.shunnedUntil = now + GIVE_UP_MS;
      this.target = 0;
      return false;
    }
    if (this.sightRefused) {
      // A wall or the distance between: stop casting from here and walk up to it instead.
      this.sightRefused = false;
      this.closeInUntil = now + CLOSE_IN_MS;
      this.castUntil = 0;
    }
    const casting = now < this.castUntil || cur.castSkill[me] !== 0;
    if (casting || d <= MELEE_STAND) {
      it.move = MoveKind.STOP;
      it.dx = it.dy = 0;
    } else {
      it.move = MoveKind.DESTINATION;
      it.x = tx;
      it.y = ty;
    }
    it.until = now + 1000;
    if (casting || now < this.nextActionAt) return false;
    const self = view.self;
    if (this.awaitSeq !== 0 && now < this.awaitUntil && (self === null || self.actionSeq !== this.awaitSeq)) return false;
    if (fresh || (self !== null && !self.autoAttack && d <= MELEE_STAND + 1)) return this.emit(now, ActionKind.ATTACK, this.target, 1, 0, 0);
    if (self === null) return false;
    const clear = this.sight === null || this.sight(pos.x, pos.y, tx, ty);
    return this.useSkill(now, view.lastTick, self, cur, me, t, d, tx, ty, it, now < this.closeInUntil, clear);
  }

  /** Counts this snapshot's events that concern the bot: its kills, experience, deaths and refused actions. */
  observe(view: ClientView, count: CombatCounter): void {
    const you = view.header.you;
    const ev = view.events;
    for (let i = 0; i < ev.count; i++) {
      const type = ev.type[i];
      if (type === CombatEvent.EXPERIENCE) count('experience', ev.amount[i]);
      else if (type === CombatEvent.DEATH) {
        if (ev.source[i] === you && ev.target[i] !== you) count('kills');
        else if (ev.target[i] === you) count('deaths');
      } else if (type === CombatEvent.REFUSED) {
        count(`refused_${ACTION_REASON_NAMES[ev.detail[i]] ?? ev.detail[i]}`);
        if (ev.detail[i] === ActionReason.NO_LINE_OF_SIGHT || ev.detail[i] === ActionReason.OUT_OF_RANGE) this.sightRefused = true;
      }
      else if (type === CombatEvent.LEVEL_UP && ev.target[i] === you) count('level_ups');
      else if (type === CombatEvent.DAMAGE && ev.source[i] === you) count(ev.skill[i] === 0 ? 'swings_landed' : 'skill_hits');
    }
  }

  private dead(now: number, it: Intent): boolean {
    this.target = 0;
    it.move = MoveKind.STOP;
    it.dx = it.dy = 0;
    if (this.respawnAt === 0) this.respawnAt = now + RESPAWN_DELAY_MS;
    if (now < this.respawnAt) return false;
    this.respawnAt = now + RESPAWN_RETRY_MS;
    return this.emit(now, ActionKind.RESPAWN, 0, 0, 0, 0);
  }

  /** The first of the bot's skills it can use now on target row `t` at distance `d`, sent; false when none. */
  private useSkill(now: number, tick: number, self: SelfState, cur: ViewTable, me: number, t: number, d: number, tx: number, ty: number, it: Intent, meleeOnly: boolean, clear: boolean): boolean {
    const mana = cur.mana[me];
    const hurt = cur.hp[me] < cur.maxHp[me] * HEAL_BELOW;
    for (let i = 0; i < self.skillCount; i++) {
      if (self.readyTick[i] > tick) continue;
      const number = self.skills[i];
      const sk = this.skill(number);
      if (sk === null || sk.cost > mana) continue;
      const aimed = sk.target === 'enemy' || sk.target === 'point';
      if (meleeOnly && aimed && sk.range > MELEE_STAND + 1) continue;
      if (!clear && aimed && sk.sight) continue;
      let target = 0;
      let x = 0;
      let y = 0;
      if (sk.heals) {
        if (!hurt) continue;
        target = sk.target === 'self' ? 0 : cur.ids[me];
      } else if (sk.target === 'enemy') {
        if (d > sk.range + 0.2) continue;
        target = cur.ids[t];
      } else if (sk.target === 'point') {
        if (d > sk.range) continue;
        x = tx;
        y = ty;
      } else if (sk.target === 'self') {
        if (d > BUFF_NEAR) continue;
      } else continue;
      if (sk.castMs > 0) {
        // Stand still for the cast: moving would interrupt it.
        this.castUntil = now + sk.castMs + 200;
        it.move = MoveKind.STOP;
        it.dx = it.dy = 0;
      }
      return this.emit(now, ActionKind.SKILL, target, number, x, y);
    }
    return false;
  }

  private skill(number: number): BookSkill | null {
    if (this.book === null) return UNKNOWN_SKILL;
    return this.book.skills[number] ?? null;
  }

  private fightable(cur: ViewTable, i: number, you: number): boolean {
    if (cur.kind[i] !== EntityKind.NPC || (cur.flags[i] & UNSEEN) !== 0) return false;
    if (cur.ids[i] === this.shunned && this.now < this.shunnedUntil) return false;
    const tpl = cur.template[i];
    if (!(this.book === null ? tpl !== 0 : this.book.hostile[tpl] === 1)) return false;
    return this.prey === null || this.prey[tpl] === 1 || cur.target[i] === you;
  }

  /**
   * Row of the nearest fightable NPC, those fighting the bot first; -1 when
   * none is in view. With a sight line, one across rock or water is passed
   * over (unless it is on the bot): the bot could neither walk straight to
   * it nor cast at it.
   */
  private nearest(cur: ViewTable, me: number, pos: { x: number; y: number }): number {
    const you = cur.ids[me];
    const sight = this.sight;
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < cur.count; i++) {
      if (!this.fightable(cur, i, you)) continue;
      const dx = cur.x[i] - cur.x[me];
      const dy = cur.y[i] - cur.y[me];
      // Squared quantised distance; an NPC already on the bot counts as right beside it.
      const onMe = cur.target[i] === you;
      const dd = onMe ? -1 / (1 + dx * dx + dy * dy) : dx * dx + dy * dy;
      if (dd >= bestD) continue;
      // Sight is asked only of a nearer candidate than the best so far.
      if (!onMe && sight !== null && !sight(pos.x, pos.y, cur.x[i] / Limits.positionScale, cur.y[i] / Limits.positionScale)) continue;
      bestD = dd;
      best = i;
    }
    return best;
  }

  private emit(now: number, kind: number, target: number, skill: number, x: number, y: number): boolean {
    const a = this.action;
    a.kind = kind;
    a.target = target;
    a.skill = skill;
    a.x = x;
    a.y = y;
    this.nextActionAt = now + ACTION_GAP_MS;
    this.awaitSeq = 0;
    this.awaitUntil = now + ACTION_TIMEOUT_MS;
    return true;
  }

  /** The seq the bot gave the action it just sent (waited for in the self record when it was a skill). */
  sent(seq: number): void {
    if (this.action.kind === ActionKind.SKILL) this.awaitSeq = seq & 0xffff;
  }
}
