import type { Ring } from './ring.ts';

/**
 * Where a message writer puts a message: a Ring (reserve returns -1 when it
 * is full, so the message is dropped and counted) or a ReliableRing (reserve
 * never fails). Writers fill `bytes`/`view` at the returned offset and commit.
 */
export interface MessageSink {
  reserve(maxLength: number): number;
  commit(length: number): void;
  readonly view: DataView;
  readonly bytes: Uint8Array;
}

const PREFIX = 4;

/**
 * The must-deliver front of one ring (one producer, one destination):
 * messages go straight into the ring while it has room and nothing waits;
 * otherwise they wait, in order, in a local queue that later flushes move
 * into the ring as it drains. Nothing is dropped and order is kept: a
 * message never overtakes one that waits. Allocates only when the queue
 * grows past its largest size so far.
 */
export class ReliableRing implements MessageSink {
  readonly ring: Ring;
  /** Where the open reservation is being written: the ring's bytes or the queue's. */
  bytes: Uint8Array;
  view: DataView;
  private queue: Uint8Array;
  private queueView: DataView;
  private head = 0;
  private tail = 0;
  private reservedInQueue = -1;
  /** Messages waiting in the queue. */
  waiting = 0;
  /** Messages that ever had to wait. */
  queuedTotal = 0;

  constructor(ring: Ring, initialQueueBytes = 4096) {
    this.ring = ring;
    this.bytes = ring.bytes;
    this.view = ring.view;
    this.queue = new Uint8Array(initialQueueBytes);
    this.queueView = new DataView(this.queue.buffer);
  }

  /** Room for a message of up to `maxLength` bytes; never -1. */
  reserve(maxLength: number): number {
    if (this.waiting === 0) {
      const at = this.ring.reserve(maxLength);
      if (at >= 0) {
        this.bytes = this.ring.bytes;
        this.view = this.ring.view;
        this.reservedInQueue = -1;
        return at;
      }
    } else if (maxLength > this.ring.maxMessage) {
      throw new RangeError(`ring message of ${maxLength} bytes exceeds the limit of ${this.ring.maxMessage}`);
    }
    this.ensure(PREFIX + maxLength);
    this.reservedInQueue = this.tail;
    this.bytes = this.queue;
    this.view = this.queueView;
    return this.tail + PREFIX;
  }

  commit(length: number): void {
    if (this.reservedInQueue < 0) {
      this.ring.commit(length);
      return;
    }
    this.queueView.setUint32(this.reservedInQueue, length, true);
    this.tail = this.reservedInQueue + PREFIX + length;
    this.reservedInQueue = -1;
    this.waiting++;
    this.queuedTotal++;
  }

  /**
   * Moves waiting messages into the ring, oldest first, as far as they fit,
   * then publishes the ring. Returns how many still wait.
   */
  flush(): number {
    while (this.waiting > 0) {
      const len = this.queueView.getUint32(this.head, true);
      const at = this.ring.reserve(len);
      if (at < 0) break;
      this.ring.bytes.set(this.queue.subarray(this.head + PREFIX, this.head + PREFIX + len), at);
      this.ring.commit(len);
      this.head += PREFIX + len;
      this.waiting--;
    }
    if (this.waiting === 0) this.head = this.tail = 0;
    this.ring.flush();
    return this.waiting;
  }

  /** Forgets everything waiting (the destination is gone: a zone restart). */
  clear(): void {
    this.head = this.tail = 0;
    this.waiting = 0;
    this.reservedInQueue = -1;
  }

  private ensure(n: number): void {
    if (this.tail + n <= this.queue.length) return;
    // Compact first; grow only when the live part itself does not fit.
    const live = this.tail - this.head;
    let size = this.queue.length;
    while (live + n > size) size *= 2;
    if (size === this.queue.length) {
      this.queue.copyWithin(0, this.head, this.tail);
    } else {
      const next = new Uint8Array(size);
      next.set(this.queue.subarray(this.head, this.tail));
      this.queue = next;
      this.queueView = new DataView(next.buffer);
    }
    this.tail = live;
    this.head = 0;
  }
}
