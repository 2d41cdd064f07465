import { classStat, type ClassTable } from '../../content/class-table.ts';
import type { NpcTable } from '../../content/npc-table.ts';
import { MAX_EFFECTS, type SkillTable } from '../../content/skill-table.ts';
import { STAT_COUNT, Stat } from '../../content/stat-block.ts';
import { AuraKind } from '../../protocol/combat-codes.ts';
import type { EntityStore } from '../../shared/entity-store.ts';
import { EntityKind } from '../../shared/layout.ts';
import { AURA_SLOTS, type Auras } from './auras.ts';
import { Formula } from './formula.ts';

/** The stats combat reads, per entity: derived from its content stats, level and auras. */
export const Derived = {
  MAX_HP: 0,
  MAX_MANA: 1,
  ATTACK_POWER: 2,
  SPELL_POWER: 3,
  ARMOR: 4,
  RESISTANCE: 5,
  /** Parts per 10,000. */
  CRIT: 6,
  DODGE: 7,
  /** Per second. */
  HP_REGEN: 8,
  MANA_REGEN: 9,
  COUNT: 10,
} as const;

/**
 * Current stats of the fighting entities a cell owns, DERIVED.COUNT per slot.
 * Recomputed only when what they come from changes (a spawn, an adoption, a
 * level, an aura on or off), never per tick:
 *
 * - a player's stats are its class's at its level (base + growth per level
 *   past the first), an NPC's its template's;
 * - plus every buff and debuff on it, times its stacks;
 * - then the primary stats feed the rest (formula.ts): stamina health,
 *   intellect mana and spell power, strength and agility attack power,
 *   agility crit and dodge.
 *
 * compute() also writes maxHp and maxMana into the store, keeping health and
 * mana within them (an entity that was full stays full).
 */
export class CombatStats {
  readonly d: Float32Array;
  /** What each player's equipment adds, a stat block per slot (items/gear.ts writes it). */
  readonly gear: Float32Array;
  private readonly raw = new Float32Array(STAT_COUNT);
  private readonly store: EntityStore;
  private readonly classes: ClassTable;
  private readonly npcs: NpcTable;
  private readonly skills: SkillTable;
  private readonly auras: Auras;
  private readonly stamps: Uint32Array;

  constructor(store: EntityStore, classes: ClassTable, npcs: NpcTable, skills: SkillTable, auras: Auras, stamps: Uint32Array = new Uint32Array(store.capacity)) {
    this.stamps = stamps;
    this.store = store;
    this.classes = classes;
    this.npcs = npcs;
    this.skills = skills;
    this.auras = auras;
    this.d = new Float32Array(store.capacity * Derived.COUNT);
    this.gear = new Float32Array(store.capacity * STAT_COUNT);
  }

  /** Derived stat `k` of `slot`. */
  get(slot: number, k: number): number {
    return this.d[slot * Derived.COUNT + k];
  }

  /** Recomputes `slot`'s stats and writes its maxHp and maxMana (players and NPCs alike; other kinds have none). */
  compute(slot: number): void {
    const f = this.store.f;
    const raw = this.raw;
    const kind = f.kind[slot];
    const template = f.template[slot];
    if (kind === EntityKind.PLAYER) {
      const level = f.level[slot];
      const g = slot * STAT_COUNT;
      for (let i = 0; i < STAT_COUNT; i++) raw[i] = classStat(this.classes, template, i, level) + this.gear[g + i];
    } else if (kind === EntityKind.NPC && template > 0 && template < this.npcs.count) {
      const at = template * STAT_COUNT;
      for (let i = 0; i < STAT_COUNT; i++) raw[i] = this.npcs.stats[at + i];
    } else {
      // A generic wanderer (no template): the health it was made with, nothing else.
      raw.fill(0);
      raw[Stat.health] = f.maxHp[slot];
    }
    const a = this.auras;
    const sk = this.skills;
    for (let i = slot * AURA_SLOTS; i < slot * AURA_SLOTS + a.count[slot]; i++) {
      if (a.kind[i] !== AuraKind.BUFF && a.kind[i] !== AuraKind.DEBUFF) continue;
      if (a.skill[i] >= sk.count) continue;
      const at = (a.skill[i] * MAX_EFFECTS + a.effect[i]) * STAT_COUNT;
      const stacks = a.stacks[i];
      for (let k = 0; k < STAT_COUNT; k++) raw[k] += sk.effStats[at + k] * stacks;
    }
    const o = slot * Derived.COUNT;
    const d = this.d;
    const F = Formula;
    this.stamps[slot]++;
    d[o + Derived.MAX_HP] = Math.max(1, Math.round(raw[Stat.health] + F.STAMINA_HEALTH * raw[Stat.stamina]));
    d[o + Derived.MAX_MANA] = Math.max(0, Math.round(raw[Stat.mana] + F.INTELLECT_MANA * raw[Stat.intellect]));
    d[o + Derived.ATTACK_POWER] = Math.max(0, raw[Stat.attackPower] + F.STRENGTH_ATTACK_POWER * raw[Stat.strength] + F.AGILITY_ATTACK_POWER * raw[Stat.agility]);
    d[o + Derived.SPELL_POWER] = Math.max(0, raw[Stat.spellPower] + F.INTELLECT_SPELL_POWER * raw[Stat.intellect]);
    d[o + Derived.ARMOR] = Math.max(0, raw[Stat.armor]);
    d[o + Derived.RESISTANCE] = Math.max(0, raw[Stat.resistance]);
    d[o + Derived.CRIT] = clampChance(F.CRIT_BASE + raw[Stat.critChance] + F.AGILITY_CRIT * raw[Stat.agility]);
    d[o + Derived.DODGE] = clampChance(F.DODGE_BASE + raw[Stat.dodgeChance] + F.AGILITY_DODGE * raw[Stat.agility]);
    d[o + Derived.HP_REGEN] = Math.max(0, raw[Stat.healthRegen]);
    d[o + Derived.MANA_REGEN] = Math.max(0, raw[Stat.manaRegen]);

    if (kind !== EntityKind.PLAYER && kind !== EntityKind.NPC) return;
    const maxHp = d[o + Derived.MAX_HP];
    if (f.hp[slot] >= f.maxHp[slot] || f.hp[slot] > maxHp) f.hp[slot] = f.hp[slot] > 0 ? maxHp : f.hp[slot];
    f.maxHp[slot] = maxHp;
    const maxMana = d[o + Derived.MAX_MANA];
    if (f.mana[slot] > maxMana) f.mana[slot] = maxMana;
    f.maxMana[slot] = maxMana;
  }

  /** The template's (or class's) attack power without auras, for an NPC's swing bonus. */
  baseAttackPower(slot: number): number {
    const f = this.store.f;
    const t = f.template[slot];
    if (f.kind[slot] !== EntityKind.NPC || t === 0 || t >= this.npcs.count) return 0;
    const at = t * STAT_COUNT;
    return this.npcs.stats[at + Stat.attackPower] + Formula.STRENGTH_ATTACK_POWER * this.npcs.stats[at + Stat.strength] + Formula.AGILITY_ATTACK_POWER * this.npcs.stats[at + Stat.agility];
  }
}

function clampChance(v: number): number {
  return v < 0 ? 0 : v > Formula.CHANCE_SCALE ? Formula.CHANCE_SCALE : v;
}
