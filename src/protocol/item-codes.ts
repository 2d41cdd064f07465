/**
 * The numbers of items on the wire: why an item operation was refused
 * (ItemReason), where an item lies (Container) and the operations a client
 * asks for (ItemOp, the ITEM message). docs/protocol.md documents each value
 * (a test checks); docs/game.md says what the rules are.
 */

/** Why an item operation was refused. 0 is never sent. */
/** The template number a ground item of gold shows, and a LOOT event's item for gold (items are 1…65534). */
export const GOLD_TEMPLATE = 0xffff;

export const ItemReason = {
  /** No free bag slot (or not room for the whole stack). */
  BAG_FULL: 1,
  /** The item does not go in that slot (equipment slot of another kind, a bag slot out of range). */
  WRONG_SLOT: 2,
  /** The item changed since the client saw it (its version differs): look again. */
  VERSION_CONFLICT: 3,
  /** The item is not the player's (another's, or on the ground). */
  NOT_YOURS: 4,
  /** No such item (never was, or already gone). */
  NO_SUCH_ITEM: 5,
  /** A count of 0, more than the stack holds, or more than the template's stack size. */
  BAD_COUNT: 6,
  /** The two items do not stack (other templates, or a full stack). */
  NOT_STACKABLE: 7,
  /** The item cannot be used (not a consumable) or equipped (not equipment). */
  NOT_USABLE: 8,
  /** The character's level is below the item's. */
  LEVEL_TOO_LOW: 9,
  /** The item is not for the character's class. */
  WRONG_CLASS: 10,
  /** Not enough gold. */
  NOT_ENOUGH_GOLD: 11,
  /** A two-handed weapon and a main- or off-hand item cannot be worn together. */
  SLOT_BLOCKED: 12,
  /** A ground item out of pick-up range. */
  OUT_OF_RANGE: 13,
  /** A ground item still reserved for its killer (the ownership window). */
  NOT_YET_YOURS: 14,
  /** Another player took the ground item first. */
  ALREADY_TAKEN: 15,
  /** The database is down or the move could not be saved: nothing changed, try again. */
  UNAVAILABLE: 16,
  /** The player has no character to keep items (a guest). */
  NO_CHARACTER: 17,
  /** The player is dead. */
  DEAD: 18,
  /** The item's use is still cooling down (its template's use.cooldownMs since the last use of the same skill). */
  ON_COOLDOWN: 19,
} as const;
export type ItemReasonValue = (typeof ItemReason)[keyof typeof ItemReason];
export const ITEM_REASON_COUNT = 20;
/** Metric and log labels of ItemReason, by code (0: ok). */
export const ITEM_REASON_NAMES: readonly string[] = [
  'ok', 'bag_full', 'wrong_slot', 'version_conflict', 'not_yours', 'no_such_item', 'bad_count', 'not_stackable', 'not_usable', 'level_too_low',
  'wrong_class', 'not_enough_gold', 'slot_blocked', 'out_of_range', 'not_yet_yours', 'already_taken', 'unavailable', 'no_character', 'dead', 'on_cooldown',
];

/** Where an item lies. */
export const Container = { BAG: 1, EQUIPMENT: 2, GROUND: 3 } as const;
export type ContainerValue = (typeof Container)[keyof typeof Container];
export type ContainerName = 'bag' | 'equipment' | 'ground';
export const CONTAINER_NAMES: readonly ContainerName[] = ['bag', 'bag', 'equipment', 'ground'];

/** Bag slots per character (0 … BAG_SLOTS-1). */
export const BAG_SLOTS = 24;

/** What an ITEM message asks (its `itemOp`). */
export const ItemOp = {
  /** Pick up ground item `item` (an entity handle). */
  PICKUP: 1,
  /** Use bag item `item` (a consumable). */
  USE: 2,
  /** Equip bag item `item` in its template's equipment slot (swapping what is there). */
  EQUIP: 3,
  /** Unequip `item` into bag slot `slot` (0xFFFF: the first free one). */
  UNEQUIP: 4,
  /** Move bag item `item` to bag slot `slot` (merging onto a stack of the same item, or swapping). */
  MOVE: 5,
  /** Take `count` off bag stack `item` into the empty bag slot `slot`. */
  SPLIT: 6,
  /** Drop `item` on the ground at the player's feet. */
  DROP: 7,
  /** Destroy `count` of `item`. */
  DESTROY: 8,
  /** Move as much of bag stack `item` as fits onto bag stack `other`. */
  MERGE: 9,
} as const;
export type ItemOpValue = (typeof ItemOp)[keyof typeof ItemOp];
export const ITEM_OP_MAX = 9;
/** Metric labels of ItemOp, by code. */
export const ITEM_OP_NAMES: readonly string[] = ['', 'pickup', 'use', 'equip', 'unequip', 'move', 'split', 'drop', 'destroy', 'merge'];
/** UNEQUIP's `slot` for "the first free bag slot". */
export const ANY_SLOT = 0xffff;
