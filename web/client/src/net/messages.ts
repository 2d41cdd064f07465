import { CloseCode, ErrorCode, type CloseCodeValue, type ErrorCodeValue } from '../../../../src/protocol/errors.ts';
import { NoticeCode, type NoticeCodeValue } from '../../../../src/protocol/notices.ts';

/**
 * What the player is told for every way a connection ends (docs/protocol.md,
 * "Close codes") and every NOTICE. A test checks that each close code, error
 * code and notice code of src/protocol has its words here.
 */
export interface Told {
  title: string;
  detail: string;
  /** Whether connecting again right away may help (the HUD offers it first). */
  retry: boolean;
}

/** Close codes of the WebSocket layer that are not the protocol's own. */
export const SocketClose = {
  /** The connection dropped without a close frame (network, server killed). */
  ABNORMAL: 1006,
  /** Server error. */
  INTERNAL: 1011,
} as const;

export const CLOSE_MESSAGES: Record<CloseCodeValue, Told> = {
  [CloseCode.NORMAL]: { title: 'Disconnected', detail: 'You left the world.', retry: true },
  [CloseCode.GOING_AWAY]: { title: 'The server is restarting', detail: 'The world is shutting down for now; your character was saved. Try again in a minute.', retry: true },
  [CloseCode.WS_PROTOCOL_ERROR]: { title: 'Connection error', detail: 'The connection broke the WebSocket rules and was closed. Reload the page to get the current client.', retry: true },
  [CloseCode.INVALID_PAYLOAD]: { title: 'Connection error', detail: 'The client sent data the server could not read and was disconnected. Reload the page to get the current client.', retry: true },
  [CloseCode.MESSAGE_TOO_BIG]: { title: 'Connection refused', detail: 'The client sent a message larger than the server accepts. Reload the page to get the current client.', retry: true },
  [CloseCode.TRY_AGAIN_LATER]: { title: 'Login unavailable', detail: 'A service the login needs is down for a moment. Try again shortly.', retry: true },
  [CloseCode.PROTOCOL_ERROR]: { title: 'Connection error', detail: 'The client and the server did not understand each other. Reload the page to get the current client.', retry: true },
  [CloseCode.UNSUPPORTED_VERSION]: { title: 'Client out of date', detail: 'The server speaks a newer protocol. Reload the page to get the current client.', retry: false },
  [CloseCode.HANDSHAKE_TIMEOUT]: { title: 'Connection timed out', detail: 'The login did not finish in time. Check your connection and try again.', retry: true },
  [CloseCode.IDLE_TIMEOUT]: { title: 'Disconnected for inactivity', detail: 'Nothing was heard from this client for too long.', retry: true },
  [CloseCode.RATE_LIMITED]: { title: 'Too many messages', detail: 'The client sent more than the server allows per second and was disconnected.', retry: true },
  [CloseCode.SLOW_CONSUMER]: { title: 'Connection too slow', detail: 'Your connection could not keep up with the world. Check your network and try again.', retry: true },
  [CloseCode.SERVER_FULL]: { title: 'The world is full', detail: 'There is no room on the server right now. Try again in a little while.', retry: true },
  [CloseCode.AUTH_FAILED]: { title: 'Login refused', detail: 'The server did not accept this login: your session may have expired, or guests are not allowed. Log in again on the account page.', retry: false },
  [CloseCode.TAKEN_OVER]: { title: 'Playing elsewhere', detail: 'This character logged in on another connection (another tab or device).', retry: false },
  [CloseCode.CHARACTER_DELETED]: { title: 'Character deleted', detail: 'This character was deleted on the account page while you played.', retry: false },
  [CloseCode.ZONE_DOWN]: { title: 'This zone is down', detail: 'The zone failed and could not be restarted; your character was saved. Try again later.', retry: true },
  [CloseCode.SESSION_REVOKED]: { title: 'Logged out', detail: 'This account was logged out everywhere, or its password changed. Log in again on the account page.', retry: false },
  [CloseCode.RESUME_REFUSED]: { title: 'Could not resume', detail: 'Your character had already left the world (the wait for your return ran out). Log in again.', retry: true },
  [CloseCode.KICKED]: { title: 'Removed by a moderator', detail: 'A moderator closed your connection; your character was saved.', retry: true },
  [CloseCode.BANNED]: { title: 'Banned', detail: 'This account or address is banned from the server.', retry: false },
  [CloseCode.CHEATING]: { title: 'Disconnected by the anti-cheat', detail: 'The server refused too many impossible actions from this client; your character was saved.', retry: true },
  [CloseCode.CHEAT_BANNED]: { title: 'Banned for a while', detail: 'The server refused too many impossible actions from this client and banned it for a while.', retry: false },
};

/** Close codes whose close reason is an operator's words, shown to the player. */
const REASON_SHOWN: ReadonlySet<number> = new Set([CloseCode.KICKED, CloseCode.BANNED, CloseCode.CHEATING, CloseCode.CHEAT_BANNED]);

export const ERROR_MESSAGES: Record<ErrorCodeValue, string> = {
  [ErrorCode.TRUNCATED]: 'a message was cut short',
  [ErrorCode.TRAILING_BYTES]: 'a message was longer than its layout',
  [ErrorCode.UNKNOWN_OPCODE]: 'an unknown message',
  [ErrorCode.BAD_VALUE]: 'a value out of range',
  [ErrorCode.BAD_STRING]: 'a malformed or too long text',
  [ErrorCode.UNSUPPORTED_VERSION]: 'another protocol version',
  [ErrorCode.UNEXPECTED_MESSAGE]: 'a message out of turn',
  [ErrorCode.NOT_BINARY]: 'a text frame',
  [ErrorCode.RATE_LIMITED]: 'too many messages',
  [ErrorCode.AUTH_FAILED]: 'login refused',
  [ErrorCode.SERVER_FULL]: 'no room',
  [ErrorCode.UNAVAILABLE]: 'a service is down',
  [ErrorCode.ZONE_DOWN]: 'the zone is down',
  [ErrorCode.RESUME_REFUSED]: 'resume refused',
};

export const NOTICE_MESSAGES: Record<NoticeCodeValue, Told> = {
  [NoticeCode.CONTENT_STALE]: { title: 'New world content', detail: 'The server runs newer maps than this page loaded. Reload when convenient.', retry: false },
  [NoticeCode.PORTAL_ZONE_FULL]: { title: 'The way is crowded', detail: 'The zone beyond this portal is full. Try again in a little while.', retry: false },
  [NoticeCode.PORTAL_ZONE_DOWN]: { title: 'The way is closed', detail: 'The zone beyond this portal is down right now.', retry: false },
  [NoticeCode.PORTAL_UNAVAILABLE]: { title: 'The way leads nowhere', detail: 'This portal leads to a place this server does not run.', retry: false },
  [NoticeCode.ANNOUNCEMENT]: { title: 'Announcement', detail: 'A message from the server operators.', retry: false },
  [NoticeCode.WORLD_EVENT]: { title: 'World event', detail: '', retry: false },
  [NoticeCode.CHEAT_WARNING]: { title: 'Warning', detail: 'The server refused several impossible actions from this client. More will disconnect it.', retry: false },
};

/** What to show for a NOTICE: its fixed words, or the server's own text where the code carries one (an operator's announcement, a world event's). */
export function noticeMessage(n: { code: NoticeCodeValue; message: string }): Told {
  const t = NOTICE_MESSAGES[n.code];
  return (n.code === NoticeCode.ANNOUNCEMENT || n.code === NoticeCode.WORLD_EVENT) && n.message ? { ...t, detail: n.message } : t;
}

/** What to tell the player for a close with `code`, the server's ERROR before it if any, and the close reason (shown for a kick or a ban). */
export function closeMessage(code: number, error?: { code: ErrorCodeValue; message: string }, reason = ''): Told {
  const known = (CLOSE_MESSAGES as Record<number, Told | undefined>)[code];
  const base: Told =
    known ??
    (code === SocketClose.ABNORMAL
      ? { title: 'Connection lost', detail: 'The connection to the server dropped. Check your network and try again.', retry: true }
      : code === SocketClose.INTERNAL
        ? { title: 'Server error', detail: 'The server ran into a problem with this connection. Try again.', retry: true }
        : { title: 'Disconnected', detail: `The connection closed (code ${code}).`, retry: true });
  if (REASON_SHOWN.has(code) && reason) return { ...base, detail: `${base.detail} Reason: ${reason}` };
  if (!error) return base;
  return { ...base, detail: `${base.detail} (${ERROR_MESSAGES[error.code]}${error.message ? `: ${error.message}` : ''})` };
}
