import { experienceFor } from '../../content/class-table.ts';
import { CellMsg, writePlayerReport } from '../../shared/messages/cell-to-gate.ts';
import type { Ring } from '../../shared/ring.ts';
import type { Progression } from './progression.ts';
import type { CombatState } from './state.ts';

/**
 * Experience is durable before the player is told it (issue 13: a SIGKILL
 * of the whole process loses nothing a player was shown). The store's `xp`
 * is the live figure: it grows at once with each kill or quest reward, and
 * the game goes by it (a cell restart keeps it, the 1 s STATE reports and
 * saves carry it). What the player is told, its self record's experience
 * and its EXPERIENCE and LEVEL_UP events, and the level it has (the store's
 * `level`, which everyone sees) follow CombatState.xpShown instead, which
 * moves only when the coordinator confirms:
 *
 *   kill (simulate) → xp += gain
 *   the player's next frame → EXPERIENCE report (cell-to-gate, as STATE)
 *   coordinator → a checkpoint round holding it lands (Redis, or the
 *     checkpoint file) → EXPERIENCE_DURABLE xp (gate-to-cell)
 *   next simulate → shown = xp: one EXPERIENCE event for the gains told
 *     now, levels raised from it → the frame shows them
 *
 * This is the output-commit rule of rollback-recovery (state an outside
 * observer has seen must be stable first), applied to the few fields that
 * are durable state, not to the whole frame: positions and fights go out at
 * once, only experience and levels wait about one checkpoint round (tens
 * of milliseconds). Gains confirmed together are told in one event, named
 * after the newest one's source.
 *
 * A request whose answer is lost (the coordinator dropped it, a restart) is
 * asked again after a second; an answer above the live figure (from before
 * a restart) is capped by it. With ZoneSpec.confirmExperience unset (cells
 * without a coordinator) experience is told at once.
 */
export class ExperienceConfirm {
  private readonly s: CombatState;
  private readonly progression: Progression;
  private readonly out: Ring;
  /** Per slot: the live experience last asked to be made durable (0: none), and the tick it was asked at. */
  private readonly asked: Uint32Array;
  private readonly askedAt: Int32Array;
  /** Ticks after which an unanswered request is asked again. */
  private readonly retryTicks: number;

  constructor(s: CombatState, progression: Progression, out: Ring) {
    this.s = s;
    this.progression = progression;
    this.out = out;
    this.asked = new Uint32Array(s.xpShown.length);
    this.askedAt = new Int32Array(s.xpShown.length);
    this.retryTicks = s.ctx.tickHz;
    s.ctx.players.onDurable = (slot, xp) => this.durable(slot, xp);
  }

  /**
   * Before player `slot`'s frame: asks the coordinator to make the
   * experience it has not been told durable, once per new figure (again
   * after a second without an answer). A full ring asks on the next frame.
   */
  ask(conn: number, slot: number, tick: number): void {
    const s = this.s;
    if (!s.confirmExperience) return;
    const xp = s.ctx.store.f.xp[slot];
    if (xp <= s.xpShown[slot]) return;
    if (this.asked[slot] === xp && tick - this.askedAt[slot] < this.retryTicks) return;
    if (!writePlayerReport(this.out, CellMsg.EXPERIENCE, conn, s.ctx.store, slot)) return;
    this.asked[slot] = xp;
    this.askedAt[slot] = tick;
  }

  /**
   * A REWARDED report (cell-players.ts) went out for the slot's experience as
   * it is now: it asks the same as an EXPERIENCE would, so none follows for
   * this figure unless a second goes by unanswered.
   */
  reported(slot: number): void {
    this.asked[slot] = this.s.ctx.store.f.xp[slot];
    this.askedAt[slot] = this.s.ctx.tick;
  }

  /** The coordinator's answer: experience up to `xp` is durable; the player is told it (never more than it has). */
  durable(slot: number, xp: number): void {
    const live = this.s.ctx.store.f.xp[slot];
    this.progression.show(slot, xp < live ? xp : live);
  }

  /** The slot's player is new here (joined, handed over, restarted): nothing asked yet. */
  forget(slot: number): void {
    this.asked[slot] = 0;
    this.askedAt[slot] = 0;
  }
}

/**
 * A player without a record of what it was told (a restart with no
 * checkpoint of it): told the experience its level takes, which is durable
 * as the level is; the coordinator's next answer brings it up to date.
 */
export function shownFloor(s: CombatState, slot: number): number {
  const f = s.ctx.store.f;
  const floor = f.level[slot] > 1 ? experienceFor(s.ctx.classes, s.classOf(slot), f.level[slot] - 1) : 0;
  return floor < f.xp[slot] ? floor : f.xp[slot];
}
