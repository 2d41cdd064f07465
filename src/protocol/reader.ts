import { ErrorCode, ProtocolError } from './errors.ts';

// ignoreBOM keeps a leading U+FEFF as data: a decoder must not change what was sent.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Bounds-checked little-endian reader over a byte range. Every read past the
 * end throws a TRUNCATED ProtocolError, so decoders need no checks of their own.
 * Reusable: reset() points it at new bytes without allocating.
 */
export class Reader {
  private view: DataView = new DataView(new ArrayBuffer(0));
  /** The buffer `view` is over, kept so that a reset reads its bytes' `.buffer` once. */
  private buffer: ArrayBufferLike = this.view.buffer;
  private bytes: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;

  /** Points the reader at `bytes` (any ArrayBuffer or SharedArrayBuffer view). */
  reset(bytes: Uint8Array): this {
    const buffer = bytes.buffer;
    // A growable buffer that grew needs a view over its new length.
    if (buffer !== this.buffer || buffer.byteLength !== this.view.byteLength) {
      this.view = new DataView(buffer, 0, buffer.byteLength);
      this.buffer = buffer;
    }
    this.bytes = bytes;
    this.pos = bytes.byteOffset;
    this.end = bytes.byteOffset + bytes.byteLength;
    return this;
  }

  /** Points the reader at `bytes[offset, offset + length)` without a subarray. */
  resetRange(bytes: Uint8Array, offset: number, length: number): this {
    this.reset(bytes);
    if (offset < 0 || length < 0 || offset + length > bytes.byteLength) throw new RangeError('reader range outside its bytes');
    this.pos = bytes.byteOffset + offset;
    this.end = this.pos + length;
    return this;
  }

  /** Offset of the next byte within the bytes given to reset(). */
  get position(): number {
    return this.pos - this.bytes.byteOffset;
  }

  /** Skips `n` bytes (bounds-checked). */
  skip(n: number): void {
    this.take(n);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private take(n: number): number {
    const at = this.pos;
    if (at + n > this.end) {
      throw new ProtocolError(ErrorCode.TRUNCATED, `message truncated: needed ${n} more bytes, had ${this.end - at}`);
    }
    this.pos = at + n;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  i8(): number {
    return this.view.getInt8(this.take(1));
  }
  u16(): number {
    return this.view.getUint16(this.take(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.take(4), true);
  }
  f32(): number {
    return this.view.getFloat32(this.take(4), true);
  }
  f64(): number {
    return this.view.getFloat64(this.take(8), true);
  }

  /**
   * Unsigned LEB128 of at most 32 bits, in its shortest form only (a decoder
   * that accepted padded forms would let two byte strings mean one message).
   */
  varu32(): number {
    // Most varints on the wire (id steps, update masks) are one byte.
    const b0 = this.u8();
    if (b0 < 0x80) return b0;
    let v = b0 & 0x7f;
    // The weight of the next 7 bits, 2^(7i): kept as a product, because `2 ** (7 * i)` with a variable i compiles to a call of libm's pow.
    let weight = 0x80;
    for (let i = 1; i < 5; i++) {
      const b = this.u8();
      if (i === 4 && b > 0x0f) throw new ProtocolError(ErrorCode.BAD_VALUE, 'varint exceeds 32 bits');
      v += (b & 0x7f) * weight;
      weight *= 0x80;
      if ((b & 0x80) === 0) {
        if (b === 0) throw new ProtocolError(ErrorCode.BAD_VALUE, 'varint not in its shortest form');
        return v;
      }
    }
    throw new ProtocolError(ErrorCode.BAD_VALUE, 'varint exceeds 32 bits');
  }

  /** u8 length then UTF-8; `max` bounds the byte length. */
  str8(max: number): string {
    const len = this.u8();
    if (len > max) throw new ProtocolError(ErrorCode.BAD_STRING, `string of ${len} bytes exceeds ${max}`);
    const at = this.take(len);
    try {
      return utf8.decode(this.bytes.subarray(at - this.bytes.byteOffset, at - this.bytes.byteOffset + len));
    } catch {
      throw new ProtocolError(ErrorCode.BAD_STRING, 'string is not valid UTF-8');
    }
  }

  /** Throws unless every byte was consumed. */
  finish(): void {
    if (this.pos !== this.end) {
      throw new ProtocolError(ErrorCode.TRAILING_BYTES, `${this.end - this.pos} unexpected trailing bytes`);
    }
  }
}
