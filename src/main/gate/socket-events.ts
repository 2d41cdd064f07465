/**
 * A connection's WebSocket events as the gate takes them: errors first (an
 * 'error' without a listener would throw), then every frame metered against
 * the connection's rates before anything else looks at it. Control frames
 * count too, and a ping within the rates is answered here (the gate's ws
 * server has autoPong off: ws's own answer came before any check, and a
 * ping flood met its pending-pong cap, which cuts the socket without a
 * close code).
 */
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData } from 'ws';
import { Limits } from '../../protocol/opcodes.ts';
import type { RateLimit } from '../metrics/gate-metrics.ts';
import type { WebSocket } from 'ws';
import type { Connection } from './connection.ts';

/**
 * The connection each socket's events go to: the one it was opened for,
 * until a resume hands it to the connection of the player it resumes
 * (resume.ts). A socket its connection has since replaced (the old socket
 * of a resumed player) is stale: only its close is reported, to be counted.
 */
const owners = new WeakMap<WebSocket, Connection>();

/** From now on `ws`'s events go to `to`, whose socket it has become (Connection.adoptSocket). */
export function handOver(ws: WebSocket, to: Connection): void {
  owners.set(ws, to);
}

/** What the gate does with what passed the rates. */
export interface SocketHandlers {
  /** A data frame within the rates (its bytes; isBinary false for a text frame). */
  message(c: Connection, bytes: Buffer, isBinary: boolean): void;
  /** The client went over a rate: the gate closes it (4004). */
  rateLimited(c: Connection, limit: RateLimit): void;
  close(c: Connection, code: number): void;
  /** The close of a socket its connection replaced by a resume (resume.ts): counted only. */
  closeStale(code: number): void;
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
export function watchErrors(first: Connection): void {
  const ws = first.ws;
  owners.set(ws, first);
  ws.on('error', (err) => {
    const c = owners.get(ws) ?? first;
    if (c.ws !== ws) return;
    c.closeCode ??= wsErrorCloseCode(err);
    c.log.debug({ err: err.message }, 'socket error');
  });
}

/** True while what the client sends on `ws` is still read: its connection's socket, not closed, and no close under way (an error sent, a kick). */
function reading(c: Connection, ws: WebSocket): boolean {
  return c.ws === ws && c.phase !== 'closed' && ws.readyState === ws.OPEN;
}

/** Listens for frames and the close: each frame metered, then handed to `h` with the socket's connection now. */
export function watchTraffic(first: Connection, h: SocketHandlers): void {
  const ws = first.ws;
  if (!owners.has(ws)) owners.set(ws, first);
  const owner = (): Connection => owners.get(ws) ?? first;
  const control = (data: Buffer): boolean => {
    const c = owner();
    if (!reading(c, ws)) return false;
    const over = c.admitMessage(Date.now(), data.length, false);
    if (over) h.rateLimited(c, over);
    return over === null;
  };
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const c = owner();
    if (!reading(c, ws)) return;
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
    const c = owner();
    if (c.ws !== ws) return;
    // The round trip of the gate's own heartbeat (the operator console shows it).
    if (c.awaitingPong && c.pingSentAt !== 0) c.rttMs = Date.now() - c.pingSentAt;
    c.awaitingPong = false;
    control(data);
  });
  ws.on('close', (code: number) => {
    const c = owner();
    if (c.ws === ws) h.close(c, code);
    else h.closeStale(code);
  });
}

/**
 * The game's WebSocket server, upgraded by hand (Gate.handleUpgrade): binary
 * frames up to Limits.maxClientFrame, no compression, no tracking (the gate
 * keeps its connections), and pings answered after the rate check
 * (watchTraffic). `malformed` answers a broken upgrade.
 */
export function gameSocketServer(malformed: (socket: Duplex, reason: string) => void): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: Limits.maxClientFrame, perMessageDeflate: false, clientTracking: false, autoPong: false });
  wss.on('wsClientError', (err: Error, socket: Duplex) => malformed(socket, err.message));
  return wss;
}
