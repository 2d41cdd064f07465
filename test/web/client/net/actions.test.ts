/** ACTION numbering and resending (web/client/src/net/actions.ts). */
import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../../src/protocol/combat-codes.ts';
import { decodeClientMessage } from '../../../../src/protocol/decode.ts';
import { ActionSender, MAX_SENDS, RESEND_MS, seqNewer } from '../../../../web/client/src/net/actions.ts';

describe('ActionSender', () => {
  it('numbers actions, resends those the self record has not acknowledged after RESEND_MS, same seq, a few times at most', () => {
    const a = new ActionSender();
    const first = decodeClientMessage(a.next(ActionKind.TARGET, 9, 0, 0, 0, 0));
    expect(first).toMatchObject({ op: 'action', seq: 1, kind: ActionKind.TARGET, target: 9 });
    a.next(ActionKind.SKILL, 9, 1, 0, 0, 10);
    expect(a.due(RESEND_MS - 1)).toEqual([]);
    a.handled(1);
    const again = a.due(RESEND_MS + 10);
    expect(again.map((b) => decodeClientMessage(b))).toEqual([expect.objectContaining({ seq: 2, kind: ActionKind.SKILL, skill: 1 })]);
    for (let i = 2; i < MAX_SENDS; i++) expect(a.due(RESEND_MS * (i + 1) + 10)).toHaveLength(1);
    expect(a.due(RESEND_MS * 10)).toEqual([]);
    expect(a.waiting).toBe(0);
    expect(a.resent).toBe(MAX_SENDS - 1);
  });

  it('u16 seqs wrap; "handled" uses serial-number order', () => {
    expect(seqNewer(1, 0xffff)).toBe(true);
    expect(seqNewer(0xffff, 1)).toBe(false);
    expect(seqNewer(5, 5)).toBe(false);
    const a = new ActionSender();
    a.seq = 0xfffe;
    a.next(ActionKind.ATTACK, 0, 1, 0, 0, 0);
    a.next(ActionKind.ATTACK, 0, 0, 0, 0, 0);
    expect(a.seq).toBe(0);
    a.handled(0xffff);
    expect(a.waiting).toBe(1);
    a.handled(0);
    expect(a.waiting).toBe(0);
  });
});
