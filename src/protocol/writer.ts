const utf8 = new TextEncoder();

/**
 * Little-endian writer into a caller-owned byte range (a plain buffer or a
 * reservation in a shared ring), so frames are encoded once, in place.
 * Callers size the range from the protocol limits; overrunning it throws.
 */
export class Writer {
  private view: DataView = new DataView(new ArrayBuffer(0));
  private bytes: Uint8Array = new Uint8Array(0);
  private start = 0;
  pos = 0;
  private end = 0;

  /** Targets `bytes[offset, offset + length)`. */
  reset(bytes: Uint8Array, offset = 0, length = bytes.length - offset): this {
    if (this.bytes.buffer !== bytes.buffer || this.view.byteLength !== bytes.buffer.byteLength) {
      this.view = new DataView(bytes.buffer, 0, bytes.buffer.byteLength);
    }
    this.bytes = bytes;
    this.start = bytes.byteOffset + offset;
    this.pos = this.start;
    this.end = this.start + length;
    return this;
  }

  /** Bytes written since reset(). */
  get length(): number {
    return this.pos - this.start;
  }

  private take(n: number): number {
    const at = this.pos;
    if (at + n > this.end) throw new RangeError(`writer overrun: ${n} bytes past a ${this.end - this.start}-byte range`);
    this.pos = at + n;
    return at;
  }

  u8(v: number): void {
    this.view.setUint8(this.take(1), v);
  }
  i8(v: number): void {
    this.view.setInt8(this.take(1), v);
  }
  u16(v: number): void {
    this.view.setUint16(this.take(2), v, true);
  }
  u32(v: number): void {
    this.view.setUint32(this.take(4), v, true);
  }
  i32(v: number): void {
    this.view.setInt32(this.take(4), v, true);
  }
  f32(v: number): void {
    this.view.setFloat32(this.take(4), v, true);
  }
  f64(v: number): void {
    this.view.setFloat64(this.take(8), v, true);
  }
  /** Copies `src[from, to)` as they are (bytes encoded elsewhere, e.g. a cached block). */
  raw(src: Uint8Array, from: number, to: number): void {
    const at = this.take(to - from) - this.bytes.byteOffset - from;
    // A loop, not set(subarray): blocks are short, and a subarray is an allocation.
    const out = this.bytes;
    for (let i = from; i < to; i++) out[at + i] = src[i];
  }

  /** Unsigned LEB128: 7 bits a byte, low first, high bit set on all but the last (1..5 bytes). */
  varu32(v: number): void {
    v >>>= 0;
    while (v >= 0x80) {
      this.view.setUint8(this.take(1), (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.view.setUint8(this.take(1), v);
  }

  /** Overwrites a u16 written earlier (counts known only at the end). */
  patchU8(at: number, v: number): void {
    this.view.setUint8(at, v);
  }

  patchU16(at: number, v: number): void {
    this.view.setUint16(at, v, true);
  }

  /** u8 length then UTF-8, cut at a character boundary to `max` bytes. */
  str8(s: string, max: number): void {
    const lenAt = this.take(1);
    const room = Math.min(max, this.end - this.pos, 255);
    const target = this.bytes.subarray(this.pos - this.bytes.byteOffset, this.pos - this.bytes.byteOffset + room);
    const { written } = utf8.encodeInto(s, target);
    this.view.setUint8(lenAt, written);
    this.pos += written;
  }
}
