/**
 * Bytes an RFC 6455 frame header takes before a payload of `payload`
 * bytes: 2, with a 16-bit length from 126 bytes, a 64-bit one from 65,536;
 * a client's frames add a 4-byte mask. The gate frames by it
 * (main/gate/ws-frame.ts) and the bots count their bytes by it.
 */
export function wsHeaderBytes(payload: number, masked = false): number {
  return (payload < 126 ? 2 : payload < 65536 ? 4 : 10) + (masked ? 4 : 0);
}

/** FIN: the frame is a message's last (every frame written here is). */
const FIN = 0x80;
/** Byte 1's mask bit: a mask key follows the length. */
const MASKED = 0x80;
/** Lengths up to this go in the 7 bits of byte 1; 126 and 127 announce a 16- and a 64-bit length. */
const MAX_7BIT_LENGTH = 125;
const LENGTH_16 = 126;
const LENGTH_64 = 127;
const MAX_16BIT_LENGTH = 0xffff;

/**
 * Writes the header of a final frame of `opcode` carrying `payload` bytes
 * at `buf[at]`, with the mask bit when `masked` (the caller writes the
 * 4-byte key), and returns where the key or the payload goes:
 * `at + wsHeaderBytes(payload)`.
 */
export function writeWsHeader(buf: Uint8Array, at: number, opcode: number, payload: number, masked = false): number {
  const mask = masked ? MASKED : 0;
  buf[at] = FIN | opcode;
  if (payload <= MAX_7BIT_LENGTH) {
    buf[at + 1] = mask | payload;
    return at + 2;
  }
  if (payload <= MAX_16BIT_LENGTH) {
    buf[at + 1] = mask | LENGTH_16;
    buf[at + 2] = payload >>> 8;
    buf[at + 3] = payload & 0xff;
    return at + 4;
  }
  buf[at + 1] = mask | LENGTH_64;
  // A 64-bit big-endian length; a JS number's integer part fits in 53 bits, frames here in far fewer.
  const high = Math.floor(payload / 0x1_0000_0000);
  const low = payload >>> 0;
  buf[at + 2] = high >>> 24;
  buf[at + 3] = (high >>> 16) & 0xff;
  buf[at + 4] = (high >>> 8) & 0xff;
  buf[at + 5] = high & 0xff;
  buf[at + 6] = low >>> 24;
  buf[at + 7] = (low >>> 16) & 0xff;
  buf[at + 8] = (low >>> 8) & 0xff;
  buf[at + 9] = low & 0xff;
  return at + 10;
}
