/**
 * A connection's WebSocket events as the gate takes them: errors first (an
 * 'error' without a listener would throw), then every frame metered against
 * the connection's rates before anything else looks at it. Control frames
 * count too, and a ping within the rates is answered here (the gate's ws
 * server has autoPong off: ws's own answer came before any check, and a
 * ping flood met its pending-pong cap, which cuts the socket without a
 * close code).
 */
import type { RawData } from 'ws';
import type { RateLimit } from '../metrics/gate-metrics.ts';
import type { Connection } from './connection.ts';

/** What the gate does with what passed the rates. */
export interface SocketHandlers {
  /** A data frame within the rates (its bytes; isBinary false for a text frame). */
  message(c: Connection, bytes: Buffer, isBinary: boolean): void;
  /** The client went over a rate: the gate closes it (4004). */
  rateLimited(c: Connection, limit: RateLimit): void;
  close(c: Connection, code: number): void;
}

/**
 * The close code ws sends for an error of the client's (a frame that breaks
 * RFC 6455: 1002; text that is not UTF-8: 1007; a frame over maxPayload:
 * 1009), which ws keeps under its status-code symbol; undefined for others.
 */
export function wsErrorCloseCode(err: Error): number | undefined {
  const key = Object.getOwnPropertySymbols(err).find((s) => s.description === 'status-code');
  const code = key === undefined ? undefined : (err as unknown as Record<symbol, unknown>)[key];
  return typeof code === 'number' ? code : undefined;
}

/** Listens for the socket's errors: logged, and the close code ws sends for them kept for the metrics. */
export function watchErrors(c: Connection): void {
  c.ws.on('error', (err) => {
    c.closeCode ??= wsErrorCloseCode(err);
    c.log.debug({ err: err.message }, 'socket error');
  });
}

/** True while what the client sends is still read: not closed, and no close under way (an error sent, a kick). */
function reading(c: Connection): boolean {
  return c.phase !== 'closed' && c.ws.readyState === c.ws.OPEN;
}

/** Listens for frames and the close: each frame metered, then handed to `h`. */
export function watchTraffic(c: Connection, h: SocketHandlers): void {
  const ws = c.ws;
  const control = (data: Buffer): boolean => {
    if (!reading(c)) return false;
    const over = c.admitMessage(Date.now(), data.length, false);
    if (over) h.rateLimited(c, over);
    return over === null;
  };
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (!reading(c)) return;
    // One Buffer per message with ws's default binaryType (fragments joined); a text frame's length is its bytes too.
    const bytes = data as Buffer;
    const over = c.admitMessage(Date.now(), bytes.length);
    if (over) return h.rateLimited(c, over);
    h.message(c, bytes, isBinary);
  });
  ws.on('ping', (data: Buffer) => {
    if (control(data)) ws.pong(data);
  });
  ws.on('pong', (data: Buffer) => {
    // The round trip of the gate's own heartbeat (the operator console shows it).
    if (c.awaitingPong && c.pingSentAt !== 0) c.rttMs = Date.now() - c.pingSentAt;
    c.awaitingPong = false;
    control(data);
  });
  ws.on('close', (code: number) => h.close(c, code));
}
