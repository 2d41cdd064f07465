import { CHAT_CHANNEL_NAMES, CHAT_REASON_NAMES, ChatChannel, ChatReason, type ChatReasonValue } from '../../protocol/chat-codes.ts';
import { encodeChatLine } from '../../protocol/chat-lines.ts';
import type { ChatMessage } from '../../protocol/messages.ts';
import { Limits } from '../../protocol/opcodes.ts';
import type { ChatConfig } from '../chat-config.ts';
import type { GateChat } from '../gate/chat-hook.ts';
import type { Connection } from '../gate/connection.ts';
import type { Logger } from '../log.ts';
import { noChatMetrics, type ChatMetrics } from '../metrics/chat.ts';
import { ChatLimits } from './chat-limits.ts';
import { ChatOutbox } from './chat-outbox.ts';
import { checkChatText, nameKey } from './chat-text.ts';
import { NOBODY_MUTED, type MuteCheck } from './mute.ts';
import { refusalText } from './refusal-text.ts';

/** What chat needs of the gate: its connections, its zones, and a way to a player's cell. */
export interface ChatHost {
  /** Every connection, by id (the gate's map). */
  readonly connections: ReadonlyMap<number, Connection>;
  /** Zone names by zone index (Connection.zone). */
  zoneNames(): readonly string[];
  /** Passes a line `c`'s player said to the cell that owns it; false when the cell's ring is full. */
  say(c: Connection, line: Uint8Array): boolean;
}

export interface ChatOptions {
  metrics?: ChatMetrics;
  mute?: MuteCheck;
  /** Milliseconds since the Unix epoch (tests drive it). */
  now?: () => number;
  /** Told of chat sent on after the player was told it is over its rate (the anti-cheat's `chat_flood`). */
  flood?: (c: Connection) => void;
}

/** The connections chat reaches: in the world or on their way into a zone. */
const reachable = (c: Connection): boolean => c.phase === 'playing' || c.phase === 'joining';

/**
 * Chat on the coordinator (docs/game.md, "Chat"): checks every message (mute,
 * per-player rate with burst, forbidden characters, length, repeats; a
 * refusal is told to the sender as an INFO line with its ChatReason), then
 * routes it: a SAY to the cell that owns the speaker (the cells deliver it
 * to whoever stands around, chat/say-log in the workers), ZONE to everyone in
 * the zone, WHISPER to the character of that name in any zone. Lines it
 * routes wait in each receiver's outbox for its next snapshot, so chat adds
 * no frame. Logs each message with ids for moderation (the text at debug
 * only) and counts messages by channel and refusals by reason.
 */
export class ChatService implements GateChat {
  private readonly cfg: ChatConfig;
  private readonly host: ChatHost;
  private readonly metrics: ChatMetrics;
  private readonly log: Logger;
  private readonly now: () => number;
  /** Who is muted; an operator console sets its own. */
  mute: MuteCheck;
  readonly outbox: ChatOutbox;
  private readonly flood: ((c: Connection) => void) | undefined;
  private readonly limits = new WeakMap<Connection, ChatLimits>();
  /** Moderation log ids: one per message, accepted or refused. */
  private nextId = 1;

  constructor(cfg: ChatConfig, host: ChatHost, log: Logger, o: ChatOptions = {}) {
    this.cfg = cfg;
    this.host = host;
    this.metrics = o.metrics ?? noChatMetrics;
    this.log = log.child({ part: 'chat' });
    this.mute = o.mute ?? NOBODY_MUTED;
    this.now = o.now ?? Date.now;
    this.flood = o.flood;
    this.outbox = new ChatOutbox(cfg.queueLines, (n) => this.metrics.linesDropped(n));
  }

  frame(c: Connection, snapshot: boolean, src: Buffer, start: number, end: number, headroom = 0, alloc?: (n: number) => Buffer): Buffer {
    return this.outbox.frame(c, snapshot, src, start, end, headroom, alloc);
  }

  /** A client's CHAT (the decoder has checked its channel, target and sizes). */
  receive(c: Connection, m: ChatMessage): void {
    const id = this.nextId++;
    const now = this.now();
    const ids = { id, conn: c.id, character: c.characterId, channel: CHAT_CHANNEL_NAMES[m.channel] };
    // Still logging in (no zone yet): nothing to route it by.
    if (!reachable(c)) return this.refuse(c, ids, ChatReason.UNAVAILABLE, refusalText(ChatReason.UNAVAILABLE, {}));
    const limits = this.limitsOf(c, now);
    const muted = this.mute.mutedUntil(c.characterId);
    if (muted > now) return this.refuse(c, ids, ChatReason.MUTED, refusalText(ChatReason.MUTED, { until: muted, now }));
    const rate = limits.takeRate(now);
    if (rate !== 0) {
      // A flood is told once, not once per message; it is counted every time.
      const tell = !limits.floodTold;
      // The first refusal of a flood is an honest burst; sending on after being told is a script.
      if (!tell) this.flood?.(c);
      limits.floodTold = true;
      return this.refuse(c, ids, rate, tell ? refusalText(rate, { wait: limits.secondsUntilNext(now) }) : null);
    }
    limits.floodTold = false;
    const clean = checkChatText(m.text, this.cfg);
    if (typeof clean === 'number') return this.refuse(c, ids, clean, refusalText(clean, { cfg: this.cfg }));
    const repeat = limits.checkRepeat(clean.key, now);
    if (repeat !== 0) return this.refuse(c, ids, repeat, refusalText(repeat, {}));
    if (m.channel === ChatChannel.SAY) {
      const line = encodeChatLine(ChatChannel.SAY, 0, c.handle, c.name, clean.text);
      if (c.phase !== 'playing' || !this.host.say(c, line)) return this.refuse(c, ids, ChatReason.UNAVAILABLE, refusalText(ChatReason.UNAVAILABLE, {}));
      this.accepted(ids, clean.text, clean.bytes, { zone: c.zone });
    } else if (m.channel === ChatChannel.ZONE) {
      const line = encodeChatLine(ChatChannel.ZONE, 0, c.phase === 'playing' ? c.handle : 0, c.name, clean.text);
      let heard = 0;
      for (const other of this.host.connections.values()) {
        if (other.zone !== c.zone || !reachable(other)) continue;
        this.outbox.push(other, line);
        heard++;
      }
      this.accepted(ids, clean.text, clean.bytes, { zone: c.zone, heard });
    } else {
      const to = this.findOnline(m.target);
      if (!to) return this.refuse(c, ids, ChatReason.NOT_ONLINE, refusalText(ChatReason.NOT_ONLINE, { name: m.target }));
      this.outbox.push(to, encodeChatLine(ChatChannel.WHISPER, 0, 0, c.name, clean.text));
      this.outbox.push(c, encodeChatLine(ChatChannel.WHISPER_SENT, 0, 0, to.name, clean.text));
      this.accepted(ids, clean.text, clean.bytes, { toConn: to.id, toCharacter: to.characterId });
    }
  }

  /**
   * An announcement on the SYSTEM channel to every player of zone `zone` (its
   * name), or of every zone ('all'). Returns how many players it went to.
   * Throws a RangeError for an unknown zone, or a text that is empty, too
   * long for the protocol (Limits.maxChatTextBytes) or holds forbidden
   * characters. The operator console calls this; world events will too.
   */
  announce(zone: string | 'all', text: string): number {
    const index = zone === 'all' ? -1 : this.host.zoneNames().indexOf(zone);
    if (zone !== 'all' && index < 0) throw new RangeError(`announce: no zone named ${JSON.stringify(zone)} (known: ${this.host.zoneNames().join(', ')})`);
    const clean = checkChatText(text, { maxBytes: Limits.maxChatTextBytes, maxChars: Limits.maxChatTextBytes });
    if (typeof clean === 'number') throw new RangeError(`announce: text refused (${CHAT_REASON_NAMES[clean]})`);
    const line = encodeChatLine(ChatChannel.SYSTEM, 0, 0, '', clean.text);
    let heard = 0;
    for (const c of this.host.connections.values()) {
      if ((index >= 0 && c.zone !== index) || !reachable(c)) continue;
      this.outbox.push(c, line);
      heard++;
    }
    const id = this.nextId++;
    this.metrics.message('system');
    this.log.info({ id, channel: 'system', zone, heard, bytes: clean.bytes }, 'announcement');
    this.log.debug({ id, text: clean.text }, 'announcement text');
    return heard;
  }

  /** Tells one player an INFO line (its own refusals; other information with a reason). */
  tell(c: Connection, reason: ChatReasonValue, text: string): void {
    this.outbox.push(c, encodeChatLine(ChatChannel.INFO, reason, 0, '', text));
  }

  /** The playing (or zone-changing) connection of the character named `name`, if any. */
  private findOnline(name: string): Connection | undefined {
    const key = nameKey(name);
    if (key.length === 0) return undefined;
    for (const c of this.host.connections.values()) {
      if (reachable(c) && nameKey(c.name) === key) return c;
    }
    return undefined;
  }

  private limitsOf(c: Connection, now: number): ChatLimits {
    let l = this.limits.get(c);
    if (!l) this.limits.set(c, (l = new ChatLimits(this.cfg, now)));
    return l;
  }

  private refuse(c: Connection, ids: Record<string, unknown>, reason: ChatReasonValue, text: string | null): void {
    const name = CHAT_REASON_NAMES[reason];
    this.metrics.refused(name);
    this.log.info({ ...ids, reason: name }, 'chat refused');
    if (text !== null) this.tell(c, reason, text);
  }

  private accepted(ids: Record<string, unknown> & { channel: string }, text: string, bytes: number, more: Record<string, unknown>): void {
    this.metrics.message(ids.channel);
    // Moderation: ids at info, the words themselves only at debug.
    this.log.info({ ...ids, ...more, bytes }, 'chat');
    this.log.debug({ id: ids.id, text }, 'chat text');
  }
}
