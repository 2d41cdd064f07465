/**
 * A connection flood from one address: many sockets that each ask for a
 * WebSocket upgrade on /play and wait for the answer. Raw TCP and a
 * hand-written request, not ws clients, so the flooder spends little and
 * the time measured is the server's: from the request written to the status
 * line read. For the gate's per-address limits (test/e2e/gate-flood.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** What one flood socket saw. */
export interface UpgradeOutcome {
  /** HTTP status of the answer (101: a WebSocket was made); 0 when none came (reset, timeout). */
  status: number;
  /** Milliseconds from the request written to the status line read (or to the failure). */
  ms: number;
  /** Retry-After of a refusal, in seconds, if sent. */
  retryAfterS?: number;
  /** The network error, when there was one instead of an answer. */
  error?: string;
}

export interface UpgradeOptions {
  /** Loopback or other address to connect from (the flood's "one address"). */
  localAddress?: string;
  /** Extra request headers (X-Forwarded-For from a test proxy). */
  headers?: Record<string, string>;
  /** Give up on an answer after this long. */
  timeoutMs?: number;
  /** Keep an admitted (101) socket open instead of closing it; the caller ends it with `socket.destroy()`. */
  keep?: boolean;
}

/** The upgrade request a browser would send for /play. */
export function upgradeRequest(host: string, port: number, headers: Record<string, string> = {}): string {
  const lines = [
    'GET /play HTTP/1.1',
    `Host: ${host}:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Opens one socket, asks for the upgrade and resolves with the answer (and the socket when kept). */
export function tryUpgrade(host: string, port: number, o: UpgradeOptions = {}): Promise<UpgradeOutcome & { socket?: Socket }> {
  return new Promise((resolve) => {
    let t0 = 0;
    let buf = '';
    let done = false;
    const socket = connect({ host, port, localAddress: o.localAddress });
    const finish = (out: UpgradeOutcome, keep = false): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeAllListeners('data');
      if (keep) return resolve({ ...out, socket });
      socket.destroy();
      resolve(out);
    };
    const timer = setTimeout(() => finish({ status: 0, ms: t0 ? performance.now() - t0 : 0, error: 'timeout' }), o.timeoutMs ?? 10_000);
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ status: 0, ms: t0 ? performance.now() - t0 : 0, error: err.code ?? err.message }));
    socket.on('close', () => finish({ status: 0, ms: t0 ? performance.now() - t0 : 0, error: 'closed without an answer' }));
    socket.on('connect', () => {
      t0 = performance.now();
      socket.write(upgradeRequest(host, port, o.headers));
    });
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const ms = performance.now() - t0;
      const head = buf.slice(0, end).split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0])?.[1] ?? 0);
      const retry = head.find((h) => /^retry-after:/i.test(h));
      finish({ status, ms, ...(retry ? { retryAfterS: Number(retry.split(':')[1]) } : {}) }, status === 101 && o.keep === true);
    });
  });
}

/** Outcomes of a flood, in the order the sockets were opened. */
export interface FloodResult {
  outcomes: UpgradeOutcome[];
  /** Wall time of the whole flood, ms. */
  ms: number;
  /** Admitted sockets, held open until release(). */
  held: Socket[];
  release(): void;
}

/**
 * Opens `count` sockets from `localAddress`, at most `concurrency` waiting
 * for an answer at a time, each asking for the upgrade. Admitted ones (101)
 * are held open, as an attacker would hold them, until release().
 */
export async function flood(host: string, port: number, count: number, o: UpgradeOptions & { concurrency?: number } = {}): Promise<FloodResult> {
  const outcomes: UpgradeOutcome[] = new Array(count);
  const held: Socket[] = [];
  let next = 0;
  const t0 = performance.now();
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const r = await tryUpgrade(host, port, { ...o, keep: true });
      if (r.socket) {
        r.socket.on('error', () => {});
        held.push(r.socket);
      }
      const { socket: _s, ...outcome } = r;
      outcomes[i] = outcome;
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, o.concurrency ?? 200) }, lane));
  return {
    outcomes,
    ms: performance.now() - t0,
    held,
    release() {
      for (const s of held) s.destroy();
    },
  };
}
