/**
 * Reusable bytes for the gate's copies of outgoing frames.
 *
 * The gate copies every frame out of its cell's ring (the ring's memory is
 * reused) and writes the copy to the client's socket, which on a healthy
 * connection hands it whole to the kernel before `write` returns. A fresh
 * Buffer per frame made about 30,000 small allocations a second at 1,500
 * players: Node's 8 KB pool slabs, malloc'd, kept as external memory until a
 * scavenge finds them dead. Here one slab of bytes serves frame after frame;
 * only when a socket keeps a frame (its write queued, ws's sender busy) is
 * the slab left to that socket and a new one taken.
 */

/** Bytes of one slab: room for the frames of a crowded view many times over; a bigger frame gets bytes of its own. */
export const SCRATCH_BYTES = 64 * 1024;

export class FrameScratch {
  private slab: Buffer;
  private readonly bytes: number;
  /** Slabs left to sockets that kept a frame. */
  handedOver = 0;

  constructor(bytes = SCRATCH_BYTES) {
    this.bytes = bytes;
    this.slab = Buffer.allocUnsafeSlow(bytes);
  }

  /**
   * `n` bytes to build a frame in: the front of the slab, valid until the
   * next take(), or a buffer of their own when a frame is bigger than a slab.
   */
  take(n: number): Buffer {
    return n <= this.bytes ? this.slab.subarray(0, n) : Buffer.allocUnsafe(n);
  }

  /**
   * After `buf` (the last take()) was sent but is still referenced by the
   * socket: the slab is the socket's until it writes it, so the next frame
   * starts on a new one.
   */
  keptBySocket(buf: Buffer): void {
    if (buf.buffer !== this.slab.buffer) return;
    this.slab = Buffer.allocUnsafeSlow(this.bytes);
    this.handedOver++;
  }
}
