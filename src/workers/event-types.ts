/**
 * Event types of the cell's event channel (event-channel.ts): one number per
 * kind of action on an entity another cell may own. `source` is the acting
 * entity's handle; `a` and `b` are per type.
 */
export const EventType = {
  /** Threat on an NPC: a = amount, b = taunt ticks (0: none). Combat sends it with every hit and heal. */
  THREAT: 1,
  /** Kills the target outright (GM commands, tests, scripted events): a, b unused. */
  KILL: 2,
  /** An NPC's auto-attack landed on the target: a = rolled damage. Applied by the combat system. */
  MELEE: 3,
} as const;
