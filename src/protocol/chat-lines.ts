import { CHAT_CHANNEL_COUNT, CHAT_REASON_COUNT, ChatChannel } from './chat-codes.ts';
import { ErrorCode, ProtocolError } from './errors.ts';
import { Limits } from './opcodes.ts';
import type { Reader } from './reader.ts';
import { Writer } from './writer.ts';

/**
 * A snapshot's chat section, its last: two runs of chat lines, each
 * `u8 n, n × line` with n at most Limits.maxChatLinesPerRun. The first run
 * holds the lines said around the player (written by its cell from the
 * zone's shared say log); the second the lines the coordinator routed to it
 * (zone, whisper, system, its own info lines), which the gate writes into
 * the frame as it sends it: a cell always ends a snapshot with an empty
 * second run (one 0 byte), and the gate replaces that byte and appends. So
 * chat costs no frame of its own: at most one frame per player per tick.
 *
 *   line: u8 channel | u8 code | u32 entity | str8 name | str8 text
 *
 * `code` is the ChatReason of an INFO line (0 otherwise); `entity` the
 * speaker's entity handle in the player's zone (SAY, ZONE; 0 when unknown);
 * `name` the speaker's (the receiver's for WHISPER_SENT; empty for SYSTEM
 * and INFO), at most maxNameBytes; `text` at most maxChatTextBytes.
 */
export const CHAT_LINE_MAX_BYTES = 1 + 1 + 4 + 1 + Limits.maxNameBytes + 1 + Limits.maxChatTextBytes;
/** Largest chat section: two full runs. */
export const MAX_CHAT_SECTION_BYTES = 2 + 2 * Limits.maxChatLinesPerRun * CHAT_LINE_MAX_BYTES;
/** Bytes of an empty chat section. */
export const EMPTY_CHAT_BYTES = 2;

/** One decoded chat line. */
export interface ChatLine {
  channel: number;
  code: number;
  entity: number;
  name: string;
  text: string;
}

/** A snapshot's chat lines, both runs in order; line objects are reused from decode to decode. */
export class ChatLines {
  count = 0;
  readonly lines: ChatLine[] = [];

  /** Line `i` (valid until the next decode). */
  at(i: number): ChatLine {
    return this.lines[i];
  }

  /** A line object to fill at the end of the list. */
  next(): ChatLine {
    let l = this.lines[this.count];
    if (!l) {
      l = { channel: 0, code: 0, entity: 0, name: '', text: '' };
      this.lines.push(l);
    }
    this.count++;
    return l;
  }

  copyFrom(from: ChatLines): void {
    this.count = 0;
    for (let i = 0; i < from.count; i++) Object.assign(this.next(), from.lines[i]);
  }

  /** The lines as plain objects (tests, tools). */
  toArray(): ChatLine[] {
    return this.lines.slice(0, this.count).map((l) => ({ ...l }));
  }
}

/** Writes one line. The strings are cut at a character boundary to their limits. */
export function writeChatLine(w: Writer, channel: number, code: number, entity: number, name: string, text: string): void {
  w.u8(channel);
  w.u8(code);
  w.u32(entity >>> 0);
  w.str8(name, Limits.maxNameBytes);
  w.str8(text, Limits.maxChatTextBytes);
}

const lineScratch = new Uint8Array(CHAT_LINE_MAX_BYTES);
const lineWriter = new Writer();

/** One line as its own bytes: the coordinator encodes a line once and hands the same bytes to every receiver. */
export function encodeChatLine(channel: number, code: number, entity: number, name: string, text: string): Uint8Array {
  const w = lineWriter.reset(lineScratch);
  writeChatLine(w, channel, code, entity, name, text);
  return lineScratch.slice(0, w.length);
}

/** An empty chat section (both runs empty): what a snapshot without chat ends with. */
export function writeNoChat(w: Writer): void {
  w.u8(0);
  w.u8(0);
}

function bad(why: string): never {
  throw new ProtocolError(ErrorCode.BAD_VALUE, why);
}

/** Reads one line into `out`; throws ProtocolError on an unknown channel or code, or a string over its limit. */
export function readChatLine(r: Reader, out: ChatLine): void {
  const channel = r.u8();
  const code = r.u8();
  if (channel < 1 || channel >= CHAT_CHANNEL_COUNT) bad(`unknown chat channel ${channel}`);
  if (channel === ChatChannel.INFO ? code < 1 || code >= CHAT_REASON_COUNT : code !== 0) bad(`bad code ${code} for chat channel ${channel}`);
  out.channel = channel;
  out.code = code;
  out.entity = r.u32();
  out.name = r.str8(Limits.maxNameBytes);
  out.text = r.str8(Limits.maxChatTextBytes);
}

/** Reads a chat section (both runs) into `out`. */
export function readChatSection(r: Reader, out: ChatLines): void {
  out.count = 0;
  for (let run = 0; run < 2; run++) {
    const n = r.u8();
    if (n > Limits.maxChatLinesPerRun) bad(`${n} chat lines exceed the limit of ${Limits.maxChatLinesPerRun} per run`);
    for (let i = 0; i < n; i++) readChatLine(r, out.next());
  }
}
