import { afterEach, describe, expect, it, vi } from 'vitest';
import * as ws from 'ws';
import { WebSocketServer } from 'ws';
import { wsHeaderBytes } from '../../../src/protocol/ws-header.ts';
import { directSocketOf, framedBytes, FrameSent, MAX_HEADER_BYTES, sendBinaryFrame, sendBinaryMessage, writeBinaryHeader } from '../../../src/main/gate/ws-frame.ts';
import { openWsPair, type WsPair } from './fixtures/ws-pair.ts';

/** ws's own framing (exported at run time, not in its types): the reference for the headers. */
const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, o: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }): Buffer[] };
};

/** Payload lengths at and around the edges of the 7-, 16- and 64-bit length forms. */
const LENGTHS = [0, 1, 125, 126, 127, 65535, 65536, 70000];

function payload(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

/** `p` behind MAX_HEADER_BYTES of headroom, as the gate copies a frame out of the ring. */
function withHeadroom(p: Buffer): Buffer {
  const b = Buffer.alloc(MAX_HEADER_BYTES + p.length, 0xee);
  p.copy(b, MAX_HEADER_BYTES);
  return b;
}

function messagesOf(pair: WsPair): Buffer[] {
  return pair.seen.flatMap((s) => (s.kind === 'message' ? [s.bytes] : []));
}

describe('writeBinaryHeader', () => {
  it.each(LENGTHS)('writes the header ws itself writes for a %i-byte binary frame, ending where the payload starts', (n) => {
    const [wsHeader] = Sender.frame(Buffer.alloc(n), { fin: true, opcode: 2, mask: false, readOnly: false, rsv1: false });
    const buf = Buffer.alloc(MAX_HEADER_BYTES, 0xee);
    const at = writeBinaryHeader(buf, MAX_HEADER_BYTES, n);
    expect(wsHeaderBytes(n)).toBe(wsHeader.length);
    expect(at).toBe(MAX_HEADER_BYTES - wsHeader.length);
    expect([...buf.subarray(at)]).toEqual([...wsHeader]);
    // Nothing before the header is touched.
    expect([...buf.subarray(0, at)].every((b) => b === 0xee)).toBe(true);
  });

  it('spells out the three length forms', () => {
    const at = (n: number): number[] => {
      const buf = Buffer.alloc(MAX_HEADER_BYTES);
      return [...buf.subarray(writeBinaryHeader(buf, MAX_HEADER_BYTES, n))];
    };
    expect(at(125)).toEqual([0x82, 125]);
    expect(at(126)).toEqual([0x82, 126, 0, 126]);
    expect(at(65535)).toEqual([0x82, 126, 0xff, 0xff]);
    expect(at(65536)).toEqual([0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(at(70000)).toEqual([0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70]);
    expect(at(2 ** 32 + 5)).toEqual([0x82, 127, 0, 0, 0, 1, 0, 0, 0, 5]);
  });

  it('refuses a header that does not fit before the payload', () => {
    expect(() => writeBinaryHeader(Buffer.alloc(12), 3, 200)).toThrow(RangeError);
  });
});

describe('sendBinaryFrame and sendBinaryMessage over a real socket', () => {
  let pair: WsPair | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });

  it('writes each frame directly on the gate socket server and a ws client decodes every length form', async () => {
    pair = await openWsPair();
    expect(directSocketOf(pair.server)).toBe(pair.socket);
    const sent = LENGTHS.map((n, i) => payload(n, i));
    for (const p of sent) expect(sendBinaryFrame(pair.server, withHeadroom(p), MAX_HEADER_BYTES)).not.toBe(FrameSent.WS);
    for (const p of sent) expect(sendBinaryMessage(pair.server, p)).toBe(true);
    await pair.waitFor(2 * sent.length);
    const got = messagesOf(pair);
    expect(got.map((b) => b.length)).toEqual([...LENGTHS, ...LENGTHS]);
    got.forEach((b, i) => expect(b.equals(sent[i % sent.length])).toBe(true));
    expect(pair.seen.every((s) => s.kind === 'message' && s.binary)).toBe(true);
  });

  it('says WRITTEN while the kernel takes each frame whole and QUEUED once the socket holds one', async () => {
    pair = await openWsPair();
    pair.client.pause();
    const results: number[] = [];
    for (let i = 0; i < 400 && !results.includes(FrameSent.QUEUED); i++) {
      results.push(sendBinaryFrame(pair.server, withHeadroom(payload(60_000, i)), MAX_HEADER_BYTES));
      // WRITTEN exactly when nothing is left in the socket's queue.
      expect(results[i] === FrameSent.WRITTEN).toBe(pair.socket.writableLength === 0);
    }
    expect(results[0]).toBe(FrameSent.WRITTEN);
    expect(results.at(-1)).toBe(FrameSent.QUEUED);
    pair.client.resume();
    await pair.waitFor(results.length);
  });

  it('writes the messages before a frame into its headroom, all in one socket write, in order, for every length form', async () => {
    pair = await openWsPair();
    const writes = vi.spyOn(pair.socket, 'write');
    const before = [payload(3, 1), payload(125, 2), payload(126, 3), payload(65536, 4)];
    expect(framedBytes(before)).toBe(2 + 3 + 2 + 125 + 4 + 126 + 10 + 65536);
    const sent: Buffer[] = [];
    for (const [i, n] of [0, 125, 300, 70000].entries()) {
      const p = payload(n, 10 + i);
      const lead = before.slice(0, i + 1);
      const buf = Buffer.alloc(framedBytes(lead) + MAX_HEADER_BYTES + n, 0xee);
      p.copy(buf, framedBytes(lead) + MAX_HEADER_BYTES);
      expect(sendBinaryFrame(pair.server, buf, framedBytes(lead) + MAX_HEADER_BYTES, lead)).not.toBe(FrameSent.WS);
      sent.push(...lead, p);
    }
    expect(writes).toHaveBeenCalledTimes(4);
    await pair.waitFor(sent.length);
    const got = messagesOf(pair);
    expect(got.map((b) => b.length)).toEqual(sent.map((b) => b.length));
    got.forEach((b, i) => expect(b.equals(sent[i])).toBe(true));
  });

  it('sends the messages before a frame through ws.send, in order, when the headroom cannot hold them or ws must frame', async () => {
    pair = await openWsPair();
    const lead = [payload(20, 1), payload(200, 2)];
    const p = payload(50, 3);
    // Room for the frame's header but not for the messages' frames.
    const short = withHeadroom(p);
    expect(sendBinaryFrame(pair.server, short, MAX_HEADER_BYTES, lead)).toBe(FrameSent.WS);
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: { threshold: 0 } });
    const deflating = await openWsPair(wss);
    try {
      const roomy = Buffer.alloc(framedBytes(lead) + MAX_HEADER_BYTES + p.length);
      p.copy(roomy, framedBytes(lead) + MAX_HEADER_BYTES);
      expect(sendBinaryFrame(deflating.server, roomy, framedBytes(lead) + MAX_HEADER_BYTES, lead)).toBe(FrameSent.WS);
      await Promise.all([pair.waitFor(3), deflating.waitFor(3)]);
      for (const got of [messagesOf(pair), messagesOf(deflating)]) {
        expect(got.map((b) => b.length)).toEqual([20, 200, 50]);
        [...lead, p].forEach((b, i) => expect(got[i].equals(b)).toBe(true));
      }
    } finally {
      await deflating.close();
    }
  });

  it('a frame whose headroom is shorter than its header goes through ws.send, whole', async () => {
    pair = await openWsPair();
    const p = payload(300, 9);
    const buf = Buffer.concat([Buffer.alloc(2), p]);
    expect(sendBinaryFrame(pair.server, buf, 2)).toBe(FrameSent.WS);
    await pair.waitFor(1);
    expect(messagesOf(pair)[0].equals(p)).toBe(true);
  });

  it('interleaves whole with ws\'s own pings and sends, in order', async () => {
    pair = await openWsPair();
    const a = payload(70000, 1);
    const b = payload(200, 2);
    const c = payload(126, 3);
    expect(sendBinaryFrame(pair.server, withHeadroom(a), MAX_HEADER_BYTES)).not.toBe(FrameSent.WS);
    pair.server.ping();
    pair.server.send(b, { binary: true });
    expect(sendBinaryMessage(pair.server, c)).toBe(true);
    pair.server.ping();
    expect(sendBinaryFrame(pair.server, withHeadroom(b), MAX_HEADER_BYTES)).not.toBe(FrameSent.WS);
    await pair.waitFor(6);
    expect(pair.seen.map((s) => (s.kind === 'ping' ? 'ping' : s.bytes.length))).toEqual([70000, 'ping', 200, 126, 'ping', 200]);
  });

  it('falls back to ws.send, behind it, while ws\'s sender is busy with a queued message', async () => {
    pair = await openWsPair();
    const blob = payload(50, 4);
    const after = payload(130, 5);
    // A Blob is read asynchronously: ws's sender queues what comes after it until it is written.
    pair.server.send(new Blob([blob]));
    expect(directSocketOf(pair.server)).toBeNull();
    expect(sendBinaryFrame(pair.server, withHeadroom(after), MAX_HEADER_BYTES)).toBe(FrameSent.WS);
    expect(sendBinaryMessage(pair.server, after)).toBe(false);
    await pair.waitFor(3);
    expect(messagesOf(pair).map((b) => b.length)).toEqual([50, 130, 130]);
    expect(directSocketOf(pair.server)).toBe(pair.socket);
  });

  it('falls back to ws.send when permessage-deflate is negotiated, and the client still gets every frame', async () => {
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: { threshold: 0 } });
    pair = await openWsPair(wss);
    expect(pair.server.extensions).toContain('permessage-deflate');
    expect(directSocketOf(pair.server)).toBeNull();
    const sent = [1, 200, 70000].map((n, i) => payload(n, i));
    for (const p of sent) expect(sendBinaryFrame(pair.server, withHeadroom(p), MAX_HEADER_BYTES)).toBe(FrameSent.WS);
    expect(sendBinaryMessage(pair.server, sent[1])).toBe(false);
    await pair.waitFor(4);
    const got = messagesOf(pair);
    [...sent, sent[1]].forEach((p, i) => expect(got[i].equals(p)).toBe(true));
  });

  it('takes the direct path when the client offers deflate but the gate\'s server declines it', async () => {
    pair = await openWsPair(undefined, { perMessageDeflate: true });
    expect(pair.server.extensions).toBe('');
    expect(directSocketOf(pair.server)).toBe(pair.socket);
  });

  it('falls back once the socket is closing', async () => {
    pair = await openWsPair();
    pair.server.close(1000);
    expect(directSocketOf(pair.server)).toBeNull();
    expect(sendBinaryFrame(pair.server, withHeadroom(payload(10, 0)), MAX_HEADER_BYTES)).toBe(FrameSent.WS);
  });

  it('counts a direct frame in bufferedAmount exactly as ws.send\'s frame, until the socket takes it', async () => {
    pair = await openWsPair();
    const p = payload(300, 6);
    // Corked, the socket keeps every byte written: what each path adds is all of its frame.
    pair.socket.cork();
    const before = pair.server.bufferedAmount;
    pair.server.send(p, { binary: true });
    const bySend = pair.server.bufferedAmount - before;
    sendBinaryFrame(pair.server, withHeadroom(p), MAX_HEADER_BYTES);
    const byDirect = pair.server.bufferedAmount - before - bySend;
    sendBinaryMessage(pair.server, p);
    const byMessage = pair.server.bufferedAmount - before - bySend - byDirect;
    expect(bySend).toBe(4 + 300);
    expect(byDirect).toBe(bySend);
    expect(byMessage).toBe(bySend);
    pair.socket.uncork();
    await pair.waitFor(3);
    expect(pair.server.bufferedAmount).toBe(0);
  });
});
