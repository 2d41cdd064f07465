/**
 * The message stream of the ring stress tests, computable from its sequence
 * number alone so producer and consumer agree without sharing anything else.
 */

/** Payload size of message `seq`, 1..maxSize (a hash, so sizes vary irregularly). */
export function sizeOf(seq: number, maxSize: number): number {
  let h = Math.imul(seq ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return 1 + ((h >>> 0) % maxSize);
}

/** Byte `i` of message `seq` (after the u32 sequence number when the message holds one). */
export function byteOf(seq: number, i: number): number {
  return (seq * 131 + i * 29 + (seq >>> 7)) & 0xff;
}

/**
 * Writes message `seq` into `bytes` at `at`: the sequence number (when it
 * fits), the pattern, and a one-byte checksum of everything before it last.
 */
export function writeMessage(bytes: Uint8Array, at: number, seq: number, size: number): void {
  let sum = 0;
  for (let i = 0; i < size - 1; i++) {
    const b = i < 4 && size >= 5 ? (seq >>> (8 * i)) & 0xff : byteOf(seq, i);
    bytes[at + i] = b;
    sum = (sum + b) & 0xff;
  }
  bytes[at + size - 1] = size === 1 ? seq & 0xff : sum ^ 0x5a;
}

/** Checks message `seq` at `at`; returns an error string or null. */
export function checkMessage(bytes: Uint8Array, at: number, len: number, seq: number, maxSize: number): string | null {
  const size = sizeOf(seq, maxSize);
  if (len !== size) return `message ${seq}: length ${len}, expected ${size}`;
  if (size >= 5) {
    const got = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
    if (got !== seq >>> 0) return `message ${seq}: carries sequence ${got}`;
  }
  let sum = 0;
  for (let i = 0; i < size - 1; i++) {
    const want = i < 4 && size >= 5 ? (seq >>> (8 * i)) & 0xff : byteOf(seq, i);
    if (bytes[at + i] !== want) return `message ${seq}: byte ${i} is ${bytes[at + i]}, expected ${want}`;
    sum = (sum + want) & 0xff;
  }
  const last = size === 1 ? seq & 0xff : sum ^ 0x5a;
  if (bytes[at + size - 1] !== last) return `message ${seq}: bad checksum`;
  return null;
}
