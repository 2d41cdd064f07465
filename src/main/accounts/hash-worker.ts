/**
 * Piscina worker: scrypt hashing and verification, off the coordinator's
 * event loop. scryptSync is right here: it blocks only this worker, and does
 * not queue behind file I/O on libuv's small thread pool.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export type HashTask =
  | { op: 'hash'; password: string; log2n: number; r: number; p: number }
  | { op: 'verify'; password: string; stored: string };

const KEY_LEN = 32;

function derive(password: string, salt: Buffer, log2n: number, r: number, p: number): Buffer {
  const N = 2 ** log2n;
  // scrypt needs 128 * N * r bytes; leave headroom over Node's 32 MiB default.
  return scryptSync(password.normalize('NFC'), salt, KEY_LEN, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
}

/** `scrypt$<log2 N>$<r>$<p>$<salt b64>$<key b64>`: parameters travel with the hash, so the cost can rise later. */
export default function run(task: HashTask): string | boolean {
  if (task.op === 'hash') {
    const salt = randomBytes(16);
    const key = derive(task.password, salt, task.log2n, task.r, task.p);
    return ['scrypt', task.log2n, task.r, task.p, salt.toString('base64'), key.toString('base64')].join('$');
  }
  const parts = task.stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![log2n, r, p].every((n) => Number.isInteger(n) && n > 0) || log2n > 20 || r > 32 || p > 16) return false;
  const expected = Buffer.from(parts[5]!, 'base64');
  const actual = derive(task.password, Buffer.from(parts[4]!, 'base64'), log2n, r, p);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
