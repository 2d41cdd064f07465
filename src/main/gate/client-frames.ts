import { decodeClientMessage } from '../../protocol/decode.ts';
import { encodePong } from '../../protocol/encode.ts';
import { ErrorCode, ProtocolError } from '../../protocol/errors.ts';
import type { ClientMessage } from '../../protocol/messages.ts';
import type { GateMetrics } from '../metrics/gate-metrics.ts';
import type { GateChat } from './chat-hook.ts';
import type { Connection } from './connection.ts';
import type { GameParts } from './game-parts.ts';
import { routeAction, routeInput } from './input-routing.ts';
import type { Resumes } from './resume.ts';
import type { ZoneLink } from './zone-link.ts';

/** Where a client's messages go: the gate's parts and its ways of answering. */
export interface ClientFrameHost {
  metrics: GateMetrics;
  links: readonly ZoneLink[];
  parts: GameParts;
  resumes: Resumes;
  chat(): GateChat;
  hello(c: Connection, m: Extract<ClientMessage, { op: 'hello' }>): void;
  send(c: Connection, bytes: Uint8Array, type: string): void;
  /** Sends the typed error and closes with its close code. */
  fail(c: Connection, err: ProtocolError): void;
}

const CLIENT_TYPES: Record<ClientMessage['op'], string> = { hello: 'hello', input: 'input', ack: 'ack', ping: 'ping', action: 'action', quest: 'quest', item: 'item', chat: 'chat', resume: 'resume' };

/**
 * One data frame from a client, within its connection's rates
 * (socket-events.ts metered it): decoded, counted by type, checked against
 * the connection's phase and handed to the part that answers it. Inputs
 * and actions go to the cell that owns the player's entity.
 */
export function onClientFrame(h: ClientFrameHost, c: Connection, bytes: Buffer, isBinary: boolean): void {
  if (!isBinary) return h.fail(c, new ProtocolError(ErrorCode.NOT_BINARY, 'binary frames only'));
  let m: ClientMessage;
  try {
    m = decodeClientMessage(bytes);
  } catch (err) {
    if (err instanceof ProtocolError) {
      h.metrics.messageIn('invalid', bytes.length);
      return h.fail(c, err);
    }
    throw err;
  }
  h.metrics.messageIn(CLIENT_TYPES[m.op], bytes.length);
  if (m.op === 'hello') {
    if (c.phase !== 'handshake') return h.fail(c, new ProtocolError(ErrorCode.UNEXPECTED_MESSAGE, 'hello after handshake'));
    return h.hello(c, m);
  }
  if (m.op === 'resume') {
    if (c.phase !== 'handshake') return h.fail(c, new ProtocolError(ErrorCode.UNEXPECTED_MESSAGE, 'resume after handshake'));
    return h.resumes.resume(c, m);
  }
  if (c.phase === 'handshake') {
    return h.fail(c, new ProtocolError(ErrorCode.UNEXPECTED_MESSAGE, `${m.op} before hello`));
  }
  if (m.op === 'ping') return h.send(c, encodePong(m.clientTime, Date.now()), 'pong');
  if (m.op === 'quest') return h.parts.quests?.request(c, m);
  if (m.op === 'chat') return h.chat().receive(c, m);
  // Inputs and actions before the entity exists, or while it changes zone, are moot.
  if (c.phase !== 'playing') return;
  const link = h.links[c.zone];
  if (m.op === 'item') return h.parts.items.request(c.zone, c, m);
  if (m.op === 'action') {
    if (!routeAction(link, c, m)) h.metrics.dropped('action_ring_full');
  } else if (!routeInput(link, c, m)) h.metrics.dropped('input_ring_full');
}
