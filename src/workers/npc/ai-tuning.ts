/** The NPC AI's timings and distances (brain.ts): one place to tune how NPCs behave. */

/** Seconds an NPC takes to react to a player it noticed. */
export const REACTION_S = 0.3;
/** Seconds a corpse lies before it is hidden (at most half the respawn time). */
export const CORPSE_S = 10;
/** Pause between wander legs, seconds [min, min + spread). */
export const WANDER_PAUSE_S = 2;
export const WANDER_PAUSE_SPREAD_S = 5;
/** Pause at each patrol point. */
export const PATROL_PAUSE_S = 1;
/** Roaming radius of a wanderer without an area or wanderRadius. */
export const DEFAULT_WANDER_RADIUS = 4;
/** Share of maximum health regenerated per second while evading. */
export const EVADE_REGEN = 0.2;
/** Re-plan a chase when the target strayed this far from the planned goal (tiles). */
export const REPLAN_DISTANCE = 1.5;
/** Attack range slack before an attacker starts chasing again. */
export const RANGE_SLACK = 1.2;

/** Aggressive NPCs look for players once every this many ticks (staggered by slot). */
export const SCAN_EVERY = 4;
