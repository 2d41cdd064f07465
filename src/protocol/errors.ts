/**
 * Every error code of the wire protocol, with the WebSocket close code the
 * gate answers it with. docs/protocol.md documents each one (a test checks).
 */
export const CloseCode = {
  /** Normal end (client or server logout). */
  NORMAL: 1000,
  /** Server shutting down. */
  GOING_AWAY: 1001,
  /** ws closes a frame that breaks RFC 6455 itself (unmasked, reserved bits or opcode, a control frame too long or fragmented). */
  WS_PROTOCOL_ERROR: 1002,
  /** ws closes a text frame that is not UTF-8 with this code. */
  INVALID_PAYLOAD: 1007,
  /** ws closes oversized frames itself with this code (maxPayload). */
  MESSAGE_TOO_BIG: 1009,
  PROTOCOL_ERROR: 4000,
  UNSUPPORTED_VERSION: 4001,
  HANDSHAKE_TIMEOUT: 4002,
  IDLE_TIMEOUT: 4003,
  RATE_LIMITED: 4004,
  SLOW_CONSUMER: 4005,
  SERVER_FULL: 4006,
  AUTH_FAILED: 4007,
  TAKEN_OVER: 4008,
  /** The character was deleted (account API) while it played. */
  CHARACTER_DELETED: 4010,
  /** The player's zone failed again after every restart; the character was saved. Reconnect later. */
  ZONE_DOWN: 4011,
  /** A service the login needs is down (database outage): retry shortly. */
  TRY_AGAIN_LATER: 1013,
  /** An operator closed the connection (the console's kick); the close reason says why. */
  KICKED: 4020,
  /** The account or address is banned (at the handshake, or when the ban is made while playing); the reason says why and until when. */
  BANNED: 4021,
  /** A RESUME whose token is unknown, already used or past its grace: log in afresh. */
  RESUME_REFUSED: 4030,
  /** Every session of the account was revoked (logout everywhere, a password change) while it played. */
  SESSION_REVOKED: 4031,
  /** The anti-cheat closed the connection: too many impossible actions within its window (ANTICHEAT_KICK_AT); the reason names the check. */
  CHEATING: 4040,
  /** The anti-cheat banned the account (a guest: its address) for a while (ANTICHEAT_BAN_AT, ANTICHEAT_BAN_MS); later logins get BANNED until it ends. */
  CHEAT_BANNED: 4041,
} as const;
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

export const ErrorCode = {
  /** Message shorter than its layout says. */
  TRUNCATED: 1,
  /** Bytes left over after a complete message. */
  TRAILING_BYTES: 2,
  /** Opcode 0 or not defined for this direction. */
  UNKNOWN_OPCODE: 3,
  /** A field out of its documented range. */
  BAD_VALUE: 4,
  /** A string that is not valid UTF-8 or is too long. */
  BAD_STRING: 5,
  /** Handshake version differs from the server's. */
  UNSUPPORTED_VERSION: 6,
  /** A message that is valid but not allowed in this state (input before hello). */
  UNEXPECTED_MESSAGE: 7,
  /** Text frame where binary is required. */
  NOT_BINARY: 8,
  /** Too many messages per second. */
  RATE_LIMITED: 9,
  /** Guest or token handshake refused. */
  AUTH_FAILED: 10,
  /** Every slot is taken. */
  SERVER_FULL: 11,
  /** The login cannot be served now (database down); try again. */
  UNAVAILABLE: 12,
  /** The player's zone failed and could not be restarted; the character was saved. */
  ZONE_DOWN: 13,
  /** A RESUME's token is unknown, already used, or its character's grace is over. */
  RESUME_REFUSED: 30,
} as const;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Close code the gate uses for each error code. */
export const closeCodeOf: Record<ErrorCodeValue, CloseCodeValue> = {
  [ErrorCode.TRUNCATED]: CloseCode.PROTOCOL_ERROR,
  [ErrorCode.TRAILING_BYTES]: CloseCode.PROTOCOL_ERROR,
  [ErrorCode.UNKNOWN_OPCODE]: CloseCode.PROTOCOL_ERROR,
  [ErrorCode.BAD_VALUE]: CloseCode.PROTOCOL_ERROR,
  [ErrorCode.BAD_STRING]: CloseCode.PROTOCOL_ERROR,
  [ErrorCode.UNSUPPORTED_VERSION]: CloseCode.UNSUPPORTED_VERSION,
  [ErrorCode.UNEXPECTED_MESSAGE]: CloseCode.PROTOCOL_ERROR,
  [ErrorCode.NOT_BINARY]: CloseCode.PROTOCOL_ERROR,
  [ErrorCode.RATE_LIMITED]: CloseCode.RATE_LIMITED,
  [ErrorCode.AUTH_FAILED]: CloseCode.AUTH_FAILED,
  [ErrorCode.SERVER_FULL]: CloseCode.SERVER_FULL,
  [ErrorCode.UNAVAILABLE]: CloseCode.TRY_AGAIN_LATER,
  [ErrorCode.ZONE_DOWN]: CloseCode.ZONE_DOWN,
  [ErrorCode.RESUME_REFUSED]: CloseCode.RESUME_REFUSED,
};

/** A typed protocol error: the only exception a decoder throws. */
export class ProtocolError extends Error {
  readonly code: ErrorCodeValue;
  readonly closeCode: CloseCodeValue;

  constructor(code: ErrorCodeValue, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.closeCode = closeCodeOf[code];
  }
}
