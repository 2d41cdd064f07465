import { performance } from 'node:perf_hooks';
import { ClientView } from '../protocol/client-view.ts';
import { decodeServerMessage } from '../protocol/decode.ts';
import { encodeAck, encodeChat, encodeHello, encodeInputInto, encodePing } from '../protocol/encode.ts';
import { NoticeCode } from '../protocol/notices.ts';
import { AuthKind, Limits, MoveKind, ServerOp } from '../protocol/opcodes.ts';
import { characterNameFor, classIdFor, loginBot, LoginError } from './accounts.ts';
import { chatDelay, chatLine, newIntent, ownPosition, wander, type Intent } from './behavior.ts';
import { recordMs } from './latency.ts';
import type { BotWorkerInit } from './messages.ts';
import { Mind } from './mind.ts';
import type { Routes } from './routes.ts';
import { wsHeaderBytes } from '../protocol/ws-header.ts';
import { WsClient, WsState } from './ws-client.ts';
import type { WorkerStats } from './worker-stats.ts';

export const BotState = { IDLE: 0, LOGGING_IN: 1, CONNECTING: 2, HELLO_SENT: 3, PLAYING: 4, CLOSED: 5, FAILED: 6 } as const;

/** Inputs whose send time a bot remembers for input-to-ack RTT (power of two). */
const PENDING = 64;
/** Notice code → its name, for the report. */
const NOTICE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(NoticeCode).map(([name, code]) => [code, name]));
/** Handshake (HTTP upgrade + HELLO → WELCOME) must finish within this. */
const JOIN_TIMEOUT_MS = 20_000;
/** An input's bytes: the client masks them into a frame of its own at once, so one scratch serves every bot of the thread. */
const inputScratch = new Uint8Array(16);

/** Everything the bots of one worker share. */
export interface BotContext {
  init: BotWorkerInit;
  stats: WorkerStats;
  rnd: () => number;
  /** Counters of bots by state, kept by the bots as they move between states. */
  gauges: { open: number; connecting: number };
  /** The worker's A* over the world book's zones (questers); null without a book. */
  routes: Routes | null;
  /** What every bot's socket reads into (ws-client.ts): a read is parsed before the next one. */
  readBuffer: Buffer;
}

/**
 * One simulated player: logs in (or joins as a guest), holds one WebSocket,
 * decodes every snapshot with the shared ClientView, acknowledges ticks,
 * sends inputs and pings on the worker's schedule, and counts what it sees.
 * Lean on purpose: a few numbers, one socket, one view, no timers of its own.
 */
export class Bot {
  readonly index: number;
  readonly name: string;
  state: number = BotState.IDLE;
  private ws: WsClient | null = null;
  private view: ClientView | null = null;
  private readonly ctx: BotContext;
  /** The playing mind of a `fight`, `quest` or `mixed` bot (mind.ts); null for a wanderer. */
  readonly mind: Mind | null;
  /** The class its character is made with (account bots). */
  private readonly classId: number;
  private readonly intent: Intent = newIntent();
  private readonly pos = { x: 0, y: 0 };
  private startedAt = 0;
  private mapW = 256;
  private mapH = 256;
  private seq = 0;
  /** Newest input seq whose round trip is recorded. */
  private measuredSeq = 0;
  private readonly sentAt = new Float64Array(PENDING);
  private lastSnapAt = 0;
  /** Move kind of the last input sent: one STOP input ends a walk, ACKs follow. */
  private lastMove: number = MoveKind.STOP;
  private stopping = false;
  /** performance.now() of the next input (or ACK) and ping. */
  nextInputAt = 0;
  nextPingAt = 0;
  /** performance.now() of the next chat message (Infinity: the bot does not chat). */
  nextChatAt = Infinity;
  private chats = 0;
  // Window counters (reset by the worker at the start of a measurement window).
  winSnapshots = 0;
  winBytesIn = 0;
  winBytesOut = 0;

  constructor(index: number, ctx: BotContext) {
    this.index = index;
    this.ctx = ctx;
    this.name = `${ctx.init.prefix}${index}`;
    const { behavior, hunt, fightBook, worldBook, guests, prefix } = ctx.init;
    this.classId = classIdFor(characterNameFor(prefix, index), worldBook?.classes ?? 0);
    this.mind =
      behavior === 'wander'
        ? null
        : new Mind({
            behavior,
            hunt,
            index,
            fightBook: fightBook ?? null,
            world: worldBook ?? null,
            routes: ctx.routes,
            classId: guests ? null : this.classId,
            combat: ctx.stats.combatCount,
            quests: ctx.stats.questCount,
            items: ctx.stats.itemCount,
            send: (bytes) => this.send(bytes),
          });
  }

  /** Logs in when needed, then opens the WebSocket. */
  async start(): Promise<void> {
    const { init, stats } = this.ctx;
    this.startedAt = performance.now();
    this.ctx.gauges.connecting++;
    let credential = this.name;
    let characterId = 0;
    let auth: number = AuthKind.GUEST;
    if (!init.guests) {
      this.state = BotState.LOGGING_IN;
      try {
        const c = await loginBot(init.httpBase, `${init.prefix.toLowerCase()}_${this.index}`, `pw-${init.prefix}-${this.index}-bench`, characterNameFor(init.prefix, this.index), this.classId);
        credential = c.token;
        characterId = c.characterId;
        auth = AuthKind.TOKEN;
      } catch (err) {
        this.fail(err instanceof LoginError ? err.reason : 'login_exception');
        return;
      }
      if (this.stopping) {
        this.fail('stopped');
        return;
      }
    }
    this.state = BotState.CONNECTING;
    const hello = encodeHello(credential, characterId, auth);
    let joinTimer: NodeJS.Timeout | undefined;
    const ws = new WsClient(
      init.playUrl,
      { maxPayload: Limits.maxServerFrame * 2, handshakeTimeoutMs: JOIN_TIMEOUT_MS, readBuffer: this.ctx.readBuffer, localAddress: init.localAddress },
      {
        onOpen: () => {
          this.state = BotState.HELLO_SENT;
          this.send(hello);
        },
        onMessage: (data, binary) => {
          if (!binary) {
            stats.error('text_frame');
            return;
          }
          this.onFrame(data);
        },
        onError: (err) => {
          if (this.state === BotState.CONNECTING || this.state === BotState.HELLO_SENT) {
            this.fail(err.code ? `ws_${err.code}` : `ws_${err.message.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 40)}`);
          } else {
            stats.error(err.code ?? 'socket_error');
          }
        },
        onClose: (code) => {
          clearTimeout(joinTimer);
          if (this.state === BotState.PLAYING) {
            this.ctx.gauges.open--;
            if (!this.stopping) stats.disconnect(`close_${code}`);
            this.state = BotState.CLOSED;
          } else if (this.state === BotState.CONNECTING || this.state === BotState.HELLO_SENT) {
            this.fail(`close_${code}`);
          }
          this.ws = null;
          this.view = null;
        },
      },
    );
    this.ws = ws;
    joinTimer = setTimeout(() => {
      if (this.state === BotState.CONNECTING || this.state === BotState.HELLO_SENT) {
        this.fail('join_timeout');
        ws.terminate();
      }
    }, JOIN_TIMEOUT_MS);
  }

  private fail(reason: string): void {
    if (this.state === BotState.FAILED || this.state === BotState.CLOSED) return;
    this.state = BotState.FAILED;
    this.ctx.gauges.connecting--;
    this.ctx.stats.fail(reason);
  }

  private send(bytes: Uint8Array): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WsState.OPEN) return;
    ws.send(bytes);
    const n = bytes.length + wsHeaderBytes(bytes.length, true);
    const s = this.ctx.stats;
    s.framesOut++;
    s.bytesOut += n;
    this.winBytesOut += n;
  }

  /** A binary message; `data` is the socket's read buffer, valid only during the call. */
  private onFrame(data: Uint8Array): void {
    const s = this.ctx.stats;
    const n = data.length + wsHeaderBytes(data.length, false);
    s.framesIn++;
    s.bytesIn += n;
    this.winBytesIn += n;
    const now = performance.now();
    if (data.length > 0 && data[0] === ServerOp.SNAPSHOT) {
      const view = this.view;
      if (!view) {
        s.error('snapshot_before_welcome');
        return;
      }
      try {
        view.apply(data);
      } catch (err) {
        s.error(`bad_snapshot_${(err as { code?: number }).code ?? 'x'}`);
        // A lost baseline cannot be recovered here; the server sends a full snapshot once we stop acking it.
        return;
      }
      s.snapshots++;
      this.winSnapshots++;
      this.mind?.observe(view, now);
      if (this.lastSnapAt > 0) recordMs(s.gap, now - this.lastSnapAt);
      this.lastSnapAt = now;
      const acked = view.header.lastInputSeq;
      if (acked > this.measuredSeq) {
        // Every input up to `acked` was applied by this tick; those still remembered get a round trip.
        const from = Math.max(this.measuredSeq + 1, this.seq - PENDING + 1);
        const to = Math.min(acked, this.seq);
        for (let q = from; q <= to; q++) recordMs(s.input, now - this.sentAt[q & (PENDING - 1)]);
        this.measuredSeq = acked;
      }
      return;
    }
    let m;
    try {
      m = decodeServerMessage(data);
    } catch (err) {
      s.error(`bad_frame_${(err as { code?: number }).code ?? 'x'}`);
      return;
    }
    if (!m) return;
    switch (m.op) {
      case 'welcome':
        if (this.state !== BotState.HELLO_SENT) {
          s.error('unexpected_welcome');
          return;
        }
        this.state = BotState.PLAYING;
        this.ctx.gauges.connecting--;
        this.ctx.gauges.open++;
        s.welcomed++;
        recordMs(s.join, now - this.startedAt);
        // As many states as the server may keep baselines (CLIENT_HISTORY): a lagging bot still holds the base of every delta.
        this.view = new ClientView();
        this.mapW = m.mapWidth;
        this.mapH = m.mapHeight;
        // Spread the bots' sends over the input period so they do not arrive in bursts.
        this.nextInputAt = now + this.ctx.rnd() * this.inputPeriod();
        this.nextPingAt = now + this.ctx.rnd() * this.pingPeriod();
        this.nextChatAt = now + chatDelay(this.ctx.rnd, this.ctx.init.chatPerMinute);
        this.mind?.onZone(m.zoneName);
        break;
      case 'zoneChange':
        if (this.state !== BotState.PLAYING || !this.view) {
          s.error('unexpected_zone_change');
          return;
        }
        // Through a portal: another zone, its own tick numbers. The view starts afresh and the bot plays on.
        this.view.reset();
        this.mapW = m.mapWidth;
        this.mapH = m.mapHeight;
        s.zoneChanges++;
        this.mind?.onZone(m.zoneName);
        break;
      case 'questLog':
      case 'questResult':
      case 'inventory':
        this.mind?.onMessage(m, now);
        break;
      case 'notice':
        s.notice(NOTICE_NAMES[m.code] ?? `notice_${m.code}`);
        break;
      case 'pong':
        recordMs(s.ping, now - m.clientTime);
        break;
      case 'error':
        s.error(`server_error_${m.code}`);
        break;
    }
  }

  private inputPeriod(): number {
    return this.ctx.init.inputHz > 0 ? 1000 / this.ctx.init.inputHz : 100;
  }

  private pingPeriod(): number {
    return this.ctx.init.pingHz > 0 ? 1000 / this.ctx.init.pingHz : Infinity;
  }

  /**
   * Called by the worker's scheduler: sends the due input (or ACK while
   * standing still) and the due ping.
   */
  act(now: number): void {
    if (this.state !== BotState.PLAYING) return;
    if (now >= this.nextInputAt) {
      const period = this.inputPeriod();
      this.nextInputAt = now - this.nextInputAt > period ? now + period : this.nextInputAt + period;
      this.sendIntent(now);
    }
    if (now >= this.nextPingAt) {
      const period = this.pingPeriod();
      this.nextPingAt = now - this.nextPingAt > period ? now + period : this.nextPingAt + period;
      this.send(encodePing(now));
    }
    if (now >= this.nextChatAt) {
      this.nextChatAt = now + chatDelay(this.ctx.rnd, this.ctx.init.chatPerMinute);
      const line = chatLine(this.ctx.rnd, ++this.chats);
      this.send(encodeChat(line.channel, '', line.text));
    }
  }

  private sendIntent(now: number): void {
    const view = this.view!;
    const ackTick = view.lastTick;
    const cur = view.current;
    const you = view.header.you;
    const known = ownPosition(cur, you, this.pos);
    const it = this.intent;
    if (this.mind) this.mind.decide(now, view, known ? this.pos : null, it, this.ctx.rnd, this.mapW, this.mapH);
    else wander(it, now, this.ctx.rnd, known ? this.pos : null, this.mapW, this.mapH);
    if ((it.move === MoveKind.STOP && this.lastMove === MoveKind.STOP) || this.ctx.init.inputHz === 0) {
      // Standing still: no input to send, but the server needs our ack to keep sending deltas.
      if (ackTick > 0) this.send(encodeAck(ackTick));
      return;
    }
    this.lastMove = it.move;
    const seq = ++this.seq;
    const n = encodeInputInto({ seq, ackTick, move: it.move as 0 | 1 | 2, dx: it.dx, dy: it.dy, x: it.x, y: it.y }, inputScratch);
    this.sentAt[seq & (PENDING - 1)] = now;
    this.send(inputScratch.subarray(0, n));
  }

  /** Closes the connection normally (end of run); a bot still logging in gives up. */
  stop(): void {
    this.stopping = true;
    const ws = this.ws;
    if (ws && ws.readyState === WsState.OPEN) ws.close(1000, 'done');
    else if (ws) ws.terminate();
  }

  /** True once the bot holds no socket and will not open one. */
  get finished(): boolean {
    return this.ws === null && this.state !== BotState.LOGGING_IN && this.state !== BotState.IDLE;
  }
}
