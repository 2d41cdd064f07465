import { MAX_CLASS_SKILLS } from '../../content/class-table.ts';
import { EffectType, MAX_EFFECTS, School, SkillTarget } from '../../content/skill-table.ts';
import { ActionReason, CombatEvent } from '../../protocol/combat-codes.ts';
import { MoveKind } from '../../protocol/opcodes.ts';
import { ActionCheck, EntityFlags, EntityKind } from '../../shared/layout.ts';
import { EventType } from '../event-types.ts';
import type { DamagePath } from './damage.ts';
import { effectAmount, Formula } from './formula.ts';
import { auraInfo, hitInfo } from './hit-info.ts';
import type { PlayerCombat } from './player-combat.ts';
import type { CombatSenses } from './senses.ts';
import type { CombatState } from './state.ts';
import { Derived } from './stats.ts';
import type { Targeting } from './targeting.ts';

/** use() result: the skill waits a tick for its target to be sensed (neither done nor refused). */
export const WAITING = -1;
/** A caster that moved this far since it began casting is interrupted. */
const MOVE_TOLERANCE = 0.05;

/**
 * Players' skills (content skills.json through the skill table): known by
 * class and level, checked (cooldown, resource, target, range, line of
 * sight, safe areas), cast over time or at once, and carried out as events
 * to their targets' owners: DAMAGE (with THREAT first on an NPC), HEAL,
 * AURA (damage or heal over time, buff, debuff). An area skill's targets
 * are found by CombatSenses in the replicate half and hit on the next tick.
 */
export class SkillCaster {
  private readonly s: CombatState;
  private readonly senses: CombatSenses;
  private readonly t: Targeting;
  private readonly damage: DamagePath;

  constructor(s: CombatState, senses: CombatSenses, targeting: Targeting, damage: DamagePath) {
    this.s = s;
    this.senses = senses;
    this.t = targeting;
    this.damage = damage;
  }

  /** Index of `skill` in the class list of player `slot` if learned at its level, else -1. */
  known(slot: number, skill: number): number {
    const c = this.s.ctx.classes;
    const cls = this.s.classOf(slot);
    const level = this.s.ctx.store.f.level[slot];
    const base = cls * MAX_CLASS_SKILLS;
    for (let i = 0; i < c.skillCount[cls]; i++) if (c.skills[base + i] === skill && c.skillLevel[base + i] <= level) return i;
    return -1;
  }

  /**
   * Player `slot` uses `skill` on `target` (0: the selected target, or itself
   * for a self or ally skill) or at (x, y): 0 when it was cast or begun, an
   * ActionReason when refused, WAITING when its target is not sensed yet
   * (only when `mayWait`: a skill waits one tick at most).
   */
  use(slot: number, p: PlayerCombat, skill: number, target: number, x: number, y: number, seq: number, mayWait: boolean): number {
    const s = this.s;
    const c = s.ctx;
    const f = c.store.f;
    const sk = c.skills;
    if (skill < 1 || skill >= sk.count) {
      this.t.violation(slot, ActionCheck.UNKNOWN_SKILL);
      return ActionReason.UNKNOWN_SKILL;
    }
    const idx = this.known(slot, skill);
    if (idx < 0) {
      this.t.violation(slot, ActionCheck.UNKNOWN_SKILL);
      return ActionReason.UNKNOWN_SKILL;
    }
    if (p.castSkill !== 0) return ActionReason.BUSY;
    // The global cooldown: told as a cooldown, never a violation (it is a second or so).
    if (c.tick < p.gcdEnd) return ActionReason.COOLDOWN;
    if (c.tick < p.cooldown[idx]) {
      // A client shows its cooldowns: a second early is more than lag.
      if (p.cooldown[idx] - c.tick > c.tickHz) this.t.violation(slot, ActionCheck.COOLDOWN);
      return ActionReason.COOLDOWN;
    }
    if (f.mana[slot] < sk.cost[skill]) return ActionReason.NO_RESOURCE;
    const me = c.store.handleAt(slot);
    const kind = sk.target[skill];
    let tgt = 0;
    if (kind === SkillTarget.POINT) {
      const why = this.t.checkPoint(slot, x, y, sk.range[skill], sk.lineOfSight[skill] === 1, true);
      if (why !== 0) return why;
    } else {
      tgt = kind === SkillTarget.SELF ? me : target !== 0 ? target : kind === SkillTarget.ALLY ? me : f.target[slot];
      if (tgt === 0) return ActionReason.NO_TARGET;
      if (!this.t.look(slot, tgt)) {
        if (mayWait && c.store.isValid(tgt)) {
          // Another cell's entity this player had not targeted: sensed at the end of this tick, tried next tick.
          p.waitSkill = skill;
          p.waitTarget = tgt;
          p.waitX = x;
          p.waitY = y;
          p.waitSeq = seq;
          return WAITING;
        }
        return ActionReason.NO_TARGET;
      }
      const why = this.t.check(slot, kind, sk.range[skill], sk.lineOfSight[skill] === 1, tgt === me, true);
      if (why !== 0) return why;
    }
    const castTicks = Math.round((sk.castMs[skill] / 1000) * c.tickHz);
    // The global cooldown starts as the skill is used (a cast begun counts).
    p.gcdEnd = c.tick + Math.round((c.classes.globalCooldownMs[s.classOf(slot)] / 1000) * c.tickHz);
    s.touch(slot);
    if (castTicks <= 0) {
      this.execute(slot, p, idx, skill, tgt, x, y);
      return 0;
    }
    p.castSkill = skill;
    p.castEnd = c.tick + castTicks;
    p.castTarget = tgt;
    p.castX = x;
    p.castY = y;
    p.castFromX = f.x[slot];
    p.castFromY = f.y[slot];
    p.castSeq = seq;
    f.castSkill[slot] = skill;
    f.castEnd[slot] = p.castEnd;
    f.castTicks[slot] = castTicks;
    c.intents.stop(slot);
    s.log.add(CombatEvent.CAST_START, 0, me, tgt, skill, castTicks, s.tileOf(slot), -1);
    return 0;
  }

  /** A tick of player `slot`'s cast: interrupted when it moved, carried out when its time is up. */
  progress(slot: number, p: PlayerCombat): void {
    if (p.castSkill === 0) return;
    const c = this.s.ctx;
    const f = c.store.f;
    const dx = f.x[slot] - p.castFromX;
    const dy = f.y[slot] - p.castFromY;
    if (c.intents.move[slot] !== MoveKind.STOP || dx * dx + dy * dy > MOVE_TOLERANCE * MOVE_TOLERANCE) return this.interrupt(slot, p, ActionReason.MOVED);
    if (c.tick < p.castEnd) return;
    const skill = p.castSkill;
    const sk = c.skills;
    const idx = this.known(slot, skill);
    if (idx < 0) return this.interrupt(slot, p, ActionReason.UNKNOWN_SKILL);
    if (f.mana[slot] < sk.cost[skill]) return this.interrupt(slot, p, ActionReason.NO_RESOURCE);
    const kind = sk.target[skill];
    const me = c.store.handleAt(slot);
    let why = 0;
    if (kind === SkillTarget.POINT) why = this.t.checkPoint(slot, p.castX, p.castY, sk.range[skill], sk.lineOfSight[skill] === 1);
    else if (!this.t.look(slot, p.castTarget)) why = ActionReason.NO_TARGET;
    else why = this.t.check(slot, kind, sk.range[skill], sk.lineOfSight[skill] === 1, p.castTarget === me);
    if (why !== 0) return this.interrupt(slot, p, why);
    const target = p.castTarget;
    this.clearCast(slot, p);
    this.execute(slot, p, idx, skill, target, p.castX, p.castY);
  }

  /** Stops player `slot`'s cast, telling everyone around why. */
  interrupt(slot: number, p: PlayerCombat, reason: number): void {
    if (p.castSkill === 0) return;
    const s = this.s;
    const me = s.ctx.store.handleAt(slot);
    s.log.add(CombatEvent.CAST_INTERRUPTED, reason, me, p.castTarget, p.castSkill, 0, s.tileOf(slot), -1);
    this.clearCast(slot, p);
  }

  private clearCast(slot: number, p: PlayerCombat): void {
    const f = this.s.ctx.store.f;
    p.castSkill = 0;
    p.castTarget = 0;
    f.castSkill[slot] = 0;
    f.castEnd[slot] = 0;
    f.castTicks[slot] = 0;
  }

  /** Pays for the skill, starts its cooldown and carries out its effects (on its target, or on an area next tick). */
  private execute(slot: number, p: PlayerCombat, idx: number, skill: number, target: number, x: number, y: number): void {
    const s = this.s;
    const c = s.ctx;
    const sk = c.skills;
    const f = c.store.f;
    this.damage.addResource(slot, -sk.cost[skill]);
    p.cooldown[idx] = c.tick + Math.round((sk.cooldownMs[skill] / 1000) * c.tickHz);
    s.touch(slot);
    const me = c.store.handleAt(slot);
    const ap = s.stats.get(slot, Derived.ATTACK_POWER);
    const sp = s.stats.get(slot, Derived.SPELL_POWER);
    const crit = s.stats.get(slot, Derived.CRIT);
    const tile = s.tileOf(slot);
    const hostile = this.hostile(skill);
    if (hostile) {
      s.engage(slot);
      f.flags[slot] |= EntityFlags.IN_COMBAT;
    }
    if (sk.areaRadius[skill] > 0) {
      const kind = sk.target[skill];
      // The area's centre: the point, the caster, or the target where it was seen (look() just read it).
      const cx = kind === SkillTarget.POINT ? x : kind === SkillTarget.SELF || target === me ? f.x[slot] : this.t.x;
      const cy = kind === SkillTarget.POINT ? y : kind === SkillTarget.SELF || target === me ? f.y[slot] : this.t.y;
      this.senses.requestArea(me, skill, cx, cy, !hostile, sk.areaMaxTargets[skill], ap, sp, crit, f.level[slot], tile);
      return;
    }
    this.effects(me, target, skill, ap, sp, crit, f.level[slot], tile, target !== me && this.t.kind === EntityKind.NPC);
  }

  /** True when the skill harms (damage, damage over time or a debuff): it then hits enemies. */
  hostile(skill: number): boolean {
    const sk = this.s.ctx.skills;
    for (let j = 0; j < sk.effectCount[skill]; j++) {
      const t = sk.effType[skill * MAX_EFFECTS + j];
      if (t === EffectType.DAMAGE || t === EffectType.DAMAGE_OVER_TIME || t === EffectType.DEBUFF) return true;
    }
    return false;
  }

  /** Sends `skill`'s effects from `caster` (its numbers given) to `target`; an NPC target gets threat first. */
  effects(caster: number, target: number, skill: number, ap: number, sp: number, crit: number, level: number, tile: number, npc: boolean): void {
    const s = this.s;
    const c = s.ctx;
    const sk = c.skills;
    const ev = c.events;
    for (let j = 0; j < sk.effectCount[skill]; j++) {
      const e = skill * MAX_EFFECTS + j;
      const type = sk.effType[e];
      const school = sk.effSchool[e];
      const power = type === EffectType.HEAL || type === EffectType.HEAL_OVER_TIME || school !== School.PHYSICAL ? sp : ap;
      if (type === EffectType.DAMAGE || type === EffectType.HEAL) {
        let amount = effectAmount(sk.effMin[e], sk.effMax[e], s.rng.float(), sk.effCoefficient[e], power);
        const isCrit = s.rng.int(Formula.CHANCE_SCALE) < crit;
        if (isCrit) amount = Math.round(amount * Formula.CRIT_MULTIPLIER);
        const info = hitInfo(skill, school, isCrit, false, level);
        if (type === EffectType.HEAL) ev.send(EventType.HEAL, target, caster, amount, info, tile);
        else {
          if (npc) ev.send(EventType.THREAT, target, caster, amount, 0);
          ev.send(EventType.DAMAGE, target, caster, amount, info, tile);
        }
      } else {
        const periodic = type === EffectType.DAMAGE_OVER_TIME || type === EffectType.HEAL_OVER_TIME;
        const amount = periodic ? effectAmount(sk.effMin[e], sk.effMax[e], s.rng.float(), sk.effCoefficient[e], power) : 0;
        if (npc && (type === EffectType.DAMAGE_OVER_TIME || type === EffectType.DEBUFF)) ev.send(EventType.THREAT, target, caster, Math.max(1, amount), 0);
        ev.send(EventType.AURA, target, caster, amount, auraInfo(skill, j, level), tile);
      }
    }
  }

  /** Carries out the area skills whose targets the last replicate half found. */
  applyAreas(): void {
    const sn = this.senses;
    for (let i = 0; i < sn.resolved; i++) {
      const p = i * 5;
      const first = sn.areaFirst[i];
      for (let k = first; k < first + sn.areaFound[i]; k++) {
        const target = sn.targets[k];
        // An area hits enemies or allies only (senses chose which): enemies are NPCs.
        const npc = sn.areaAllies[i] === 0;
        this.effects(sn.areaCaster[i], target, sn.areaSkill[i], sn.areaPower[p], sn.areaPower[p + 1], sn.areaPower[p + 2], sn.areaPower[p + 3], sn.areaPower[p + 4], npc);
      }
    }
    sn.resolved = 0;
  }
}
