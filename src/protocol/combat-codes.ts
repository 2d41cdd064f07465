/**
 * The numbers of combat on the wire: what a client asks for (ACTION kinds),
 * why the server refuses it (ActionReason), and what a snapshot's events
 * section tells (CombatEvent and its details). docs/protocol.md documents
 * each value (a test checks); docs/game.md says what the rules are.
 */

/** ACTION kinds. */
export const ActionKind = {
  /** Select `target` (an entity handle; 0 clears the selection). */
  TARGET: 1,
  /** `skill` 1 starts auto-attacking (`target` when not 0, else the selected target), 0 stops. */
  ATTACK: 2,
  /** Use skill `skill` on `target` (0: the selected target, or oneself for a self or ally skill), or at (x, y) for a point skill. */
  SKILL: 3,
  /** Come back to life at the zone's spawn point (only when dead). */
  RESPAWN: 4,
} as const;
export type ActionKindValue = (typeof ActionKind)[keyof typeof ActionKind];

/**
 * Why an action was refused (REFUSED events) or a cast interrupted
 * (CAST_INTERRUPTED). 0 is never sent.
 */
export const ActionReason = {
  /** The skill is not the class's, or not learned at this level. */
  UNKNOWN_SKILL: 1,
  /** The skill is cooling down. */
  COOLDOWN: 2,
  /** Not enough mana, energy or rage. */
  NO_RESOURCE: 3,
  /** Already casting. */
  BUSY: 4,
  /** No target, or one that no longer exists or is out of sight. */
  NO_TARGET: 5,
  /** The target is dead. */
  TARGET_DEAD: 6,
  /** The target cannot be attacked: a friendly NPC, one evading home, or a player (no PvP in this zone). */
  NOT_ATTACKABLE: 7,
  /** The actor or the target stands in a safe area. */
  SAFE_AREA: 8,
  /** The target (or point) is out of the skill's range. */
  OUT_OF_RANGE: 9,
  /** A wall or water between the actor and its target. */
  NO_LINE_OF_SIGHT: 10,
  /** The actor is dead. */
  DEAD: 11,
  /** A respawn asked while alive. */
  NOT_DEAD: 12,
  /** The wrong kind of target for the skill (a heal on an enemy, a point skill without a point). */
  BAD_TARGET: 13,
  /** The caster moved (casts only). */
  MOVED: 14,
} as const;
export type ActionReasonValue = (typeof ActionReason)[keyof typeof ActionReason];
export const ACTION_REASON_COUNT = 15;

/** Event types of a snapshot's events section. */
export const CombatEvent = {
  /** `source` hit `target` for `amount` with `skill` (0: auto-attack); detail: HitFlags. */
  DAMAGE: 1,
  /** `source` healed `target` for `amount`; detail: HitFlags. */
  HEAL: 2,
  /** `source`'s attack missed `target`. */
  MISS: 3,
  /** `target` dodged `source`'s attack. */
  DODGE: 4,
  /** `target` died; `source` dealt the killing blow (0: none). */
  DEATH: 5,
  /** `source` started casting `skill` at `target` (0: a point or itself), taking `amount` ticks. */
  CAST_START: 6,
  /** `source`'s cast of `skill` stopped; detail: the ActionReason. */
  CAST_INTERRUPTED: 7,
  /** `target` reached level `amount`. */
  LEVEL_UP: 8,
  /** To the viewer only: it gained `amount` experience for `source`'s death. */
  EXPERIENCE: 9,
  /** To the viewer only: its action `amount` (the ACTION's seq) was refused; detail: the ActionReason; `skill` and `target` as asked. */
  REFUSED: 10,
  /** `target` came back to life. */
  RESPAWN: 11,
  /** `source`'s `skill` put an aura on `target` for `amount` ticks; detail: AuraKind. */
  AURA: 12,
  /** Dead `source` dropped `amount` of item template `skill` (0xFFFF: gold) for its killer `target` (0: anyone's at once). */
  LOOT: 13,
} as const;
export type CombatEventValue = (typeof CombatEvent)[keyof typeof CombatEvent];
export const COMBAT_EVENT_COUNT = 14;

/** DAMAGE and HEAL details. */
export const HitFlags = { CRIT: 1, PERIODIC: 2 } as const;
export const HIT_FLAGS_MASK = 3;

/** Kinds of aura (AURA events, the player's own auras). */
export const AuraKind = { BUFF: 1, DEBUFF: 2, DAMAGE_OVER_TIME: 3, HEAL_OVER_TIME: 4 } as const;
export const AURA_KIND_MAX = 4;

/** The class resource (the player's own state). */
export const Resource = { MANA: 0, ENERGY: 1, RAGE: 2 } as const;
export const RESOURCE_COUNT = 3;

/** True when `detail` is a valid detail for an event of `type`. */
export function validDetail(type: number, detail: number): boolean {
  switch (type) {
    case CombatEvent.DAMAGE:
    case CombatEvent.HEAL:
      return (detail & ~HIT_FLAGS_MASK) === 0;
    case CombatEvent.CAST_INTERRUPTED:
    case CombatEvent.REFUSED:
      return detail >= 1 && detail < ACTION_REASON_COUNT;
    case CombatEvent.AURA:
      return detail >= 1 && detail <= AURA_KIND_MAX;
    default:
      return detail === 0;
  }
}
