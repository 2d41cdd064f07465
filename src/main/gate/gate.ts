import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeClientMessage } from '../../protocol/decode.ts';
import { decodeZonePack } from '../../content/pack/zone-pack.ts';
import type { ZoneMap } from '../../content/zone-map.ts';
import { encodeError, encodePong } from '../../protocol/encode.ts';
import { CloseCode, ErrorCode, ProtocolError, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { ClientMessage } from '../../protocol/messages.ts';
import { Limits } from '../../protocol/opcodes.ts';
import { JoinStatus, QuestFact } from '../../shared/messages/cell-to-gate.ts';
import type { Config } from '../config.ts';
import { ClientAddresses } from '../net/client-address.ts';
import { UpgradeGuard, type Admission } from './admission.ts';
import { CharacterSessions } from './character-sessions.ts';
import { NO_CHAT, type GateChat } from './chat-hook.ts';
import { Connection, NO_HANDLE } from './connection.ts';
import { contentNotice, login, welcomeOf, type HandshakeResult, type LoginHost } from './handshake.ts';
import { PlayerNames } from './player-names.ts';
import type { GateMetrics, RateLimit } from '../metrics/gate-metrics.ts';
import type { Logger } from '../log.ts';
import type { ZoneHandle } from '../zones/supervisor.ts';
import { routeAction, routeInput } from './input-routing.ts';
import { gateQuestHost } from './gate-quests.ts';
import { FrameSender } from './frame-sender.ts';
import { gateEventHost } from './gate-events.ts';
import type { WorldEventHost, WorldEvents } from '../events/world-events.ts';
import type { GateQuests, GateQuestsFactory } from './quests-port.ts';
import { watchErrors, watchTraffic, type SocketHandlers } from './socket-events.ts';
import { sweepConnections, type LivenessActions } from './liveness.ts';
import { ZoneChanges } from './zone-change.ts';
import { Resumes, type ResumeClock } from './resume.ts';
import { keepCheckpoint } from './combat-checkpoint.ts';
import { ZoneLink, type ZoneLinkHandler } from './zone-link.ts';
import type { World, WorldState } from './world.ts';
import { noItems, type GateItems, type GateItemsFactory } from './items-port.ts';
import type { ItemMessage } from '../../shared/messages/items.ts';

export interface GateOptions {
  /** The content hash the server runs (WELCOME, ZONE_CHANGE); '' when it has none. */
  contentHash?: string;
  /** Resolves client addresses behind trusted proxies; the configuration's TRUSTED_PROXIES otherwise. */
  addresses?: ClientAddresses;
  /** The content class number (classes.json order, 1-based) of an account's classId; 0, the content's first class, when left out. */
  classOf?: (classId: number) => number;
  /** Builds the quest logs on the gate's host (main/quests/, joined in start-tessera.ts); no quests without. */
  quests?: GateQuestsFactory;
  /** Builds the world events on the gate's host (announcements, bosses, rewards); none without. */
  events?: (host: WorldEventHost) => WorldEvents;
  /** Items (main/items/, built by start-tessera.ts); none leaves item requests unanswered. */
  items?: GateItemsFactory;
  /** The timers of the resume grace (tests drive them); real timers otherwise. */
  resumeClock?: ResumeClock;
  /** Why an account (0: a guest) or address may not enter, checked at the handshake (moderation/bans.ts); none banned when left out. */
  banned?: (accountId: number, address: string) => string | undefined;
}

/** Error listener for a socket nobody else listens on yet. */
const ignore = (): void => {};

const CLIENT_TYPES: Record<ClientMessage['op'], string> = { hello: 'hello', input: 'input', ack: 'ack', ping: 'ping', action: 'action', quest: 'quest', item: 'item', chat: 'chat', resume: 'resume' };

/**
 * The WebSocket gate on the coordinator: handshake, heartbeats, timeouts,
 * rate limits and backpressure per connection; routes inputs to the cell
 * that owns each player and sends the frames the cells encoded.
 */
export class Gate implements ZoneLinkHandler {
  readonly wss: WebSocketServer;
  readonly connections = new Map<number, Connection>();
  private readonly links: ZoneLink[] = [];
  /** Each link's zone map (from its zone pack), for portals. */
  private readonly maps: (ZoneMap | undefined)[] = [];
  private readonly zoneChanges: ZoneChanges;
  /** Bags, equipment, gold and ground items' claims (main/items/). */
  readonly items: GateItems;
  readonly contentHash: string;
  private readonly classOf: (classId: number) => number;
  private readonly quests: GateQuests | null;
  /** Scheduled world events (read by metrics and the status route). */
  readonly events: WorldEvents | null;
  private readonly eventTimer: NodeJS.Timeout | undefined;
  private readonly sessions = new CharacterSessions();
  /** Players' names for the clients that see them (NAMES before a snapshot). */
  private readonly names = new PlayerNames();
  /** Dropped connections waiting for their client to come back (resume.ts). */
  readonly resumes: Resumes;
  private readonly cfg: Config;
  private readonly world: World | null;
  private readonly metrics: GateMetrics;
  private readonly log: Logger;
  private nextId = 1;
  /** Chat, when plugged in (src/main/chat/, start-tessera.ts). */
  chat: GateChat = NO_CHAT;
  /** Snapshots not sent because a newer tick had already gone to that client. */
  get staleFrames(): number {
    return this.frames.stale;
  }
  private lastPingAt = Date.now();
  private accepting = true;
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly loginHost: LoginHost;
  /** Per-address limits, checked at the upgrade. */
  readonly guard: UpgradeGuard;
  private readonly socketHandlers: SocketHandlers = {
    message: (c, bytes, isBinary) => this.onMessage(c, bytes, isBinary),
    rateLimited: (c, limit) => this.rateLimited(c, limit),
    close: (c, code) => this.onClose(c, code),
    closeStale: (code) => this.metrics.connectionClosed(code),
  };
  /** Cells' frames out to their clients (frame-sender.ts). */
  private readonly frames: FrameSender;
  private readonly liveness: LivenessActions = { close: (c, code, reason) => this.closeWith(c, code, reason), kickSlow: (c) => this.kickSlow(c) };

  constructor(cfg: Config, world: World | null, metrics: GateMetrics, log: Logger, o: GateOptions = {}) {
    this.cfg = cfg;
    this.world = world;
    this.metrics = metrics;
    this.log = log;
    this.contentHash = o.contentHash ?? '';
    this.guard = new UpgradeGuard(cfg.gateLimits, o.addresses ?? new ClientAddresses(cfg.trustedProxies), metrics, log);
    this.classOf = o.classOf ?? (() => 0);
    const questHost = gateQuestHost(this.links, (c, b, t) => this.send(c, b, t), () => this.items);
    this.quests = o.quests?.(questHost) ?? null;
    this.events = o.events?.(gateEventHost(this.links, () => this.connections.values(), (c, b, t) => this.send(c, b, t), questHost)) ?? null;
    this.eventTimer = this.events ? setInterval(() => this.events!.tick(Date.now()), 1000).unref() : undefined;
    this.loginHost = {
      cfg,
      world,
      sessions: this.sessions,
      firstZone: () => this.links[0].zone.spec,
      refuse: (c, result, code, message) => this.refuse(c, result, code, message),
      admit: (c, at) => this.admit(c, at),
      takenOver: (previous) => this.closeWith(previous, CloseCode.TAKEN_OVER, 'logged in elsewhere'),
      resume: (c, previous) => this.resumes.resumeCharacter(c, previous),
      banned: o.banned ?? (() => undefined),
      refuseBanned: (c, message) => {
        this.metrics.handshake('banned');
        this.send(c, encodeError(ErrorCode.AUTH_FAILED, message), 'error');
        this.closeWith(c, CloseCode.BANNED, message);
      },
    };
    const resync = (c: Connection) => this.links[c.zone].resync(this.links[c.zone].ownerOf(c.handle), c.id);
    this.resumes = new Resumes({ graceMs: cfg.resumeGraceMs, metrics, log, resync, ...this.hooks(), leave: (c) => this.leaveCell(c), discard: (c) => this.connections.delete(c.id) }, o.resumeClock);
    this.zoneChanges = new ZoneChanges({
      links: this.links,
      maps: this.maps,
      contentHash: this.contentHash,
      world,
      metrics,
      join: (c, zone, at) => this.join(c, zone, at),
      send: (c, bytes, type) => this.send(c, bytes, type),
      release: (c, at, err) => this.release(c, at, err),
      welcome: (c, handle) => this.welcome(c, handle),
    });
    this.items = o.items ? o.items({ connections: this.connections, links: this.links, send: (c, b) => this.send(c, b, 'inventory') }) : { ...noItems };
    // Collect objectives count the bag.
    this.items.onBag = (conn, counts) => {
      const c = this.connections.get(conn);
      if (c) this.quests?.bag(c, counts);
    };
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: Limits.maxClientFrame,
      perMessageDeflate: false,
      clientTracking: false,
      // Pings are answered after the rate check (socket-events.ts).
      autoPong: false,
    });
    // A malformed upgrade is answered by the guard, so that it is counted with the other refusals.
    this.wss.on('wsClientError', (err: Error, socket: Duplex) => this.guard.refuseMalformed(socket, err.message));
    this.frames = new FrameSender({ cfg, metrics, names: this.names, chat: () => this.chat, send: (c, b, t) => this.send(c, b, t), kickSlow: (c) => this.kickSlow(c) });
    this.sweepTimer = setInterval(() => this.sweep(), Math.min(cfg.heartbeatMs, 1000));
    this.sweepTimer.unref();
  }

  /** Connects a running zone to the gate; its zone pack is decoded once, for its portals. */
  attachZone(zone: ZoneHandle): void {
    this.maps.push(decodeZonePack(new Uint8Array(zone.views.init.map), `zone ${zone.spec.name} pack`));
    this.links.push(new ZoneLink(zone, this, this.links.length));
    this.metrics.watchControlWaiting(() => this.links.reduce((n, l) => n + l.waiting, 0));
  }

  get playerCount(): number {
    return this.connections.size;
  }

  /**
   * Handles an HTTP upgrade on /play: refused at once (429, 503) when the
   * address is over a per-address limit or the server is stopping, before
   * ws makes a WebSocket; otherwise handed to ws.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // The HTTP server stopped listening for errors on an upgraded socket and ws has not started: a reset must not throw.
    socket.on('error', ignore);
    if (!this.accepting) return this.guard.refuse(socket, 'shutting_down', 5);
    const admitted = this.guard.admit(req, socket);
    if (!admitted) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, admitted.ip, admitted));
  }

  private open(ws: WebSocket, remote: string, admission?: Admission): void {
    let id = this.nextId;
    this.nextId = this.nextId >= 0xfffffffe ? 1 : this.nextId + 1;
    while (this.connections.has(id)) id++;
    const c = new Connection(id, ws, remote, this.log.child({ conn: id, ip: remote }), this.cfg.gateLimits);
    c.admission = admission;
    this.metrics.connectionOpened();
    watchErrors(c);
    if (this.connections.size >= this.cfg.maxPlayers) {
      this.refuse(c, 'full', ErrorCode.SERVER_FULL, 'server full');
      ws.on('close', (code) => this.metrics.connectionClosed(c.closeCode ?? code));
      return;
    }
    this.connections.set(id, c);
    c.handshakeTimer = setTimeout(() => {
      if (c.phase !== 'handshake') return;
      this.metrics.handshake('timeout');
      this.closeWith(c, CloseCode.HANDSHAKE_TIMEOUT, 'handshake timeout');
    }, this.cfg.handshakeTimeoutMs);
    watchTraffic(c, this.socketHandlers);
  }

  /** A data frame within the connection's rates (socket-events.ts metered it). */
  private onMessage(c: Connection, bytes: Buffer, isBinary: boolean): void {
    if (!isBinary) return this.fail(c, new ProtocolError(ErrorCode.NOT_BINARY, 'binary frames only'));
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
    if (m.op === 'resume') {
      if (c.phase !== 'handshake') return this.fail(c, new ProtocolError(ErrorCode.UNEXPECTED_MESSAGE, 'resume after handshake'));
      return this.resumes.resume(c, m);
    }
    if (c.phase === 'handshake') {
      return this.fail(c, new ProtocolError(ErrorCode.UNEXPECTED_MESSAGE, `${m.op} before hello`));
    }
    if (m.op === 'ping') return this.send(c, encodePong(m.clientTime, Date.now()), 'pong');
    if (m.op === 'quest') return this.quests?.request(c, m);
    if (m.op === 'chat') return this.chat.receive(c, m);
    // Inputs and actions before the entity exists, or while it changes zone, are moot.
    if (c.phase !== 'playing') return;
    const link = this.links[c.zone];
    if (m.op === 'item') return this.items.request(c.zone, c, m);
    if (m.op === 'action') {
      if (!routeAction(link, c, m)) this.metrics.dropped('action_ring_full');
    } else if (!routeInput(link, c, m)) this.metrics.dropped('input_ring_full');
  }

  /** Closes a connection over its message or byte rate (4004), counted by the limit. */
  private rateLimited(c: Connection, limit: RateLimit): void {
    this.metrics.rateLimited(limit);
    this.fail(c, new ProtocolError(ErrorCode.RATE_LIMITED, limit === 'messages' ? 'too many messages per second' : 'too many bytes per second'));
  }

  private hello(c: Connection, m: Extract<ClientMessage, { op: 'hello' }>): void {
    if (c.phase !== 'handshake') {
      return this.fail(c, new ProtocolError(ErrorCode.UNEXPECTED_MESSAGE, 'hello after handshake'));
    }
    clearTimeout(c.handshakeTimer);
    c.clientContentHash = m.contentHash;
    login(this.loginHost, c, m);
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
    this.join(c, index, at);
  }

  /** Asks zone `zone`'s cell that owns `at` for an entity: at login, and on a zone change. */
  private join(c: Connection, zone: number, at: WorldState): void {
    const link = this.links[zone];
    c.zone = zone;
    c.cell = link.cellOf(at.x, at.y);
    // Tick numbers are per zone: a player entering one starts its snapshot order afresh.
    c.lastFrameTick = 0;
    c.firstFrameTick = 0;
    c.lastAckTick = 0;
    c.movedTick = -1;
    c.phase = 'joining';
    c.joinAt = at;
    // A new entity: the old one's combat checkpoint (another zone's ticks) does not apply.
    c.combatCheckpointBytes = 0;
    link.join(c.cell, c.id, c.characterId, at.x, at.y, this.classOf(c.classId), at.hp, at.level ?? 0, at.xp ?? 0, c.carry);
  }

  /** Closes the connection playing a character, if any (the character was deleted, its sessions revoked); one waiting for a resume leaves at once. */
  closeCharacter(characterId: number, code: number, reason: string): void {
    const c = this.sessions.get(characterId);
    if (c?.detached) this.resumes.end(c);
    else if (c) this.closeWith(c, code, reason);
  }

  /** The links of the zones the gate serves, by zone index (Connection.zone). */
  get zoneLinks(): readonly ZoneLink[] {
    return this.links;
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
    c.log.warn({ zone: this.links[c.zone].zone.spec.name, why }, 'player released after a cell failure');
    this.release(c, c.lastState ?? c.joinAt, new ProtocolError(ErrorCode.ZONE_DOWN, 'your zone failed; reconnect'));
  }

  /** Forgets a connection that has no entity anywhere: saved at `at`; told `err` and closed when still open. */
  private release(c: Connection, at: WorldState | undefined, err?: ProtocolError): void {
    if (c.released) return;
    c.released = true;
    this.connections.delete(c.id);
    if (c.characterId !== 0 && at) this.world?.leaveWorld(c.characterId, at);
    this.quests?.left(c);
    this.gone(c);
    if (c.phase !== 'closed' && err) this.fail(c, err);
  }

  /** Sends a join again (its zone restarted before the cell answered). */
  rejoin(c: Connection): void {
    if (c.phase !== 'joining' || !c.joinAt) return;
    const link = this.links[c.zone];
    c.cell = link.cellOf(c.joinAt.x, c.joinAt.y);
    link.join(c.cell, c.id, c.characterId, c.joinAt.x, c.joinAt.y, this.classOf(c.classId), c.joinAt.hp, c.joinAt.level ?? 0, c.joinAt.xp ?? 0);
  }

  // ---- from the cells ------------------------------------------------------

  // Every message from a zone names it: one about a player that has since
  // changed zone (drained late from another cell's ring) is not acted on.

  joined(zone: number, conn: number, status: number, handle: number): void {
    const c = this.connections.get(conn);
    if (!c || c.zone !== zone) return;
    if (c.phase === 'closed') {
      // Closed while joining: the LEAVE queued after the JOIN releases it, unless no entity was made.
      if (status !== JoinStatus.OK) this.release(c, c.transfer?.back ?? c.joinAt);
      return;
    }
    if (c.phase === 'playing') {
      // A JOIN re-sent around a zone restart is answered again with the same entity.
      if (handle !== c.handle) c.log.error({ handle, known: c.handle }, 'second entity for one connection');
      return;
    }
    // The JOINED of an entity that already went through a portal, drained after its PORTAL.
    if (status === JoinStatus.OK && !this.links[zone].zone.views.store.isValid(handle)) return;
    if (c.transfer) {
      this.zoneChanges.joined(c, status, handle);
      if (status === JoinStatus.OK && c.handle === handle) this.names.entered(c);
      // A zone change that ended playing (not a refusal) has a new entity: it learns what it wears.
      if ((c.phase as string) === 'playing' && c.handle === handle) this.items.entered(zone, c);
      return;
    }
    if (status !== JoinStatus.OK) {
      c.released = true;
      return this.refuse(c, 'full', ErrorCode.SERVER_FULL, 'zone full');
    }
    this.welcome(c, handle);
    this.names.entered(c);
  }

  /** The handshake's end: the client learns its first entity (later ones come in ZONE_CHANGE). */
  private welcome(c: Connection, handle: number): void {
    c.handle = handle;
    c.phase = 'playing';
    c.welcomed = true;
    if (c.admission) this.guard.handshakeDone(c.admission);
    this.metrics.handshake('ok');
    const spec = this.links[c.zone].zone.spec;
    this.send(c, welcomeOf(spec, handle, this.contentHash), 'welcome');
    this.resumes.issue(c);
    const stale = contentNotice(c.clientContentHash, this.contentHash);
    if (stale) this.send(c, stale, 'notice');
    c.log.info({ zone: spec.name, cell: c.cell, entity: handle, name: c.name }, 'player entered');
    this.quests?.entered(c);
    this.items.joined(c);
  }

  /** Keeps `cell` for logs; MOVED notices from different cells' rings may arrive out of order, so older ones are ignored. */
  moved(zone: number, conn: number, cell: number, tick: number): void {
    const c = this.connections.get(conn);
    if (!c || c.zone !== zone || tick < c.movedTick) return;
    c.movedTick = tick;
    c.cell = cell;
  }

  state(zone: number, conn: number, x: number, y: number, hp: number, level: number, xp: number): void {
    const c = this.connections.get(conn);
    if (!c || c.zone !== zone || c.characterId === 0 || c.transfer) return;
    c.lastState = { zone: this.links[zone].zone.spec.name, x, y, hp, level, xp };
    this.world?.updateState(c.characterId, c.lastState);
  }

  item(zone: number, m: ItemMessage): void {
    this.items.cellItem(zone, m);
  }

  checkpoint(zone: number, conn: number, src: Buffer, start: number, end: number): void {
    const c = this.connections.get(conn);
    if (c && c.zone === zone && !c.released) keepCheckpoint(c, src, start, end);
  }

  portal(zone: number, conn: number, tick: number, portal: number, x: number, y: number, hp: number, backX: number, backY: number, level: number, xp: number, carry: Uint8Array | null): void {
    const c = this.connections.get(conn);
    if (!c || c.released || c.zone !== zone) return;
    this.names.left(c);
    c.carry = carry;
    this.zoneChanges.portal(c, zone, tick, portal, x, y, hp, backX, backY, level, xp);
  }

  questFact(zone: number, conn: number, kind: number, value: number): void {
    const c = this.connections.get(conn);
    if (!c || c.zone !== zone) return;
    const name = this.links[zone].zone.spec.name;
    this.quests?.fact(c, name, kind, value);
    if (kind === QuestFact.KILL) this.events?.killCredit(c, name, value, Date.now());
  }

  left(zone: number, conn: number, x: number, y: number, hp: number, level: number, xp: number): void {
    const c = this.connections.get(conn);
    if (!c || c.zone !== zone) return;
    c.released = true;
    this.connections.delete(conn);
    this.names.left(c);
    if (c.characterId !== 0) {
      c.lastState = { zone: this.links[zone].zone.spec.name, x, y, hp, level, xp };
      this.world?.leaveWorld(c.characterId, c.lastState);
    }
    this.items.left(conn);
    this.gone(c);
    c.log.info({ cell: c.cell, x, y }, 'player left');
  }

  frame(zone: number, conn: number, kind: number, tick: number, src: Buffer, start: number, end: number): void {
    const c = this.connections.get(conn);
    if (c) this.frames.send(c, zone, kind, tick, src, start, end);
  }

  // ---- closing -------------------------------------------------------------

  private onClose(c: Connection, code: number): void {
    // The code the gate (or ws, for a broken frame) closed with, when it did: the client's answer may never come (1006).
    this.metrics.connectionClosed(c.closeCode ?? code);
    clearTimeout(c.handshakeTimer);
    const wasIn = c.phase === 'joining' || c.phase === 'playing';
    // A drop keeps the character in the world for a resume (resume.ts).
    if (wasIn && !c.released && this.resumes.dropped(c, code)) return;
    c.phase = 'closed';
    if (wasIn && !c.released) this.leaveCell(c);
    else {
      this.connections.delete(c.id);
      this.gone(c);
    }
  }

  /** The gate's ways of answering a connection, for the modules it hands a part of its work to. */
  private hooks() {
    return {
      send: (c: Connection, bytes: Uint8Array, type: string) => this.send(c, bytes, type),
      refuse: (c: Connection, result: HandshakeResult, code: ErrorCodeValue, message: string) => this.refuse(c, result, code, message),
      closeWith: (c: Connection, code: number, reason: string) => this.closeWith(c, code, reason),
      welcome: (c: Connection, handle: number) => this.welcome(c, handle),
    };
  }

  /** Asks the cell that has `c`'s entity to let it go; its LEFT saves and releases it. */
  private leaveCell(c: Connection): void {
    const link = this.links[c.zone];
    // A joining player's LEAVE follows its JOIN into the same ring.
    link.leave(c.handle === NO_HANDLE ? c.cell : link.ownerOf(c.handle), c.id);
  }

  /** `c` no longer plays its character: its session and resume token end. */
  private gone(c: Connection): void {
    this.sessions.released(c);
    this.resumes.forget(c);
  }

  /** Sends the typed error, then closes with its close code. */
  private fail(c: Connection, err: ProtocolError): void {
    c.log.info({ code: err.code, close: err.closeCode }, `protocol error: ${err.message}`);
    this.send(c, encodeError(err.code, err.message), 'error');
    this.closeWith(c, err.closeCode, err.message);
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

  /** Sends one message to an open connection, counted under `type`. */
  send(c: Connection, bytes: Uint8Array, type: string): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    c.ws.send(bytes, { binary: true });
    c.bytesOut += bytes.length;
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
    this.guard.sweep(now);
    sweepConnections(this.connections.values(), this.cfg, now, pingDue, this.liveness);
  }

  /** Stops accepting, closes every connection (1001) and waits until the cells released them. */
  async shutdown(timeoutMs = 5000): Promise<void> {
    this.accepting = false;
    clearInterval(this.sweepTimer);
    clearInterval(this.eventTimer);
    this.resumes.endAll();
    for (const c of this.connections.values()) this.closeWith(c, CloseCode.GOING_AWAY, 'server shutting down');
    const deadline = Date.now() + timeoutMs;
    while ([...this.connections.values()].some((c) => !c.released && c.phase !== 'handshake') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.quests?.settled(Math.max(0, deadline - Date.now()));
    for (const l of this.links) l.close();
    this.wss.close();
  }
}
