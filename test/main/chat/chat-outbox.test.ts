import { describe, expect, it } from 'vitest';
import { ChatOutbox } from '../../../src/main/chat/chat-outbox.ts';
import { ChatChannel } from '../../../src/protocol/chat-codes.ts';
import { encodeChatLine } from '../../../src/protocol/chat-lines.ts';
import { ClientView } from '../../../src/protocol/client-view.ts';
import { Limits } from '../../../src/protocol/opcodes.ts';
import { EventList } from '../../../src/protocol/snapshot-events.ts';
import { ViewTable } from '../../../src/protocol/view-table.ts';
import { snapshotFrameWith } from '../../protocol/arbitraries.ts';

function snapshot(tick: number): Buffer {
  const cur = new ViewTable(4);
  cur.tick = tick;
  // In a bigger buffer, at an offset, as frames sit in the ring.
  const f = snapshotFrameWith(tick, null, cur, new EventList(), null);
  const ring = Buffer.alloc(f.length + 20, 0xee);
  ring.set(f, 7);
  return ring;
}

describe('ChatOutbox', () => {
  it('puts waiting lines into the next snapshots, 8 at a time, in order, and shares nothing mutable', () => {
    const o = new ChatOutbox(64);
    const c = {};
    const other = {};
    for (let i = 0; i < 10; i++) o.push(c, encodeChatLine(ChatChannel.ZONE, 0, 0, 'a', `line ${i}`));
    const view = new ClientView();
    const src = snapshot(1);
    const len = src.length - 20;
    view.apply(o.frame(c, true, src, 7, 7 + len));
    expect(view.chat.toArray().map((l) => l.text)).toEqual(Array.from({ length: Limits.maxChatLinesPerRun }, (_, i) => `line ${i}`));
    const src2 = snapshot(2);
    view.apply(o.frame(c, true, src2, 7, 7 + len));
    expect(view.chat.toArray().map((l) => l.text)).toEqual(['line 8', 'line 9']);
    expect(o.waiting(c)).toBe(0);
    // Someone else's frame, and a non-snapshot frame, go as they are.
    expect([...o.frame(other, true, src2, 7, 7 + len)]).toEqual([...src2.subarray(7, 7 + len)]);
    o.push(c, encodeChatLine(ChatChannel.ZONE, 0, 0, 'a', 'later'));
    expect(o.frame(c, false, src2, 7, 7 + len).length).toBe(len);
    expect(o.waiting(c)).toBe(1);
  });

  it('past its bound drops the oldest lines and counts them', () => {
    let dropped = 0;
    const o = new ChatOutbox(8, (n) => (dropped += n));
    const c = {};
    for (let i = 0; i < 11; i++) o.push(c, encodeChatLine(ChatChannel.ZONE, 0, 0, 'a', `l${i}`));
    expect(dropped).toBe(3);
    const view = new ClientView();
    const src = snapshot(1);
    view.apply(o.frame(c, true, src, 7, src.length - 13));
    expect(view.chat.at(0).text).toBe('l3');
  });
});
