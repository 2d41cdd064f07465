/**
 * Entity kinds and flags as the wire carries them (docs/protocol.md,
 * "Replicated fields"; src/shared/layout.ts, which the browser does not
 * import: it holds the server's memory layouts). A test checks they agree.
 */
export const EntityKindValues = { PLAYER: 1, NPC: 2, ITEM: 3, CORPSE: 4 } as const;
export const EntityFlagValues = { MOVING: 1, DEAD: 2, IN_COMBAT: 4, EVADING: 8 } as const;
