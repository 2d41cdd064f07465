/**
 * The numbers of chat on the wire: the channels a CHAT message names and a
 * chat line is on, and why the server refuses a message (ChatReason, told to
 * the sender as an INFO line). docs/protocol.md documents each value (a test
 * checks); docs/game.md says what the rules are.
 */

/** Channels. A client sends SAY, ZONE or WHISPER; the others only come from the server. */
export const ChatChannel = {
  /** Heard by the players whose area of interest holds the speaker (its 3×3 AOI tiles), across cell borders. */
  SAY: 1,
  /** Heard by everyone in the speaker's zone. */
  ZONE: 2,
  /** To one online character by name, in any zone; a received line names the sender. */
  WHISPER: 3,
  /** The sender's copy of its own whisper: the line names the receiver. Server only. */
  WHISPER_SENT: 4,
  /** An announcement (world events, operators). Server only. */
  SYSTEM: 5,
  /** What only this player is told about its own chat: a refusal (`code`: the ChatReason) or information. Server only. */
  INFO: 6,
} as const;
export type ChatChannelValue = (typeof ChatChannel)[keyof typeof ChatChannel];
/** One past the largest channel. */
export const CHAT_CHANNEL_COUNT = 7;

/** Why a chat message was refused (INFO lines' `code`). 0 is never sent. */
export const ChatReason = {
  /** Longer than the server allows (CHAT_MAX_BYTES bytes or CHAT_MAX_CHARS characters). */
  TOO_LONG: 1,
  /** Nothing but white space. */
  EMPTY: 2,
  /** Holds a control character, a bidirectional override or isolate, or another invisible format character. */
  FORBIDDEN_CHARACTERS: 3,
  /** More messages than the per-player rate allows (CHAT_RATE, with bursts of CHAT_BURST). */
  RATE_LIMITED: 4,
  /** The same message again, more times in a row than CHAT_REPEAT_LIMIT within CHAT_REPEAT_WINDOW_MS. */
  REPEATED: 5,
  /** The player is muted; the line says for how long. */
  MUTED: 6,
  /** A whisper to a character that is not online (or does not exist). */
  NOT_ONLINE: 7,
  /** The message could not be passed on now (the player is between zones, or its cell is overloaded); send it again. */
  UNAVAILABLE: 8,
} as const;
export type ChatReasonValue = (typeof ChatReason)[keyof typeof ChatReason];
/** One past the largest reason. */
export const CHAT_REASON_COUNT = 9;

/** Metric and log labels of the reasons, by code (index 0 unused). */
export const CHAT_REASON_NAMES: readonly string[] = ['', 'too_long', 'empty', 'forbidden_characters', 'rate_limited', 'repeated', 'muted', 'not_online', 'unavailable'];
/** Metric and log labels of the channels, by code (index 0 unused). */
export const CHAT_CHANNEL_NAMES: readonly string[] = ['', 'say', 'zone', 'whisper', 'whisper_sent', 'system', 'info'];
