import { describe, expect, it } from 'vitest';
import { FrameScratch } from '../../../src/main/gate/frame-scratch.ts';

describe('FrameScratch', () => {
  it('hands out the front of one slab, frame after frame, until a socket keeps one', () => {
    const s = new FrameScratch(1024);
    const a = s.take(100);
    const b = s.take(1024);
    expect(a.length).toBe(100);
    expect(b.length).toBe(1024);
    expect(b.buffer).toBe(a.buffer);
    expect(b.byteOffset).toBe(a.byteOffset);
    s.keptBySocket(b);
    expect(s.handedOver).toBe(1);
    const c = s.take(10);
    // The kept frame's bytes are the socket's now: writing the next frame leaves them alone.
    expect(c.buffer).not.toBe(b.buffer);
    b.fill(7);
    c.fill(9);
    expect(b.every((x) => x === 7)).toBe(true);
  });

  it('gives a frame bigger than a slab bytes of its own, and keeping that one does not retire the slab', () => {
    const s = new FrameScratch(1024);
    const slab = s.take(1).buffer;
    const big = s.take(1025);
    expect(big.length).toBe(1025);
    expect(big.buffer).not.toBe(slab);
    s.keptBySocket(big);
    expect(s.handedOver).toBe(0);
    expect(s.take(1).buffer).toBe(slab);
  });
});
