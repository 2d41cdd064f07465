import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { decodeClientMessage } from '../../protocol/decode.ts';
import { encodeError, encodePong } from '../../protocol/encode.ts';
import { CloseCode, ErrorCode, ProtocolError, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { ClientMessage } from '../../protocol/messages.ts';
import { AuthKind, Limits, MoveKind, PROTOCOL_VERSION } from '../../protocol/opcodes.ts';
import { FrameKind, JoinStatus } from '../../shared/messages/cell-to-gate.ts';
import type { Config } from '../config.ts';
import { CharacterSessions } from './character-sessions.ts';
import { Connection, NO_HANDLE, Pressure } from './connection.ts';
import { guestName, guestSpawn, loginRefusal, welcomeOf, type HandshakeResult } from './handshake.ts';
import type { GateMetrics } from '../metrics/gate-metrics.ts';
import type { Logger } from '../log.ts';
import type { ZoneHandle } from '../zones/supervisor.ts';
import { ZoneLink, type ZoneLinkHandler } from './zone-link.ts';
import type { World, WorldState } from './world.ts';

const SNAPSHOT_TYPE = 'snapshot';
const EVENT_TYPE = 'event';
const CLIENT_TYPES: Record<ClientMessage['op'], string> = { hello: 'hello', input: 'input', ack: 'ack', ping: 'ping' };

/**
 * The WebSocket gate on the coordinator: handshake, heartbeats, timeouts,
 * rate limits and backpressure per connection; routes inputs to the cell
 * that owns each player and sends the frames the cells encoded.
 */
export class Gate implements ZoneLinkHandler {
  readonly wss: WebSocketServer;
  readonly connections = new Map<number, Connection>();
  private readonly links: ZoneLink[] = [];
  private readonly sessions = new CharacterSessions();
  private readonly cfg: Config;
  private readonly world: World | null;
  private readonly metrics: GateMetrics;
  private readonly log: Logger;
  private nextId = 1;
  /** Snapshots not sent because a newer tick had already gone to that client. */
  staleFrames = 0;
  private lastPingAt = Date.now();
  private accepting = true;
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(cfg: Config, world: World | null, metrics: GateMetrics, log: Logger) {
    this.cfg = cfg;
    this.world = world;
    this.metrics = metrics;
    this.log = log;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: Limits.maxClientFrame,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.sweepTimer = setInterval(() => this.sweep(), Math.min(cfg.heartbeatMs, 1000));
    this.sweepTimer.unref();
  }

  /** Connects a running zone to the gate. */
  attachZone(zone: ZoneHandle): void {
    this.links.push(new ZoneLink(zone, this));
    this.metrics.watchControlWaiting(() => this.links.reduce((n, l) => n + l.waiting, 0));
  }

  get playerCount(): number {
    return this.connections.size;
  }

  /** Handles an HTTP upgrade on /play. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.accepting) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, req.socket.remoteAddress ?? '?'));
  }

  private open(ws: WebSocket, remote: string): void {
    let id = this.nextId;
    this.nextId = this.nextId >= 0xfffffffe ? 1 : this.nextId + 1;
    while (this.connections.has(id)) id++;
    const c = new Connection(id, ws, remote, this.log.child({ conn: id }));
    this.metrics.connectionOpened();
    if (this.connections.size >= this.cfg.maxPlayers) {
      this.refuse(c, 'full', ErrorCode.SERVER_FULL, 'server full');
      ws.on('close', (code) => this.metrics.connectionClosed(code));
      return;
    }
    this.connections.set(id, c);
    c.handshakeTimer = setTimeout(() => {
      if (c.phase !== 'handshake') return;
      this.metrics.handshake('timeout');
      this.closeWith(c, CloseCode.HANDSHAKE_TIMEOUT, 'handshake timeout');
    }, this.cfg.handshakeTimeoutMs);
    ws.on('message', (data, isBinary) => this.onMessage(c, data, isBinary));
    ws.on('pong', () => (c.awaitingPong = false));
    ws.on('error', (err) => c.log.debug({ err: err.message }, 'socket error'));
    ws.on('close', (code) => this.onClose(c, code));
  }

  private onMessage(c: Connection, data: RawData, isBinary: boolean): void {
    if (c.phase === 'closed') return;
    if (!c.admitMessage(Date.now(), Limits.maxClientMessagesPerSecond)) {
      return this.fail(c, new ProtocolError(ErrorCode.RATE_LIMITED, 'too many messages per second'));
    }
    if (!isBinary) return this.fail(c, new ProtocolError(ErrorCode.NOT_BINARY, 'binary frames only'));
    const bytes = data as Buffer;
    let m: ClientMessage;
    try {
      m = decodeClientMessage(bytes);
    } catch (err) {
      if (err instanceof ProtocolError) {
        this.metrics.messageIn('invalid', bytes.length);
        return this.fail(c, err);
      }
      throw err;
    }
    this.metrics.messageIn(CLIENT_TYPES[m.op], bytes.length);
    if (m.op === 'hello') return this.hello(c, m);
    if (c.phase === 'handshake') {
      return this.fail(c, new ProtocolError(ErrorCode.UNEXPECTED_MESSAGE, `${m.op} before hello`));
    }
    if (m.op === 'ping') return this.send(c, encodePong(m.clientTime, Date.now()), 'pong');
    if (c.phase !== 'playing') return; // inputs before the entity exists are moot
    const link = this.links[c.zone];
    const cell = link.ownerOf(c.handle);
    if (m.op === 'ack') {
      if (!link.ack(cell, c.id, m.ackTick)) this.metrics.dropped('input_ring_full');
      return;
    }
    let a = m.x;
    let b = m.y;
    if (m.move === MoveKind.DIRECTION) {
      const len = Math.hypot(m.dx, m.dy);
      a = len === 0 ? 0 : m.dx / len;
      b = len === 0 ? 0 : m.dy / len;
    }
    if (!link.input(cell, c.id, m.seq, m.ackTick, len0(m.move, a, b), a, b)) this.metrics.dropped('input_ring_full');
  }

  private hello(c: Connection, m: Extract<ClientMessage, { op: 'hello' }>): void {
    if (c.phase !== 'handshake') {
      return this.fail(c, new ProtocolError(ErrorCode.UNEXPECTED_MESSAGE, 'hello after handshake'));
    }
    clearTimeout(c.handshakeTimer);
    if (m.version !== PROTOCOL_VERSION) {
      return this.refuse(c, 'bad_version', ErrorCode.UNSUPPORTED_VERSION, `protocol ${m.version} unsupported; server speaks ${PROTOCOL_VERSION}`);
    }
    if (m.auth === AuthKind.GUEST) {
      const name = guestName(m.credential);
      if (!this.cfg.allowGuests) return this.refuse(c, 'auth_failed', ErrorCode.AUTH_FAILED, 'guests are not admitted; log in with a session token');
      if (name === null) return this.refuse(c, 'auth_failed', ErrorCode.BAD_VALUE, 'guest name must be 1-24 bytes of printable characters');
      c.name = name;
      return this.admit(c, guestSpawn(this.links[0].zone.spec, this.cfg.spawnSpread));
    }
    if (!this.world) return this.refuse(c, 'auth_failed', ErrorCode.AUTH_FAILED, 'accounts are not available on this server');
    c.phase = 'entering';
    this.world.enterWorld(m.credential, m.characterId).then(
      (ch) => {
        if (c.phase !== 'entering') return; // closed meanwhile
        c.characterId = ch.characterId;
        c.name = ch.name;
        c.log = c.log.child({ character: ch.characterId });
        this.sessions.takeOver(
          c,
          { zone: ch.zone, x: ch.x, y: ch.y, hp: ch.hp },
          (next, at) => this.admit(next, at),
          (previous) => this.closeWith(previous, CloseCode.TAKEN_OVER, 'logged in elsewhere'),
        );
      },
      (err: unknown) => {
        const r = loginRefusal(err);
        if (r.result === 'error') c.log.error({ err }, 'enter world failed');
        this.refuse(c, r.result, r.code, r.message);
      },
    );
  }

  /** Counts a refused handshake by result, sends the typed error and closes. */
  private refuse(c: Connection, result: HandshakeResult, code: ErrorCodeValue, message: string): void {
    this.metrics.handshake(result);
    this.fail(c, new ProtocolError(code, message));
  }

  private admit(c: Connection, at: WorldState): void {
    const index = Math.max(0, this.links.findIndex((l) => l.zone.spec.name === at.zone));
    const link = this.links[index];
    if (link.zone.lost) {
      c.released = true;
      return this.fail(c, new ProtocolError(ErrorCode.ZONE_DOWN, `zone ${link.zone.spec.name} is down`));
    }
    c.zone = index;
    c.cell = link.cellOf(at.x, at.y);
    // Tick numbers are per zone: a player entering one starts its snapshot order afresh.
    c.lastFrameTick = 0;
    c.movedTick = -1;
    c.phase = 'joining';
    c.joinAt = at;
    link.join(c.cell, c.id, c.characterId, at.x, at.y, 0, at.hp);
  }

  /** Closes the connection playing a character, if any (the character was deleted). */
  closeCharacter(characterId: number, code: number, reason: string): void {
    const c = this.sessions.get(characterId);
    if (c) this.closeWith(c, code, reason);
  }

  /** The link of a zone the gate serves. */
  linkOf(zone: ZoneHandle): { link: ZoneLink; index: number } {
    const index = this.links.findIndex((l) => l.zone === zone);
    if (index < 0) throw new Error(`zone ${zone.spec.name} is not attached to the gate`);
    return { link: this.links[index], index };
  }

  /**
   * Releases a connection whose entity is gone with a failed cell (its LEFT
   * was lost, or it closed while joining): saved from its last reported
   * state, and closed if it is still open.
   */
  releaseLost(c: Connection, why: string): void {
    if (c.released) return;
    c.released = true;
    this.connections.delete(c.id);
    const state = c.lastState ?? c.joinAt;
    if (c.characterId !== 0 && state) this.world?.leaveWorld(c.characterId, state);
    this.sessions.released(c);
    c.log.warn({ zone: this.links[c.zone].zone.spec.name, why }, 'player released after a cell failure');
    if (c.phase !== 'closed') this.fail(c, new ProtocolError(ErrorCode.ZONE_DOWN, 'your zone failed; reconnect'));
  }

  /** Sends a join again (its zone restarted before the cell answered). */
  rejoin(c: Connection): void {
    if (c.phase !== 'joining' || !c.joinAt) return;
    const link = this.links[c.zone];
    c.cell = link.cellOf(c.joinAt.x, c.joinAt.y);
    link.join(c.cell, c.id, c.characterId, c.joinAt.x, c.joinAt.y, 0, c.joinAt.hp);
  }

  // ---- from the cells ------------------------------------------------------

  joined(conn: number, status: number, handle: number): void {
    const c = this.connections.get(conn);
    if (!c) return;
    if (c.phase === 'closed') return; // closed while joining: the LEAVE queued after the JOIN releases it
    if (c.phase === 'playing') {
      // A JOIN re-sent around a zone restart is answered again with the same entity.
      if (handle !== c.handle) c.log.error({ handle, known: c.handle }, 'second entity for one connection');
      return;
    }
    if (status !== JoinStatus.OK) {
      c.released = true;
      return this.refuse(c, 'full', ErrorCode.SERVER_FULL, 'zone full');
    }
    c.handle = handle;
    c.phase = 'playing';
    this.metrics.handshake('ok');
    const spec = this.links[c.zone].zone.spec;
    this.send(c, welcomeOf(spec, handle), 'welcome');
    c.log.info({ zone: spec.name, cell: c.cell, entity: handle, name: c.name }, 'player entered');
  }

  /** Keeps `cell` for logs; MOVED notices from different cells' rings may arrive out of order, so older ones are ignored. */
  moved(conn: number, cell: number, tick: number): void {
    const c = this.connections.get(conn);
    if (!c || tick < c.movedTick) return;
    c.movedTick = tick;
    c.cell = cell;
  }

  state(conn: number, x: number, y: number, hp: number): void {
    const c = this.connections.get(conn);
    if (!c || c.characterId === 0) return;
    c.lastState = { zone: this.links[c.zone].zone.spec.name, x, y, hp };
    this.world?.updateState(c.characterId, c.lastState);
  }

  left(conn: number, x: number, y: number, hp: number): void {
    const c = this.connections.get(conn);
    if (!c) return;
    c.released = true;
    this.connections.delete(conn);
    if (c.characterId !== 0) {
      c.lastState = { zone: this.links[c.zone].zone.spec.name, x, y, hp };
      this.world?.leaveWorld(c.characterId, c.lastState);
    }
    this.sessions.released(c);
    c.log.info({ cell: c.cell, x, y }, 'player left');
  }

  frame(conn: number, kind: number, tick: number, src: Buffer, start: number, end: number): void {
    const c = this.connections.get(conn);
    if (!c || c.phase !== 'playing') return;
    if (kind === FrameKind.SNAPSHOT) {
      // After a handoff the old and the new owner's rings drain independently:
      // a client never gets an older tick after a newer one.
      if (tick <= c.lastFrameTick) {
        this.staleFrames++;
        this.metrics.dropped('stale_snapshot');
        return;
      }
      c.lastFrameTick = tick;
    }
    const ws = c.ws;
    const pressure = c.pressure(Date.now(), this.cfg.sendBufferLimitBytes, this.cfg.slowClientKickMs);
    if (pressure === Pressure.KICK) return this.kickSlow(c);
    if (pressure === Pressure.OVER && kind === FrameKind.SNAPSHOT) {
      this.metrics.backpressureSkip();
      return;
    }
    const buf = Buffer.allocUnsafe(end - start);
    src.copy(buf, 0, start, end);
    ws.send(buf, { binary: true });
    this.metrics.messageOut(kind === FrameKind.SNAPSHOT ? SNAPSHOT_TYPE : EVENT_TYPE, buf.length);
  }

  // ---- closing -------------------------------------------------------------

  private onClose(c: Connection, code: number): void {
    this.metrics.connectionClosed(code);
    clearTimeout(c.handshakeTimer);
    const wasIn = c.phase === 'joining' || c.phase === 'playing';
    c.phase = 'closed';
    if (wasIn && !c.released) {
      const link = this.links[c.zone];
      // A joining player's LEAVE follows its JOIN into the same ring.
      link.leave(c.handle === NO_HANDLE ? c.cell : link.ownerOf(c.handle), c.id);
    } else {
      this.connections.delete(c.id);
      this.sessions.released(c);
    }
  }

  /** Sends the typed error, then closes with its close code. */
  private fail(c: Connection, err: ProtocolError): void {
    c.log.info({ code: err.code, close: err.closeCode }, `protocol error: ${err.message}`);
    this.send(c, encodeError(err.code, err.message), 'error');
    this.closeWith(c, err.closeCode, err.message);
  }

  private closeWith(c: Connection, code: number, reason: string): void {
    const ws = c.ws;
    if (ws.readyState !== ws.OPEN) return;
    ws.close(code, reason.slice(0, 120));
    // A peer that never answers the close (or a full send buffer) is cut.
    setTimeout(() => ws.terminate(), 2000).unref();
  }

  private send(c: Connection, bytes: Uint8Array, type: string): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    c.ws.send(bytes, { binary: true });
    this.metrics.messageOut(type, bytes.length);
  }

  private kickSlow(c: Connection): void {
    this.metrics.backpressureKick();
    this.closeWith(c, CloseCode.SLOW_CONSUMER, 'too slow to receive');
  }

  /** Heartbeats, idle timeouts and slow consumers that stopped getting frames. */
  private sweep(): void {
    const now = Date.now();
    const pingDue = now - this.lastPingAt >= this.cfg.heartbeatMs;
    if (pingDue) this.lastPingAt = now;
    for (const c of this.connections.values()) {
      if (c.phase === 'closed') continue;
      if (now - c.lastMessageAt > this.cfg.idleTimeoutMs) {
        this.closeWith(c, CloseCode.IDLE_TIMEOUT, 'idle timeout');
      } else if (c.overSince !== 0 && c.pressure(now, this.cfg.sendBufferLimitBytes, this.cfg.slowClientKickMs) === Pressure.KICK) {
        this.kickSlow(c);
      } else if (pingDue) {
        if (c.awaitingPong) {
          c.log.info('no pong to heartbeat; terminating');
          c.ws.terminate();
        } else {
          c.awaitingPong = true;
          c.ws.ping();
        }
      }
    }
  }

  /** Stops accepting, closes every connection (1001) and waits until the cells released them. */
  async shutdown(timeoutMs = 5000): Promise<void> {
    this.accepting = false;
    clearInterval(this.sweepTimer);
    for (const c of this.connections.values()) this.closeWith(c, CloseCode.GOING_AWAY, 'server shutting down');
    const deadline = Date.now() + timeoutMs;
    while ([...this.connections.values()].some((c) => !c.released && c.phase !== 'handshake') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const l of this.links) l.close();
    this.wss.close();
  }
}

/** A direction input of length zero is a stop. */
function len0(move: number, a: number, b: number): number {
  return move === MoveKind.DIRECTION && a === 0 && b === 0 ? MoveKind.STOP : move;
}
