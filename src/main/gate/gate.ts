import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { decodeClientMessage } from '../../protocol/decode.ts';
import { encodeError, encodePong, encodeWelcome } from '../../protocol/encode.ts';
import { CloseCode, ErrorCode, ProtocolError } from '../../protocol/errors.ts';
import type { ClientMessage } from '../../protocol/messages.ts';
import { AuthKind, Limits, MoveKind, PROTOCOL_VERSION } from '../../protocol/opcodes.ts';
import type { ReattachedPlayer } from '../../shared/cell-contract.ts';
import { FrameKind, JoinStatus } from '../../shared/messages/cell-to-gate.ts';
import type { Config } from '../config.ts';
import { Connection, NO_HANDLE } from './connection.ts';
import type { GateMetrics } from '../metrics/gate-metrics.ts';
import type { Logger } from '../log.ts';
import type { ZoneHandle } from '../zones/supervisor.ts';
import { ZoneLink, type ZoneLinkHandler } from './zone-link.ts';
import { AuthRefusedError, ServiceUnavailableError, type World, type WorldState } from './world.ts';

const SNAPSHOT_TYPE = 'snapshot';
const EVENT_TYPE = 'event';
const CLIENT_TYPES: Record<ClientMessage['op'], string> = { hello: 'hello', input: 'input', ack: 'ack', ping: 'ping' };
/** Printable names only: no control, format (bidi, zero-width) or separator characters. */
const GUEST_NAME = /^[^\p{Cc}\p{Cf}\p{Z}][^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;

/**
 * The WebSocket gate on the coordinator: handshake, heartbeats, timeouts,
 * rate limits and backpressure per connection; routes inputs to the cell
 * that owns each player and sends the frames the cells encoded.
 */
export class Gate implements ZoneLinkHandler {
  readonly wss: WebSocketServer;
  readonly connections = new Map<number, Connection>();
  private readonly links: ZoneLink[] = [];
  private readonly byCharacter = new Map<number, Connection>();
  /** New connections waiting for the character's previous connection to be released. */
  private readonly takeovers = new Map<number, () => void>();
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
      this.fail(c, new ProtocolError(ErrorCode.SERVER_FULL, 'server full'));
      this.metrics.handshake('full');
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
      this.metrics.handshake('bad_version');
      return this.fail(c, new ProtocolError(ErrorCode.UNSUPPORTED_VERSION, `protocol ${m.version} unsupported; server speaks ${PROTOCOL_VERSION}`));
    }
    if (m.auth === AuthKind.GUEST) {
      const name = m.credential.normalize('NFC').trim();
      if (!this.cfg.allowGuests) {
        this.metrics.handshake('auth_failed');
        return this.fail(c, new ProtocolError(ErrorCode.AUTH_FAILED, 'guests are not admitted; log in with a session token'));
      }
      if (name.length === 0 || !GUEST_NAME.test(name)) {
        this.metrics.handshake('auth_failed');
        return this.fail(c, new ProtocolError(ErrorCode.BAD_VALUE, 'guest name must be 1-24 bytes of printable characters'));
      }
      c.name = name;
      const zone = this.links[0].zone.spec;
      return this.admit(c, { zone: zone.name, x: spawnCoord(zone.width, this.cfg.spawnSpread), y: spawnCoord(zone.height, this.cfg.spawnSpread), hp: 0 });
    }
    if (!this.world) {
      this.metrics.handshake('auth_failed');
      return this.fail(c, new ProtocolError(ErrorCode.AUTH_FAILED, 'accounts are not available on this server'));
    }
    c.phase = 'entering';
    this.world.enterWorld(m.credential, m.characterId).then(
      (ch) => {
        if (c.phase !== 'entering') return; // closed meanwhile
        c.characterId = ch.characterId;
        c.name = ch.name;
        c.log = c.log.child({ character: ch.characterId });
        this.takeOver(c, { zone: ch.zone, x: ch.x, y: ch.y, hp: ch.hp });
      },
      (err: unknown) => {
        if (err instanceof AuthRefusedError) {
          this.metrics.handshake('auth_failed');
          this.fail(c, new ProtocolError(ErrorCode.AUTH_FAILED, err.message));
        } else if (err instanceof ServiceUnavailableError) {
          this.metrics.handshake('unavailable');
          this.fail(c, new ProtocolError(ErrorCode.UNAVAILABLE, 'login unavailable, try again shortly'));
        } else {
          c.log.error({ err }, 'enter world failed');
          this.metrics.handshake('error');
          this.fail(c, new ProtocolError(ErrorCode.UNAVAILABLE, 'login failed, try again'));
        }
      },
    );
  }

  /** One live connection per character: the older one is closed, and the new one joins where it was left. */
  private takeOver(c: Connection, at: WorldState): void {
    const previous = this.byCharacter.get(c.characterId);
    this.byCharacter.set(c.characterId, c);
    if (!previous || previous.released) return this.admit(c, at);
    let last = at;
    const timer = setTimeout(() => proceed(), 3000);
    const proceed = () => {
      clearTimeout(timer);
      this.takeovers.delete(previous.id);
      if (c.phase === 'entering') this.admit(c, last);
    };
    this.takeovers.set(previous.id, () => {
      last = previous.lastState ?? at;
      proceed();
    });
    this.closeWith(previous, CloseCode.TAKEN_OVER, 'logged in elsewhere');
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
    const c = this.byCharacter.get(characterId);
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
    if (this.byCharacter.get(c.characterId) === c) this.byCharacter.delete(c.characterId);
    this.takeovers.get(c.id)?.();
    c.log.warn({ zone: this.links[c.zone].zone.spec.name, why }, 'player released after a cell failure');
    if (c.phase !== 'closed') this.fail(c, new ProtocolError(ErrorCode.ZONE_DOWN, 'your zone failed; reconnect'));
  }

  /** Saves and disconnects every player of a zone that stays down; returns how many. */
  zoneLost(zone: ZoneHandle, why: string): number {
    const { index } = this.linkOf(zone);
    let n = 0;
    for (const c of [...this.connections.values()]) {
      if (c.zone !== index || c.released) continue;
      this.releaseLost(c, why);
      n++;
    }
    return n;
  }

  /**
   * Before a zone's cells restart (zone-recovery.ts): handles everything the
   * dead cells published, forgets the JOINs and LEAVEs held for them,
   * releases (and saves) connections whose entity is gone from the store,
   * and returns the connections whose entity survives, to reattach — closed
   * ones too, so their LEAVE can be honoured after.
   */
  beforeZoneRestart(zone: ZoneHandle): { players: ReattachedPlayer[]; lost: number } {
    const { link, index } = this.linkOf(zone);
    link.drainNow();
    link.dropPending();
    const store = zone.views.store;
    const players: ReattachedPlayer[] = [];
    let lost = 0;
    for (const c of [...this.connections.values()]) {
      if (c.zone !== index || c.released || c.handle === NO_HANDLE) continue;
      if (!store.isValid(c.handle)) {
        this.releaseLost(c, 'entity gone with its cell');
        lost++;
        continue;
      }
      players.push({ conn: c.id, handle: c.handle, characterId: c.characterId });
    }
    return { players, lost };
  }

  /**
   * After a zone's cells restarted: re-sends the joins they never answered
   * (a JOIN is idempotent), asks again for the leaves of players that closed
   * meanwhile, and releases (and saves) a connection that closed while joining.
   */
  afterZoneRestart(zone: ZoneHandle): { rejoined: number; released: number } {
    const { link, index } = this.linkOf(zone);
    let rejoined = 0;
    let released = 0;
    for (const c of [...this.connections.values()]) {
      if (c.zone !== index || c.released) continue;
      if (c.phase === 'joining') {
        this.rejoin(c);
        rejoined++;
      } else if (c.phase === 'closed') {
        if (c.handle === NO_HANDLE) this.releaseLost(c, 'closed while joining during a zone restart');
        else link.leave(link.ownerOf(c.handle), c.id);
        released++;
      }
    }
    return { rejoined, released };
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
    if (c.phase === 'closed') {
      // Closed while joining: the LEAVE queued after the JOIN releases it.
      return;
    }
    if (c.phase === 'playing') {
      // A JOIN re-sent around a zone restart is answered again with the same entity.
      if (handle !== c.handle) c.log.error({ handle, known: c.handle }, 'second entity for one connection');
      return;
    }
    if (status !== JoinStatus.OK) {
      c.released = true;
      this.metrics.handshake('full');
      return this.fail(c, new ProtocolError(ErrorCode.SERVER_FULL, 'zone full'));
    }
    c.handle = handle;
    c.phase = 'playing';
    this.metrics.handshake('ok');
    const spec = this.links[c.zone].zone.spec;
    this.send(
      c,
      encodeWelcome({
        version: PROTOCOL_VERSION,
        entity: handle,
        zoneId: spec.id,
        tickHz: spec.tickHz,
        mapWidth: spec.width,
        mapHeight: spec.height,
        aoiTile: spec.aoiTile,
        serverTime: Date.now(),
      }),
      'welcome',
    );
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
      if (this.byCharacter.get(c.characterId) === c) this.byCharacter.delete(c.characterId);
    }
    this.takeovers.get(conn)?.();
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
    if (ws.bufferedAmount > this.cfg.sendBufferLimitBytes) {
      const now = Date.now();
      if (c.overSince === 0) c.overSince = now;
      if (now - c.overSince > this.cfg.slowClientKickMs) {
        this.metrics.backpressureKick();
        return this.closeWith(c, CloseCode.SLOW_CONSUMER, 'too slow to receive');
      }
      if (kind === FrameKind.SNAPSHOT) {
        this.metrics.backpressureSkip();
        return;
      }
    } else c.overSince = 0;
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
      if (this.byCharacter.get(c.characterId) === c) this.byCharacter.delete(c.characterId);
      this.takeovers.get(c.id)?.();
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

  /** Heartbeats, idle timeouts and slow consumers that stopped getting frames. */
  private sweep(): void {
    const now = Date.now();
    const pingDue = now - this.lastPingAt >= this.cfg.heartbeatMs;
    if (pingDue) this.lastPingAt = now;
    for (const c of this.connections.values()) {
      if (c.phase === 'closed') continue;
      if (now - c.lastMessageAt > this.cfg.idleTimeoutMs) {
        this.closeWith(c, CloseCode.IDLE_TIMEOUT, 'idle timeout');
      } else if (c.overSince !== 0 && now - c.overSince > this.cfg.slowClientKickMs && c.ws.bufferedAmount > this.cfg.sendBufferLimitBytes) {
        this.metrics.backpressureKick();
        this.closeWith(c, CloseCode.SLOW_CONSUMER, 'too slow to receive');
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

/**
 * A guest's spawn coordinate: uniform over the part of [centre - spread,
 * centre + spread] that lies on the map (not clamped, which would pile
 * guests on the edges when the spread is wider than the map).
 */
function spawnCoord(edge: number, spread: number): number {
  const lo = Math.max(1, edge / 2 - spread);
  const hi = Math.min(edge - 1, edge / 2 + spread);
  return lo + Math.random() * (hi - lo);
}

/** A direction input of length zero is a stop. */
function len0(move: number, a: number, b: number): number {
  return move === MoveKind.DIRECTION && a === 0 && b === 0 ? MoveKind.STOP : move;
}
