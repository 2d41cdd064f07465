/** Every close code, error code and notice code of the protocol has words for the player. */
import { describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode } from '../../../../src/protocol/errors.ts';
import { NoticeCode } from '../../../../src/protocol/notices.ts';
import { CLOSE_MESSAGES, ERROR_MESSAGES, NOTICE_MESSAGES, closeMessage, noticeMessage } from '../../../../web/client/src/net/messages.ts';

describe('what the player is told', () => {
  it('has a message for every close, error and notice code', () => {
    for (const [name, code] of Object.entries(CloseCode)) expect(CLOSE_MESSAGES[code]?.title, name).toBeTruthy();
    for (const [name, code] of Object.entries(ErrorCode)) expect(ERROR_MESSAGES[code], name).toBeTruthy();
    for (const [name, code] of Object.entries(NoticeCode)) {
      expect(NOTICE_MESSAGES[code]?.title, name).toBeTruthy();
      expect(noticeMessage({ code, message: 'The ground trembles' }).detail, name).toBeTruthy();
    }
    // A world event's announcement is the server's own text.
    expect(noticeMessage({ code: NoticeCode.WORLD_EVENT, message: 'The Barrow King has risen' }).detail).toBe('The Barrow King has risen');
  });

  it('says what the server said before closing, and covers a dropped connection', () => {
    expect(closeMessage(CloseCode.AUTH_FAILED, { code: ErrorCode.AUTH_FAILED, message: 'guests are not admitted' })).toMatchObject({
      title: 'Login refused',
      retry: false,
      detail: expect.stringContaining('guests are not admitted'),
    });
    expect(closeMessage(1006).title).toBe('Connection lost');
    expect(closeMessage(4999).detail).toContain('4999');
  });

  it("shows an operator's words: a kick's or a ban's reason, and an announcement's text", () => {
    expect(closeMessage(CloseCode.KICKED, undefined, 'spamming the square')).toMatchObject({ title: 'Removed by a moderator', detail: expect.stringContaining('Reason: spamming the square') });
    expect(closeMessage(CloseCode.BANNED, undefined, 'banned for good: botting')).toMatchObject({ retry: false, detail: expect.stringContaining('botting') });
    // Other codes never show a close reason.
    expect(closeMessage(CloseCode.IDLE_TIMEOUT, undefined, 'whatever').detail).not.toContain('whatever');
    expect(noticeMessage({ code: NoticeCode.ANNOUNCEMENT, message: 'Restart in 5 minutes' }).detail).toBe('Restart in 5 minutes');
    expect(noticeMessage({ code: NoticeCode.PORTAL_ZONE_FULL, message: 'x' }).detail).toBe(NOTICE_MESSAGES[NoticeCode.PORTAL_ZONE_FULL].detail);
  });
});
