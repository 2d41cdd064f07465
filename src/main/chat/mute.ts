/**
 * Who may not chat. An operator console mutes characters; the chat service
 * asks this before each message and tells a muted player until when.
 */
export interface MuteCheck {
  /** Until when (ms since the Unix epoch) character `characterId` is muted; 0, or a time passed, when it is not. Guests are character 0. */
  mutedUntil(characterId: number): number;
}

/** Nobody is muted: the default until an operator console provides its own. */
export const NOBODY_MUTED: MuteCheck = { mutedUntil: () => 0 };
