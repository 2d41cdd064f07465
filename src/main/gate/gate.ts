import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer, WebSocket } from 'ws';
import { decodeZonePack } from '../../content/pack/zone-pack.ts';
import type { ZoneMap } from '../../content/zone-map.ts';
import { CloseCode, ErrorCode, ProtocolError, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { ClientMessage } from '../../protocol/messages.ts';
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
import { onClientFrame, type ClientFrameHost } from './client-frames.ts';
import { FrameSender } from './frame-sender.ts';
import { gameSocketServer, watchErrors, watchTraffic, type SocketHandlers } from './socket-events.ts';
import { sweepConnections, type LivenessActions } from './liveness.ts';
import { ZoneChanges } from './zone-change.ts';
import { Resumes, type ResumeClock } from './resume.ts';
import { ZoneLink } from './zone-link.ts';
import { Replies } from './replies.ts';
import { CellReports } from './cell-reports.ts';
import { GameParts, type GamePartFactories } from './game-parts.ts';
import { NO_VIOLATIONS, type GateViolations } from './violation-hook.ts';
import type { World, WorldState } from './world.ts';

/** Quests, world events and items come as factories (game-parts.ts); each left out is absent. */
export interface GateOptions extends GamePartFactories {
  /** The content hash the server runs (WELCOME, ZONE_CHANGE); '' when it has none. */
  contentHash?: string;
  /** Resolves client addresses behind trusted proxies; the configuration's TRUSTED_PROXIES otherwise. */
  addresses?: ClientAddresses;
  /** The content class number (classes.json order, 1-based) of an account's classId; 0, the content's first class, when left out. */
  classOf?: (classId: number) => number;
  /** The timers of the resume grace (tests drive them); real timers otherwise. */
  resumeClock?: ResumeClock;
  /** Why an account (0: a guest) or address may not enter, checked at the handshake (moderation/bans.ts); none banned when left out. */
  banned?: (accountId: number, address: string) => string | undefined;
}

/** Error listener for a socket nobody else listens on yet. */
const ignore = (): void => {};

/**
 * The WebSocket gate on the coordinator: handshake, heartbeats, timeouts,
 * rate limits and backpressure per connection; routes inputs to the cell
 * that owns each player and sends the frames the cells encoded.
 */
export class Gate {
  readonly wss: WebSocketServer;
  readonly connections = new Map<number, Connection>();
  private readonly links: ZoneLink[] = [];
  /** Each link's zone map (from its zone pack), for portals. */
  private readonly maps: (ZoneMap | undefined)[] = [];
  private readonly zoneChanges: ZoneChanges;
  readonly contentHash: string;
  private readonly classOf: (classId: number) => number;
  /** Quests, world events and items (game-parts.ts). */
  readonly parts: GameParts;
  /** What the cells report, drained by the zone links (cell-reports.ts). */
  readonly reports: CellReports;
  private readonly sessions = new CharacterSessions();
  /** Players' names for the clients that see them (NAMES before a snapshot). */
  private readonly names = new PlayerNames();
  /** Dropped connections waiting for their client to come back (resume.ts). */
  readonly resumes: Resumes;
  private readonly cfg: Config;
  /** Sends, closes, protocol errors and refusals, counted (replies.ts). */
  private readonly replies: Replies;
  private readonly world: World | null;
  private readonly metrics: GateMetrics;
  private readonly log: Logger;
  private nextId = 1;
  /** Chat, when plugged in (src/main/chat/, start-tessera.ts). */
  chat: GateChat = NO_CHAT;
  /** The anti-cheat, when plugged in (src/main/anticheat/, start-tessera.ts). */
  violations: GateViolations = NO_VIOLATIONS;
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
    message: (c, bytes, isBinary) => onClientFrame(this.clientFrames, c, bytes, isBinary),
    rateLimited: (c, limit) => this.rateLimited(c, limit),
    close: (c, code) => this.onClose(c, code),
    closeStale: (code) => this.metrics.connectionClosed(code),
  };
  /** Where clients' frames go (client-frames.ts). */
  private readonly clientFrames: ClientFrameHost;
  /** Cells' frames out to their clients (frame-sender.ts). */
  private readonly frames: FrameSender;
  private readonly liveness: LivenessActions = { close: (c, code, reason) => this.closeWith(c, code, reason), kickSlow: (c) => this.replies.kickSlow(c) };

  constructor(cfg: Config, world: World | null, metrics: GateMetrics, log: Logger, o: GateOptions = {}) {
    this.cfg = cfg;
    this.world = world;
    this.metrics = metrics;
    this.replies = new Replies(metrics);
    this.log = log;
    this.contentHash = o.contentHash ?? '';
    this.guard = new UpgradeGuard(cfg.gateLimits, o.addresses ?? new ClientAddresses(cfg.trustedProxies), metrics, log);
    this.classOf = o.classOf ?? (() => 0);
    this.parts = new GameParts({ connections: this.connections, links: this.links, send: (c, b, t) => this.send(c, b, t), holdRewards: cfg.holdRewards }, o);
    this.loginHost = {
      cfg,
      world,
      sessions: this.sessions,
      firstZone: () => this.links[0].zone.spec,
      refuse: (c, result, code, message) => this.replies.refuse(c, result, code, message),
      admit: (c, at) => this.admit(c, at),
      takenOver: (previous) => this.closeWith(previous, CloseCode.TAKEN_OVER, 'logged in elsewhere'),
      resume: (c, previous) => this.resumes.resumeCharacter(c, previous),
      banned: o.banned ?? (() => undefined),
      refuseBanned: (c, message) => this.replies.banned(c, message),
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
      resendRewards: (c) => this.parts.rewards.resend(c),
    });
    // A malformed upgrade is answered by the guard, so that it is counted with the other refusals.
    this.wss = gameSocketServer((socket, reason) => this.guard.refuseMalformed(socket, reason));
    this.frames = new FrameSender({ cfg, metrics, names: this.names, chat: () => this.chat, kickSlow: (c) => this.replies.kickSlow(c) });
    this.reports = new CellReports({
      connections: this.connections,
      links: this.links,
      world,
      names: this.names,
      zoneChanges: this.zoneChanges,
      frames: this.frames,
      parts: this.parts,
      release: (c, at) => this.release(c, at),
      refuse: (c, result, code, message) => this.replies.refuse(c, result, code, message),
      welcome: (c, handle) => this.welcome(c, handle),
      gone: (c) => this.gone(c),
    });
    this.clientFrames = {
      metrics,
      links: this.links,
      parts: this.parts,
      resumes: this.resumes,
      chat: () => this.chat,
      violations: () => this.violations,
      hello: (c, m) => this.hello(c, m),
      send: (c, b, t) => this.send(c, b, t),
      fail: (c, err) => this.replies.fail(c, err),
    };
    this.sweepTimer = setInterval(() => this.sweep(), Math.min(cfg.heartbeatMs, 1000));
    this.sweepTimer.unref();
  }

  /** Connects a running zone to the gate; its zone pack is decoded once, for its portals. */
  attachZone(zone: ZoneHandle): void {
    this.maps.push(decodeZonePack(new Uint8Array(zone.views.init.map), `zone ${zone.spec.name} pack`));
    this.links.push(new ZoneLink(zone, this.reports, this.links.length));
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
      this.replies.refuse(c, 'full', ErrorCode.SERVER_FULL, 'server full');
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

  /** Closes a connection over its message or byte rate (4004), counted by the limit. */
  private rateLimited(c: Connection, limit: RateLimit): void {
    this.metrics.rateLimited(limit);
    this.replies.fail(c, new ProtocolError(ErrorCode.RATE_LIMITED, limit === 'messages' ? 'too many messages per second' : 'too many bytes per second'));
    this.violations.flood(c);
  }

  /** A HELLO during the handshake: the login begins (handshake.ts). */
  private hello(c: Connection, m: Extract<ClientMessage, { op: 'hello' }>): void {
    clearTimeout(c.handshakeTimer);
    c.clientContentHash = m.contentHash;
    login(this.loginHost, c, m);
  }

  private admit(c: Connection, at: WorldState): void {
    const index = Math.max(0, this.links.findIndex((l) => l.zone.spec.name === at.zone));
    const link = this.links[index];
    if (link.zone.lost) {
      c.released = true;
      return this.replies.fail(c, new ProtocolError(ErrorCode.ZONE_DOWN, `zone ${link.zone.spec.name} is down`));
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
    this.parts.rewards.joining(c, at);
    link.join(c.cell, c.id, c.characterId, at.x, at.y, this.classOf(c.classId), at.hp, at.level ?? 0, at.xp ?? 0, c.carry, c.rewardSeq);
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
    this.parts.left(c);
    this.gone(c);
    if (c.phase !== 'closed' && err) this.replies.fail(c, err);
  }

  /** Sends a join again (its zone restarted before the cell answered). */
  rejoin(c: Connection): void {
    if (c.phase !== 'joining' || !c.joinAt) return;
    const link = this.links[c.zone];
    c.cell = link.cellOf(c.joinAt.x, c.joinAt.y);
    link.join(c.cell, c.id, c.characterId, c.joinAt.x, c.joinAt.y, this.classOf(c.classId), c.joinAt.hp, c.joinAt.level ?? 0, c.joinAt.xp ?? 0, null, c.joinAt.rewardSeq ?? 0);
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
    this.parts.entered(c);
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
      refuse: (c: Connection, result: HandshakeResult, code: ErrorCodeValue, message: string) => this.replies.refuse(c, result, code, message),
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

  /** Closes with `code` and `reason` (replies.ts). */
  closeWith(c: Connection, code: number, reason: string): void {
    this.replies.closeWith(c, code, reason);
  }

  /** Sends one message to an open connection, counted under `type` (replies.ts). */
  send(c: Connection, bytes: Uint8Array, type: string): void {
    this.replies.send(c, bytes, type);
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
    this.parts.stopTimers();
    this.resumes.endAll();
    for (const c of this.connections.values()) this.closeWith(c, CloseCode.GOING_AWAY, 'server shutting down');
    const deadline = Date.now() + timeoutMs;
    while ([...this.connections.values()].some((c) => !c.released && c.phase !== 'handshake') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.parts.settled(Math.max(0, deadline - Date.now()));
    for (const l of this.links) l.close();
    this.wss.close();
  }
}
