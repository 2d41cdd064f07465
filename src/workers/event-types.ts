/**
 * Event types of the cell's event channel (event-channel.ts): one number per
 * kind of action on an entity another cell may own. `source` is the acting
 * entity's handle; `a`, `b` and `c` are per type. Combat's hits travel as
 * these and are applied by the target's owner (src/workers/combat/damage.ts);
 * `b` of a hit is a HitInfo word (combat/hit-info.ts) and `c` the AOI tile
 * the source stood on (-1: unknown), for the combat log.
 */
export const EventType = {
  /** Threat on an NPC: a = amount, b = taunt ticks (0: none). Combat sends it with every hit, before the hit. */
  THREAT: 1,
  /** Kills the target outright (GM commands, tests, scripted events): no experience. a, b unused. */
  KILL: 2,
  /** An NPC's auto-attack landed on the target: a = rolled damage, b = HitInfo, c = source tile. Applied by combat like DAMAGE. */
  MELEE: 3,
  /** Damage: a = the attacker's amount (before the target's dodge and mitigation), b = HitInfo, c = source tile. */
  DAMAGE: 4,
  /** A heal: a = amount, b = HitInfo, c = source tile. */
  HEAL: 5,
  /** An aura from a skill's effect: a = amount per period (damage or heal over time; 0 for a buff or debuff), b = AuraInfo, c = source tile. */
  AURA: 6,
  /** Experience for a kill: a = the killer's share of the NPC's experience, b = the NPC's level. */
  EXPERIENCE: 7,
  /** Credit for a kill, for quests: the target shared in the kill of NPC `source` (of template a), whether or not it earned experience. */
  KILL_CREDIT: 30,
} as const;
