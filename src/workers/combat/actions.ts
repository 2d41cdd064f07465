import { SkillTarget } from '../../content/skill-table.ts';
import { ActionKind, ActionReason, CombatEvent } from '../../protocol/combat-codes.ts';
import { ACTION_RESULTS, ActionCheck, EntityFlags, StatSlot } from '../../shared/layout.ts';
import type { GateMessage } from '../../shared/messages/gate-message.ts';
import { ACTIONS_PER_TICK, type PlayerCombat } from './player-combat.ts';
import type { PlayerLife } from './player-life.ts';
import { WAITING, type SkillCaster } from './skills.ts';
import type { CombatState } from './state.ts';
import { Formula } from './formula.ts';
import type { Targeting } from './targeting.ts';

const Result = { APPLIED: ACTION_RESULTS.indexOf('applied'), REFUSED: ACTION_RESULTS.indexOf('refused'), STALE: ACTION_RESULTS.indexOf('stale') } as const;

/** True when u16 sequence `a` is newer than `b`, across wrap-around (RFC 1982). */
export function seq16Newer(a: number, b: number): boolean {
  const d = (a - b) & 0xffff;
  return d !== 0 && d < 0x8000;
}

/**
 * Players' ACTIONs: received in the input phase (queued on the player, in
 * order, each once: an action whose seq is not newer than the last one is
 * a retry and ignored) and carried out by the combat system in the simulate
 * phase: select a target, start or stop auto-attacking, use a skill,
 * respawn. A refused action is told to the player (a REFUSED event with
 * its seq and the reason); the newest seq handled goes in its self record.
 */
export class Actions {
  private readonly s: CombatState;
  private readonly t: Targeting;
  private readonly skills: SkillCaster;
  private readonly life: PlayerLife;

  constructor(s: CombatState, targeting: Targeting, skills: SkillCaster, life: PlayerLife) {
    this.s = s;
    this.t = targeting;
    this.skills = skills;
    this.life = life;
  }

  /** An ACTION from the gate for owned player `slot` (input phase). */
  receive(slot: number, m: GateMessage): void {
    const p = this.s.players[slot];
    const stats = this.s.ctx.stats;
    if (!p) return;
    if (p.hasAction && !seq16Newer(m.seq, p.actionSeq)) {
      stats[StatSlot.actions + Result.STALE]++;
      return;
    }
    p.hasAction = true;
    p.actionSeq = m.seq;
    this.s.touch(slot);
    if (p.queued === ACTIONS_PER_TICK) {
      // More actions in one tick than hands can press (a client sends one per key press): a scripted burst.
      this.t.violation(slot, ActionCheck.ACTION_RATE);
      this.refuse(slot, p, ActionReason.BUSY, m.seq, m.target, m.kind === ActionKind.SKILL ? m.skill : 0);
      return;
    }
    const i = p.queued++;
    p.qKind[i] = m.kind;
    p.qSeq[i] = m.seq;
    p.qTarget[i] = m.target;
    p.qSkill[i] = m.skill;
    p.qX[i] = m.x;
    p.qY[i] = m.y;
  }

  /** Carries out player `slot`'s waiting skill and this tick's actions, in order (simulate phase). */
  run(slot: number, p: PlayerCombat): void {
    if (p.waitSkill !== 0) {
      const skill = p.waitSkill;
      p.waitSkill = 0;
      const why = this.skills.use(slot, p, skill, p.waitTarget, p.waitX, p.waitY, p.waitSeq, false);
      if (why > 0) this.refuse(slot, p, why, p.waitSeq, p.waitTarget, skill);
      p.waitTarget = 0;
    }
    for (let i = 0; i < p.queued; i++) this.one(slot, p, p.qKind[i], p.qSeq[i], p.qTarget[i], p.qSkill[i], p.qX[i], p.qY[i]);
    p.queued = 0;
  }

  private one(slot: number, p: PlayerCombat, kind: number, seq: number, target: number, skill: number, x: number, y: number): void {
    const c = this.s.ctx;
    const f = c.store.f;
    const stats = c.stats;
    const dead = (f.flags[slot] & EntityFlags.DEAD) !== 0;
    let why = 0;
    if (kind === ActionKind.RESPAWN) why = dead ? this.life.respawn(slot) : ActionReason.NOT_DEAD;
    else if (dead) why = ActionReason.DEAD;
    else if (kind === ActionKind.TARGET) {
      if (target !== 0 && !c.store.isValid(target)) why = ActionReason.NO_TARGET;
      else f.target[slot] = target;
    } else if (kind === ActionKind.ATTACK) {
      if (skill === 1) why = this.attack(slot, p, target);
      else {
        p.autoAttack = false;
        this.s.touch(slot);
      }
    }
    else if (kind === ActionKind.SKILL) {
      why = this.skills.use(slot, p, skill, target, x, y, seq, true);
      if (why === WAITING) return;
    }
    if (why !== 0) this.refuse(slot, p, why, seq, target, kind === ActionKind.SKILL ? skill : 0);
    else stats[StatSlot.actions + Result.APPLIED]++;
  }

  /** Starts auto-attacking `target` (0: the selected one). */
  private attack(slot: number, p: PlayerCombat, target: number): number {
    const c = this.s.ctx;
    const f = c.store.f;
    if (target !== 0) {
      if (!c.store.isValid(target)) return ActionReason.NO_TARGET;
      f.target[slot] = target;
    }
    const t = f.target[slot];
    if (t === 0) return ActionReason.NO_TARGET;
    // What is known of it now can refuse it for good; out of range is fine (the player walks up).
    if (this.t.look(slot, t)) {
      const why = this.t.check(slot, SkillTarget.ENEMY, Formula.ATTACK_RANGE, false, t === c.store.handleAt(slot), false);
      if (why === ActionReason.TARGET_DEAD || why === ActionReason.NOT_ATTACKABLE || why === ActionReason.BAD_TARGET || why === ActionReason.SAFE_AREA) return why;
    }
    p.autoAttack = true;
    this.s.touch(slot);
    if (p.nextSwing < c.tick) p.nextSwing = c.tick;
    return 0;
  }

  private refuse(slot: number, p: PlayerCombat, why: number, seq: number, target: number, skill: number): void {
    const c = this.s.ctx;
    c.stats[StatSlot.actions + Result.REFUSED]++;
    p.tell(CombatEvent.REFUSED, why, c.store.handleAt(slot), target, skill, seq);
  }
}
