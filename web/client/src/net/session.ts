import { ClientView } from '../../../../src/protocol/client-view.ts';
import { decodeServerMessage } from '../../../../src/protocol/decode.ts';
import type { QuestActionValue } from '../../../../src/protocol/quest-codes.ts';
import { encodeItemRequest, type InventoryMessage } from '../../../../src/protocol/item-messages.ts';
import type { ItemOpValue } from '../../../../src/protocol/item-codes.ts';
import { encodeQuest, type QuestLogMessage, type QuestResultMessage } from '../../../../src/protocol/quest-messages.ts';
import { encodeAck, encodeChat, encodeHello, encodeInput, encodePing, encodeResume } from '../../../../src/protocol/encode.ts';
import { CloseCode, ProtocolError, type ErrorCodeValue } from '../../../../src/protocol/errors.ts';
import type { ActionKindValue } from '../../../../src/protocol/combat-codes.ts';
import type { NamesMessage, ServerMessage, ZoneChangeMessage } from '../../../../src/protocol/messages.ts';
import { AuthKind, Limits, MoveKind, PROTOCOL_VERSION, ServerOp } from '../../../../src/protocol/opcodes.ts';
import { ActionSender } from './actions.ts';

/**
 * One play session over one WebSocket: the handshake (HELLO with the
 * content hash the client loaded), every server message decoded with the
 * shared codec and handed on, snapshots applied to a ClientView and
 * acknowledged, inputs numbered, pings for the round trip, and the
 * protocol's message-rate limit kept (acks are dropped before inputs are
 * delayed). No DOM: the browser passes its WebSocket, tests a `ws` one.
 */
export type Welcome = Extract<ServerMessage, { op: 'welcome' }>;
export type Notice = Extract<ServerMessage, { op: 'notice' }>;
export type ServerError = Extract<ServerMessage, { op: 'error' }>;

/** How a session logs in: a guest, an account's character, or the resume of a dropped session (net/reconnect.ts). */
export type Login = { kind: 'guest'; name: string } | { kind: 'token'; token: string; characterId: number } | { kind: 'resume'; token: string };

/** The part of WebSocket the session uses (the browser's and ws's both have it). */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface SessionHandlers {
  welcome(w: Welcome): void;
  zoneChange(z: ZoneChangeMessage): void;
  /** A snapshot was applied to `view` (its header says tick, lastInputSeq, you). */
  snapshot(view: ClientView, now: number): void;
  notice(n: Notice): void;
  pong(rttMs: number): void;
  /** Names of other players (NAMES), sent before the snapshot that brings them into view. */
  names?(m: NamesMessage): void;
  /** The quest log (QUEST_LOG) and answers to QUESTs (QUEST_RESULT). */
  quest?(m: QuestLogMessage | QuestResultMessage): void;
  /** The player's bag, equipment and gold, and answers to its ITEMs (INVENTORY). */
  inventory?(m: InventoryMessage): void;
  /** The server gave the token to resume with after a drop, and how long it waits (RESUME_TOKEN). */
  resumeToken?(token: string, graceMs: number): void;
  /** The connection ended; `error` is the server's ERROR before the close, if any. */
  closed(code: number, reason: string, error: ServerError | undefined): void;
}

export const SessionState = { CONNECTING: 0, HELLO: 1, PLAYING: 2, CLOSED: 3 } as const;
export type SessionStateValue = (typeof SessionState)[keyof typeof SessionState];

const OPEN = 1;
/** Messages a second the session allows itself: under the protocol's limit with room for bursts. */
const BUDGET_PER_SECOND = Limits.maxClientMessagesPerSecond - 30;
const PING_EVERY_MS = 2000;

export class Session {
  readonly view = new ClientView();
  state: SessionStateValue = SessionState.CONNECTING;
  welcome: Welcome | undefined;
  /** The player's entity: WELCOME's, then each ZONE_CHANGE's. */
  entity = -1;
  /** The last ERROR the server sent. */
  lastError: ServerError | undefined;
  /** Newest input seq sent. */
  seq = 0;
  /** Snapshots applied, messages sent, acks skipped to keep the rate. */
  snapshots = 0;
  sent = 0;
  acksSkipped = 0;
  /** ACTIONs: numbered, and sent again until the self record says the server handled them. */
  readonly actions = new ActionSender();
  /** Newest round trip, ms (0 until the first PONG). */
  rtt = 0;
  private readonly socket: SocketLike;
  private readonly handlers: SessionHandlers;
  private readonly now: () => number;
  private windowStart = 0;
  private windowCount = 0;
  private ackedTick = 0;
  private nextPingAt = 0;
  private itemSeq = 0;

  constructor(socket: SocketLike, login: Login, contentHash: string, handlers: SessionHandlers, now: () => number) {
    this.socket = socket;
    this.handlers = handlers;
    this.now = now;
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      this.state = SessionState.HELLO;
      const hello =
        login.kind === 'guest'
          ? encodeHello(login.name, 0, AuthKind.GUEST, PROTOCOL_VERSION, contentHash)
          : login.kind === 'token'
            ? encodeHello(login.token, login.characterId, AuthKind.TOKEN, PROTOCOL_VERSION, contentHash)
            : encodeResume(login.token, PROTOCOL_VERSION, contentHash);
      this.send(hello);
    };
    socket.onmessage = (ev) => this.onMessage(ev.data);
    socket.onclose = (ev) => {
      if (this.state === SessionState.CLOSED) return;
      this.state = SessionState.CLOSED;
      this.handlers.closed(ev.code, ev.reason, this.lastError);
    };
    socket.onerror = () => {};
  }

  private onMessage(data: unknown): void {
    if (!(data instanceof ArrayBuffer)) return this.fail('the server sent a text frame');
    const bytes = new Uint8Array(data);
    const now = this.now();
    try {
      if (bytes[0] === ServerOp.SNAPSHOT) {
        if (this.state !== SessionState.PLAYING) return;
        this.view.apply(bytes);
        this.snapshots++;
        if (this.view.self) this.actions.handled(this.view.self.actionSeq);
        this.handlers.snapshot(this.view, now);
        this.ack();
        return;
      }
      const m = decodeServerMessage(bytes);
      if (!m) return;
      switch (m.op) {
        case 'welcome':
          this.welcome = m;
          this.entity = m.entity;
          this.state = SessionState.PLAYING;
          this.handlers.welcome(m);
          this.ping(now);
          break;
        case 'zoneChange':
          // Ticks are per zone: nothing of the old one is acknowledged again.
          this.view.reset();
          this.actions.clear();
          this.ackedTick = 0;
          this.entity = m.entity;
          this.handlers.zoneChange(m);
          break;
        case 'notice':
          this.handlers.notice(m);
          break;
        case 'names':
          this.handlers.names?.(m);
          break;
        case 'questLog':
        case 'questResult':
          this.handlers.quest?.(m);
          break;
        case 'inventory':
          this.handlers.inventory?.(m);
          break;
        case 'pong':
          this.rtt = Math.max(0, now - m.clientTime);
          this.handlers.pong(this.rtt);
          break;
        case 'error':
          this.lastError = m;
          break;
        case 'resumeToken':
          this.handlers.resumeToken?.(m.token, m.graceMs);
          break;
      }
    } catch (err) {
      if (err instanceof ProtocolError) return this.fail(err.message, err.code);
      throw err;
    }
  }

  /** A message the client cannot use: the session ends as the server would end it. */
  private fail(message: string, code?: ErrorCodeValue): void {
    if (code !== undefined) this.lastError = { op: 'error', code, message };
    this.close(CloseCode.PROTOCOL_ERROR, message.slice(0, 100));
  }

  private allow(): boolean {
    const now = this.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    return this.windowCount < BUDGET_PER_SECOND;
  }

  private send(bytes: Uint8Array): void {
    if (this.socket.readyState !== OPEN) return;
    this.socket.send(bytes);
    this.windowCount++;
    this.sent++;
  }

  private ack(): void {
    const tick = this.view.lastTick;
    if (tick === this.ackedTick) return;
    if (!this.allow()) {
      this.acksSkipped++;
      return;
    }
    this.ackedTick = tick;
    this.send(encodeAck(tick));
  }

  /**
   * Sends an input (it also acknowledges the newest snapshot) and returns
   * its seq, or -1 when the rate limit has no room for it this second (the
   * caller sends it again on its next frame).
   */
  input(move: number, dx: number, dy: number, x: number, y: number): number {
    if (this.state !== SessionState.PLAYING || !this.allow()) return -1;
    const seq = ++this.seq;
    const ackTick = this.view.lastTick;
    this.ackedTick = ackTick;
    this.send(encodeInput({ seq, ackTick, move: move as (typeof MoveKind)[keyof typeof MoveKind], dx, dy, x, y }));
    return seq;
  }

  /**
   * Sends an ACTION (combat-codes.ts ActionKind) and returns its seq, or -1
   * when the rate limit has no room this second (the player presses again).
   */
  action(kind: ActionKindValue, target: number, skill: number, x: number, y: number): number {
    if (this.state !== SessionState.PLAYING || !this.allow()) return -1;
    this.send(this.actions.next(kind, target, skill, x, y, this.now()));
    return this.actions.seq;
  }

  /** Sends a QUEST (quest-codes.ts QuestAction); false when not playing or over the rate (the player presses again). */
  quest(action: QuestActionValue, quest: number, npc: number): boolean {
    if (this.state !== SessionState.PLAYING || !this.allow()) return false;
    this.send(encodeQuest({ action, quest, npc }));
    return true;
  }

  /**
   * Sends an ITEM (item-codes.ts ItemOp) and returns its seq (u16, which
   * INVENTORY's results name), or -1 when not playing or over the rate
   * budget (the player presses again).
   */
  item(itemOp: ItemOpValue, item: number, version: number, slot = 0, count = 0, other = 0, otherVersion = 0): number {
    if (this.state !== SessionState.PLAYING || !this.allow()) return -1;
    this.itemSeq = (this.itemSeq + 1) & 0xffff;
    this.send(encodeItemRequest({ seq: this.itemSeq, itemOp, item, version, other, otherVersion, slot, count }));
    return this.itemSeq;
  }

  /** Sends a CHAT (ChatChannel SAY, ZONE or WHISPER to `target`); false when not in the world or over the rate budget. */
  chat(channel: number, target: string, text: string): boolean {
    if (this.state !== SessionState.PLAYING || !this.allow()) return false;
    this.send(encodeChat(channel, target, text));
    return true;
  }

  /** Called every frame: pings on schedule, actions the server has not handled sent again. */
  update(now: number): void {
    if (this.state !== SessionState.PLAYING) return;
    if (now >= this.nextPingAt) this.ping(now);
    if (this.actions.waiting > 0 && this.allow()) for (const bytes of this.actions.due(now)) this.send(bytes);
  }

  private ping(now: number): void {
    this.nextPingAt = now + PING_EVERY_MS;
    if (this.allow()) this.send(encodePing(now));
  }

  close(code: number = CloseCode.NORMAL, reason = ''): void {
    if (this.state === SessionState.CLOSED) return;
    try {
      this.socket.close(code, reason);
    } catch {
      this.socket.close();
    }
  }
}
