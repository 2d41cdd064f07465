import { ActionReason, type ActionReasonValue } from '../../../../src/protocol/combat-codes.ts';

/**
 * The short message the HUD shows when the server refuses an action
 * (REFUSED events) or a cast stops (CAST_INTERRUPTED), for every
 * ActionReason. A test checks each reason code of src/protocol has its words.
 */
export const REFUSAL_WORDS: Record<ActionReasonValue, string> = {
  [ActionReason.UNKNOWN_SKILL]: 'You do not know that skill',
  [ActionReason.COOLDOWN]: 'Not ready yet',
  [ActionReason.NO_RESOURCE]: 'Not enough {resource}',
  [ActionReason.BUSY]: 'Already casting',
  [ActionReason.NO_TARGET]: 'No target',
  [ActionReason.TARGET_DEAD]: 'Your target is dead',
  [ActionReason.NOT_ATTACKABLE]: 'You cannot attack that',
  [ActionReason.SAFE_AREA]: 'Not in a safe area',
  [ActionReason.OUT_OF_RANGE]: 'Out of range',
  [ActionReason.NO_LINE_OF_SIGHT]: 'Target not in line of sight',
  [ActionReason.DEAD]: 'You are dead',
  [ActionReason.NOT_DEAD]: 'You are not dead',
  [ActionReason.BAD_TARGET]: 'Invalid target',
  [ActionReason.MOVED]: 'Interrupted: you moved',
};

/** The words for `reason` (a resource name fills {resource}); a reason this client does not know still says something. */
export function refusalText(reason: number, resource = 'mana'): string {
  const w = (REFUSAL_WORDS as Record<number, string | undefined>)[reason];
  return w === undefined ? `Refused (${reason})` : w.replace('{resource}', resource);
}
