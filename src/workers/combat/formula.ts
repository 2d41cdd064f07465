/**
 * The numbers of combat: how stats become attack power, how armor
 * mitigates, the chances to miss, dodge and crit, experience by level
 * difference. Pure functions of their arguments; docs/game.md states the
 * same formulas and these constants (a test holds the two together).
 */
export const Formula = {
  /** Chances are in parts per 10,000 (as content's critChance and dodgeChance). */
  CHANCE_SCALE: 10_000,
  /** Everyone's crit chance before stats: 5 %. */
  CRIT_BASE: 500,
  CRIT_MULTIPLIER: 1.5,
  /** Everyone's dodge chance before stats: 3 %. */
  DODGE_BASE: 300,
  /** Chance to miss a target of the attacker's level, 5 %, plus 1 % per level the target is above it; 0 to 30 %. */
  MISS_BASE: 500,
  MISS_PER_LEVEL: 100,
  MISS_MAX: 3000,
  /** Mitigation = armor / (armor + ARMOR_K + ARMOR_PER_LEVEL × attacker level), at most MITIGATION_MAX. */
  ARMOR_K: 50,
  ARMOR_PER_LEVEL: 15,
  MITIGATION_MAX: 0.75,
  /** What the primary stats add: per point of stamina, intellect, strength, agility. */
  STAMINA_HEALTH: 2,
  INTELLECT_MANA: 2,
  INTELLECT_SPELL_POWER: 1,
  STRENGTH_ATTACK_POWER: 1,
  AGILITY_ATTACK_POWER: 0.5,
  /** Parts per 10,000 of crit and of dodge per point of agility. */
  AGILITY_CRIT: 10,
  AGILITY_DODGE: 10,
  /** A weapon-less auto-attack: damage from ATTACK_MIN to ATTACK_MAX times attack power, every ATTACK_INTERVAL_MS, within ATTACK_RANGE tiles. */
  ATTACK_MIN: 0.2,
  ATTACK_MAX: 0.3,
  ATTACK_INTERVAL_MS: 2000,
  ATTACK_RANGE: 1.5,
  /** An NPC's swing gains (or loses) this share of the attack power its auras add to (take from) its template's. */
  NPC_ATTACK_POWER_SHARE: 0.2,
  /** A heal on a player puts this share of what it healed as threat on the NPCs fighting the player, split among them. */
  HEAL_THREAT: 0.5,
  /** Experience for a kill: the NPC's, times 1 + XP_PER_LEVEL × (its level − the player's), within XP_MIN..XP_MAX. */
  XP_PER_LEVEL: 0.1,
  XP_MIN: 0.1,
  XP_MAX: 1.5,
} as const;

/** Share of a hit that armor (or resistance) takes away, from an attacker of `attackerLevel`. */
export function mitigation(armor: number, attackerLevel: number): number {
  if (!(armor > 0)) return 0;
  const m = armor / (armor + Formula.ARMOR_K + Formula.ARMOR_PER_LEVEL * attackerLevel);
  return m > Formula.MITIGATION_MAX ? Formula.MITIGATION_MAX : m;
}

/** Chance (parts per 10,000) that an attacker of `attackerLevel` misses a target of `targetLevel`. */
export function missChance(attackerLevel: number, targetLevel: number): number {
  const c = Formula.MISS_BASE + Formula.MISS_PER_LEVEL * (targetLevel - attackerLevel);
  return c < 0 ? 0 : c > Formula.MISS_MAX ? Formula.MISS_MAX : c;
}

/** Multiplier of a kill's experience for a player of `playerLevel` killing an NPC of `npcLevel`. */
export function experienceFactor(npcLevel: number, playerLevel: number): number {
  const f = 1 + Formula.XP_PER_LEVEL * (npcLevel - playerLevel);
  return f < Formula.XP_MIN ? Formula.XP_MIN : f > Formula.XP_MAX ? Formula.XP_MAX : f;
}

/** A hit or heal of a skill effect: min..max (rolled by the caller: `roll` in [0, 1)) plus coefficient × power. */
export function effectAmount(min: number, max: number, roll: number, coefficient: number, power: number): number {
  return Math.round(min + Math.floor(roll * (max - min + 1)) + coefficient * power);
}

/** A weapon-less auto-attack's damage for attack power `ap` (`roll` in [0, 1)): at least 1. */
export function attackDamage(ap: number, roll: number): number {
  const min = ap * Formula.ATTACK_MIN;
  const max = ap * Formula.ATTACK_MAX;
  const d = Math.round(min + roll * (max - min));
  return d < 1 ? 1 : d;
}
