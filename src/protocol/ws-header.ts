/**
 * Bytes an RFC 6455 frame header takes before a payload of `payload`
 * bytes: 2, with a 16-bit length from 126 bytes, a 64-bit one from 65,536;
 * a client's frames add a 4-byte mask. The gate frames by it
 * (main/gate/ws-frame.ts) and the bots count their bytes by it.
 */
export function wsHeaderBytes(payload: number, masked = false): number {
  return (payload < 126 ? 2 : payload < 65536 ? 4 : 10) + (masked ? 4 : 0);
}
