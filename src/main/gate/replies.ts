import { encodeError } from '../../protocol/encode.ts';
import { CloseCode, ErrorCode, ProtocolError, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { GateMetrics } from '../metrics/gate-metrics.ts';
import type { Connection } from './connection.ts';
import type { HandshakeResult } from './handshake.ts';
import { sendBinaryMessage } from './ws-frame.ts';

/**
 * The gate's ways of answering one connection, each counted: a message
 * sent, a close with its code, a protocol error (the typed error, then the
 * close), a refused handshake, a slow consumer cut off.
 */
export class Replies {
  private readonly metrics: GateMetrics;

  constructor(metrics: GateMetrics) {
    this.metrics = metrics;
  }

  /** Sends one message to an open connection (one socket write: ws-frame.ts), counted under `type`. */
  send(c: Connection, bytes: Uint8Array, type: string): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    sendBinaryMessage(c.ws, bytes);
    c.bytesOut += bytes.length;
    this.metrics.messageOut(type, bytes.length);
  }

  /** Closes with `code` and `reason` (at most 120 bytes are sent); a client that never answers is cut after 2 s. */
  closeWith(c: Connection, code: number, reason: string): void {
    const ws = c.ws;
    if (ws.readyState !== ws.OPEN) return;
    c.closeCode = code;
    ws.close(code, reason.slice(0, 120));
    // A peer that never answers the close (or a full send buffer) is cut.
    setTimeout(() => ws.terminate(), 2000).unref();
  }

  /** Sends the typed error, then closes with its close code. */
  fail(c: Connection, err: ProtocolError): void {
    c.log.info({ code: err.code, close: err.closeCode }, `protocol error: ${err.message}`);
    this.send(c, encodeError(err.code, err.message), 'error');
    this.closeWith(c, err.closeCode, err.message);
  }

  /** Counts a refused handshake by result, sends the typed error and closes. */
  refuse(c: Connection, result: HandshakeResult, code: ErrorCodeValue, message: string): void {
    this.metrics.handshake(result);
    this.fail(c, new ProtocolError(code, message));
  }

  /** Refuses a banned account or address at the handshake (4021), counted. */
  banned(c: Connection, message: string): void {
    this.metrics.handshake('banned');
    this.send(c, encodeError(ErrorCode.AUTH_FAILED, message), 'error');
    this.closeWith(c, CloseCode.BANNED, message);
  }

  /** Cuts a client too slow to take its frames (4005), counted. */
  kickSlow(c: Connection): void {
    this.metrics.backpressureKick();
    this.closeWith(c, CloseCode.SLOW_CONSUMER, 'too slow to receive');
  }
}
