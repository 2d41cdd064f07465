import { RING_MAX_CAPACITY, RING_PAD_MARKER, RING_POSITION_MASK, RingHeader, RING_PREFIX_BYTES, alignUp } from './layout.ts';

/** Bytes a ring with `capacity` data bytes needs. */
export function ringBytes(capacity: number): number {
  return RingHeader.words * 4 + capacity;
}

/**
 * A single-producer single-consumer ring of length-prefixed messages over a
 * SharedArrayBuffer. One thread writes, one thread reads; positions move with
 * Atomics so a message's bytes are visible before its publication.
 *
 * Messages never wrap: when one does not fit before the end of the buffer the
 * producer writes a pad marker and starts again at offset 0, so a message is
 * always one contiguous byte range that codecs can read and write in place.
 */
export class Ring {
  readonly capacity: number;
  readonly buffer: SharedArrayBuffer;
  /** The data area; message payloads are ranges of it. */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  private readonly header: Int32Array;
  private readonly mask: number;
  // Producer-local state of an open reservation.
  private reservedAt = -1;
  private reservedMax = 0;
  private pendingWrite = -1;
  // Consumer-local state of the message being read.
  private readAt = -1;
  private readLen = 0;
  private pendingRead = -1;

  constructor(buffer: SharedArrayBuffer) {
    const capacity = buffer.byteLength - RingHeader.words * 4;
    if (capacity < 64 || capacity > RING_MAX_CAPACITY || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`ring capacity must be a power of two in 64..${RING_MAX_CAPACITY} bytes, got ${capacity}`);
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.buffer = buffer;
    this.header = new Int32Array(buffer, 0, RingHeader.words);
    this.bytes = new Uint8Array(buffer, RingHeader.words * 4, capacity);
    this.view = new DataView(buffer, RingHeader.words * 4, capacity);
  }

  /** Creates an empty ring with `capacity` data bytes (a power of two). */
  static create(capacity: number): Ring {
    return new Ring(new SharedArrayBuffer(ringBytes(capacity)));
  }

  /** Largest payload one message may carry. */
  get maxMessage(): number {
    return this.capacity / 2 - RING_PREFIX_BYTES;
  }

  // ---- producer side -------------------------------------------------------

  /**
   * Reserves room for a payload of up to `maxLength` bytes and returns the
   * offset in `bytes` to write it at, or -1 when the ring lacks the room (a
   * counted full event). The payload becomes visible only at commit().
   */
  reserve(maxLength: number): number {
    if (maxLength > this.maxMessage || maxLength < 0) {
      throw new RangeError(`ring message of ${maxLength} bytes exceeds the limit of ${this.maxMessage}`);
    }
    const need = RING_PREFIX_BYTES + alignUp(maxLength, 4);
    if (this.reservedAt >= 0) throw new Error('ring reserve while a reservation is open');
    const write = this.pendingWrite < 0 ? Atomics.load(this.header, RingHeader.writePos) : this.pendingWrite;
    const read = Atomics.load(this.header, RingHeader.readPos);
    const used = (write - read) & RING_POSITION_MASK;
    let at = write & this.mask;
    let pad = 0;
    if (at + need > this.capacity) {
      pad = this.capacity - at;
      at = 0;
    }
    if (used + pad + need > this.capacity) {
      Atomics.add(this.header, RingHeader.fullEvents, 1);
      return -1;
    }
    if (pad > 0) {
      this.view.setUint32(write & this.mask, RING_PAD_MARKER, true);
    }
    this.reservedAt = at;
    this.reservedMax = maxLength;
    this.pendingWrite = (write + pad) & RING_POSITION_MASK;
    return at + RING_PREFIX_BYTES;
  }

  /**
   * Closes the open reservation with the payload's real length. The message is
   * staged; flush() publishes every staged message at once.
   */
  commit(length: number): void {
    if (this.reservedAt < 0) throw new Error('ring commit without a reservation');
    if (length > this.reservedMax || length < 0) {
      throw new RangeError(`ring commit of ${length} bytes exceeds the reservation of ${this.reservedMax}`);
    }
    this.view.setUint32(this.reservedAt, length, true);
    this.pendingWrite = (this.pendingWrite + RING_PREFIX_BYTES + alignUp(length, 4)) & RING_POSITION_MASK;
    this.reservedAt = -1;
  }

  /** Abandons the open reservation. */
  cancel(): void {
    this.reservedAt = -1;
  }

  /**
   * Publishes staged messages. The Atomics.store of writePos is the release:
   * every byte written before it is visible to a consumer that loads writePos.
   */
  flush(): void {
    if (this.pendingWrite < 0) return;
    const write = this.pendingWrite;
    this.pendingWrite = -1;
    Atomics.store(this.header, RingHeader.writePos, write);
    const used = (write - Atomics.load(this.header, RingHeader.readPos)) & RING_POSITION_MASK;
    if (used > Atomics.load(this.header, RingHeader.highWater)) {
      Atomics.store(this.header, RingHeader.highWater, used);
    }
  }

  /** Copies one whole message in (reserve, copy, commit, flush). */
  push(payload: Uint8Array): boolean {
    const at = this.reserve(payload.length);
    if (at < 0) return false;
    this.bytes.set(payload, at);
    this.commit(payload.length);
    this.flush();
    return true;
  }

  /** Wakes a consumer blocked in wait() or waitAsync(). */
  notify(): void {
    Atomics.add(this.header, RingHeader.signal, 1);
    Atomics.notify(this.header, RingHeader.signal);
  }

  // ---- consumer side -------------------------------------------------------

  /**
   * Offset in `bytes` of the next message's payload, or -1 when the ring is
   * empty. The payload's length is `messageLength` until release().
   */
  peek(): number {
    if (this.readAt >= 0) return this.readAt;
    // Acquire: loading writePos makes the producer's bytes before it visible.
    const write = Atomics.load(this.header, RingHeader.writePos);
    let read = this.pendingRead < 0 ? Atomics.load(this.header, RingHeader.readPos) : this.pendingRead;
    if (read === write) return -1;
    let at = read & this.mask;
    const len = this.view.getUint32(at, true);
    if (len === RING_PAD_MARKER) {
      read = (read + (this.capacity - at)) & RING_POSITION_MASK;
      this.pendingRead = read;
      if (read === write) return -1;
      at = 0;
    }
    this.readLen = this.view.getUint32(at, true);
    this.readAt = at + RING_PREFIX_BYTES;
    this.pendingRead = read;
    return this.readAt;
  }

  /** Length of the payload peek() returned. */
  get messageLength(): number {
    return this.readLen;
  }

  /** Consumes the peeked message; its bytes may be overwritten after done(). */
  release(): void {
    if (this.readAt < 0) return;
    this.pendingRead = (this.pendingRead + RING_PREFIX_BYTES + alignUp(this.readLen, 4)) & RING_POSITION_MASK;
    this.readAt = -1;
  }

  /**
   * Hands released space back to the producer (one Atomics store per batch).
   * A message peeked but not released stays in the ring: the next peek()
   * returns it again.
   */
  done(): void {
    if (this.pendingRead < 0) return;
    Atomics.store(this.header, RingHeader.readPos, this.pendingRead);
    this.pendingRead = -1;
    this.readAt = -1;
  }

  /**
   * Drops every published message (consumer side). Only for recovery, while
   * neither end is running: a restarted consumer must not replay messages its
   * predecessor had half-consumed.
   */
  discard(): void {
    this.readAt = -1;
    this.pendingRead = -1;
    Atomics.store(this.header, RingHeader.readPos, Atomics.load(this.header, RingHeader.writePos));
  }

  /**
   * Blocks until the producer notifies or `timeoutMs` passes. It compares the
   * signal word against the value seen before the caller last found the ring
   * empty, so a notify between that check and this wait is not lost.
   */
  wait(seenSignal: number, timeoutMs: number): void {
    Atomics.wait(this.header, RingHeader.signal, seenSignal, timeoutMs);
  }

  /** Promise form of wait() for threads that must not block (the coordinator). */
  waitAsync(seenSignal: number, timeoutMs: number): Promise<unknown> | null {
    const r = Atomics.waitAsync(this.header, RingHeader.signal, seenSignal, timeoutMs);
    return r.async ? r.value : null;
  }

  /** Current signal word, read before checking for messages. */
  get signal(): number {
    return Atomics.load(this.header, RingHeader.signal);
  }

  /** Producer side: where its next message goes, staged ones included (a position to hand readPast() later). */
  get writePosition(): number {
    return this.pendingWrite < 0 ? Atomics.load(this.header, RingHeader.writePos) : this.pendingWrite;
  }

  /**
   * Producer side: true when the consumer has handed back everything before
   * `pos`, a writePosition() taken earlier (less than a lap of positions ago).
   */
  readPast(pos: number): boolean {
    // read <= pos: at most a ring's capacity apart; read > pos: the difference wraps far past it.
    const unread = (pos - Atomics.load(this.header, RingHeader.readPos)) & RING_POSITION_MASK;
    return unread === 0 || unread > this.capacity;
  }

  /** Bytes in use now. */
  get used(): number {
    return (Atomics.load(this.header, RingHeader.writePos) - Atomics.load(this.header, RingHeader.readPos)) & RING_POSITION_MASK;
  }

  get fullEvents(): number {
    return Atomics.load(this.header, RingHeader.fullEvents);
  }

  get highWater(): number {
    return Atomics.load(this.header, RingHeader.highWater);
  }
}
