/**
 * The `cheat` bot behaviour: a client that tries each cheat the server's
 * anti-cheat checks for (docs/operations.md, Anti-cheat) and notes how the
 * server answered. Not a load behaviour: one bot, one cheat at a time, each
 * waiting for the server's refusal. The anti-cheat end-to-end test drives it;
 * `node src/bots/cheat.ts --url http://host:port [--token T --character N]`
 * runs it once against a server and prints what each cheat met.
 */
import WebSocket from 'ws';
import { ChatChannel, ChatReason } from '../protocol/chat-codes.ts';
import { ClientView } from '../protocol/client-view.ts';
import { ActionKind, ActionReason, CombatEvent } from '../protocol/combat-codes.ts';
import { decodeServerMessage } from '../protocol/decode.ts';
import { dequantise, encodeAck, encodeAction, encodeChat, encodeHello, encodeInput, encodePing } from '../protocol/encode.ts';
import { ItemOp, ItemReason } from '../protocol/item-codes.ts';
import { encodeItemRequest, type InventoryMessage } from '../protocol/item-messages.ts';
import { AuthKind, Limits, MoveKind, ServerOp } from '../protocol/opcodes.ts';
import { QuestAction, QuestRefusal } from '../protocol/quest-codes.ts';
import { encodeQuest } from '../protocol/quest-messages.ts';

/** The cheats, each named by the anti-cheat check that catches it (tessera_anticheat_violations_total{check}). */
export const CHEATS = ['destination', 'unknown_skill', 'action_rate', 'item_not_owned', 'quest_not_earned', 'chat_flood', 'malformed', 'flood'] as const;
export type Cheat = (typeof CHEATS)[number];
/** Cheats that end the connection (the gate closes it): tried last. */
const CLOSING: ReadonlySet<Cheat> = new Set(['malformed', 'flood']);

/** How the server answered one cheat. */
export interface CheatOutcome {
  cheat: Cheat;
  /** The server refused it (the evidence says how). */
  refused: boolean;
  evidence: string;
}

/** How long a cheat waits for the server's answer. */
const ANSWER_MS = 5000;

/** A skill number no content has (the protocol's u16 allows it; the server knows at most a few hundred). */
const NO_SUCH_SKILL = 60_000;
/** Item ids a cheater tries before it gives up on finding another's. */
const FOREIGN_ITEM_TRIES = 16;
/** A destination off every map (maps are at most 4,095 tiles a side; positions are u16 in 1/16 tile). */
const OFF_MAP = 4000;

/**
 * One cheating client on a real WebSocket: logs in (a guest name, or a
 * session token and character), applies snapshots like any client, and
 * tries cheats. Every answer is kept so a cheat can wait for its refusal.
 */
export class CheatBot {
  readonly ws: WebSocket;
  readonly view = new ClientView();
  entity = -1;
  closeCode: number | undefined;
  closeReason = '';
  private readonly events: { type: number; detail: number; amount: number }[] = [];
  private readonly infoCodes: number[] = [];
  private readonly inventories: InventoryMessage[] = [];
  private readonly questResults: { action: number; quest: number; reason: number }[] = [];
  readonly notices: number[] = [];
  readonly errors: number[] = [];
  private seq = 0;
  private actionSeq = 0;
  private itemSeq = 0;
  private waiters: (() => void)[] = [];

  private constructor(url: string) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('error', () => {});
    this.ws.on('message', (data: Buffer) => this.onMessage(data));
    this.ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      this.wake();
    });
  }

  /** Connects to `playUrl` (ws://host:port/play) and says HELLO; resolves once WELCOME came, or with the close code of a refusal. */
  static async connect(playUrl: string, credential: string, characterId = 0): Promise<CheatBot> {
    const bot = new CheatBot(playUrl);
    await new Promise<void>((resolve, reject) => {
      bot.ws.once('open', () => resolve());
      bot.ws.once('error', reject);
    });
    bot.ws.send(encodeHello(credential, characterId, characterId === 0 ? AuthKind.GUEST : AuthKind.TOKEN));
    await bot.until(() => bot.entity >= 0 && bot.view.lastTick > 0, 10_000);
    return bot;
  }

  /** Tries every cheat in CHEATS order (the closing ones last); stops early if the server closes the connection. */
  async tryAll(): Promise<CheatOutcome[]> {
    const out: CheatOutcome[] = [];
    for (const cheat of CHEATS) {
      if (this.closeCode !== undefined) break;
      out.push(await this.attempt(cheat));
    }
    return out;
  }

  /** Tries one cheat and waits (up to ANSWER_MS) for the server's refusal. */
  async attempt(cheat: Cheat): Promise<CheatOutcome> {
    const refused = (evidence: string): CheatOutcome => ({ cheat, refused: true, evidence });
    const ignored = (evidence: string): CheatOutcome => ({ cheat, refused: false, evidence });
    if (CLOSING.has(cheat)) {
      if (cheat === 'malformed') this.ws.send(Uint8Array.of(0, 1, 2, 3)); // opcode 0: the bad opcode
      else for (let i = 0; i < 1000; i++) this.ws.send(encodePing(i)); // far past GATE_MSG_BURST
      const closed = await this.until(() => this.closeCode !== undefined, ANSWER_MS);
      return closed ? refused(`closed ${this.closeCode}`) : ignored('still open');
    }
    switch (cheat) {
      case 'destination': {
        const before = this.position();
        this.ws.send(encodeInput({ seq: ++this.seq, ackTick: this.view.lastTick, move: MoveKind.DESTINATION, dx: 0, dy: 0, x: OFF_MAP, y: OFF_MAP }));
        const tick = this.view.lastTick;
        await this.until(() => this.view.lastTick >= tick + 10, ANSWER_MS);
        const after = this.position();
        const moved = !before || !after || Math.hypot(after.x - before.x, after.y - before.y) > 0.01;
        return moved ? ignored('walked toward it') : refused('stood still');
      }
      case 'unknown_skill': {
        const seq = this.act(ActionKind.SKILL, 0, NO_SUCH_SKILL);
        return (await this.refusal(seq)) === ActionReason.UNKNOWN_SKILL ? refused('REFUSED UNKNOWN_SKILL') : ignored('no refusal');
      }
      case 'action_rate': {
        // Far more actions than one tick takes, in one burst.
        let last = 0;
        for (let i = 0; i < 24; i++) last = this.act(ActionKind.TARGET, 0);
        const from = this.events.length;
        await this.until(() => this.events.slice(from).some((e) => e.type === CombatEvent.REFUSED && e.detail === ActionReason.BUSY) || this.actionSeenUpTo(last), ANSWER_MS);
        const busy = this.events.slice(from).filter((e) => e.type === CombatEvent.REFUSED && e.detail === ActionReason.BUSY).length;
        return busy > 0 ? refused(`${busy} REFUSED BUSY`) : ignored('all carried out');
      }
      case 'item_not_owned':
        return this.foreignItem();
      case 'quest_not_earned': {
        // Turn in quest 1 without ever taking it, to whatever entity 1 is.
        const from = this.questResults.length;
        this.ws.send(encodeQuest({ action: QuestAction.TURN_IN, quest: 1, npc: 1 }));
        await this.until(() => this.questResults.length > from, ANSWER_MS);
        const r = this.questResults[from];
        return r && r.reason !== QuestRefusal.OK ? refused(`QUEST_RESULT ${r.reason}`) : ignored(r ? 'turned in' : 'no answer');
      }
      case 'chat_flood': {
        // A burst well past CHAT_BURST, sent on after the server says it is over the rate.
        for (let i = 0; i < 16; i++) this.ws.send(encodeChat(ChatChannel.ZONE, '', `buy gold ${i}`));
        await this.until(() => this.infoCodes.includes(ChatReason.RATE_LIMITED), ANSWER_MS);
        return this.infoCodes.includes(ChatReason.RATE_LIMITED) ? refused('INFO RATE_LIMITED') : ignored('all said');
      }
    }
    return ignored('unknown cheat');
  }

  /** Sends impossible destinations until the server closes the connection (or `maxMs` passes); the close code, or undefined. */
  async cheatUntilClosed(maxMs: number): Promise<number | undefined> {
    const end = Date.now() + maxMs;
    while (this.closeCode === undefined && Date.now() < end) {
      this.ws.send(encodeInput({ seq: ++this.seq, ackTick: this.view.lastTick, move: MoveKind.DESTINATION, dx: 0, dy: 0, x: OFF_MAP, y: OFF_MAP }));
      await this.until(() => this.closeCode !== undefined, 60);
    }
    return this.closeCode;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
  }

  /**
   * An item another character owns: ids are handed out in order from 1, so
   * a cheater enumerates the low ones it does not hold and uses each until
   * the server says NOT_YOURS.
   */
  private async foreignItem(): Promise<CheatOutcome> {
    await this.until(() => this.inventories.some((i) => i.full), ANSWER_MS);
    const mine = new Set<number>();
    for (const inv of this.inventories) for (const it of inv.items) mine.add(it.id);
    for (let id = 1; id <= FOREIGN_ITEM_TRIES; id++) {
      if (mine.has(id)) continue;
      const seq = (this.itemSeq = (this.itemSeq + 1) & 0xffff);
      this.ws.send(encodeItemRequest({ seq, itemOp: ItemOp.USE, item: id, version: 1, other: 0, otherVersion: 0, slot: 0, count: 0 }));
      await this.until(() => this.itemResult(seq) !== undefined, ANSWER_MS);
      const why = this.itemResult(seq);
      if (why === ItemReason.NOT_YOURS) return { cheat: 'item_not_owned', refused: true, evidence: `item ${id}: NOT_YOURS` };
      if (why === ItemReason.NO_CHARACTER) return { cheat: 'item_not_owned', refused: false, evidence: 'a guest has no items to cheat with' };
    }
    return { cheat: 'item_not_owned', refused: false, evidence: `no other character's item among ids 1-${FOREIGN_ITEM_TRIES}` };
  }

  private itemResult(seq: number): number | undefined {
    for (const inv of this.inventories) for (const r of inv.results) if (r.seq === seq) return r.reason;
    return undefined;
  }

  private act(kind: number, target: number, skill = 0): number {
    const seq = (this.actionSeq = (this.actionSeq + 1) & 0xffff);
    this.ws.send(encodeAction({ seq, kind: kind as 1, target, skill, x: 0, y: 0 }));
    return seq;
  }

  /** The reason action `seq` was refused with, once told (0: carried out, as its self record says). */
  private async refusal(seq: number): Promise<number> {
    const told = () => this.events.find((e) => e.type === CombatEvent.REFUSED && e.amount === seq)?.detail;
    await this.until(() => told() !== undefined || this.actionSeenUpTo(seq), ANSWER_MS);
    return told() ?? 0;
  }

  private actionSeenUpTo(seq: number): boolean {
    return this.view.self !== null && this.view.self.actionSeq === seq;
  }

  private position(): { x: number; y: number } | undefined {
    const t = this.view.current;
    const i = t.indexOf(this.entity);
    return i < 0 ? undefined : { x: dequantise(t.x[i]), y: dequantise(t.y[i]) };
  }

  private onMessage(data: Buffer): void {
    if (data[0] === ServerOp.SNAPSHOT) {
      const t = this.view.apply(data);
      const e = this.view.events;
      for (let i = 0; i < e.count; i++) {
        const ev = e.at(i);
        this.events.push({ type: ev.type, detail: ev.detail, amount: ev.amount });
      }
      for (const l of this.view.chat.toArray()) if (l.channel === ChatChannel.INFO) this.infoCodes.push(l.code);
      this.ws.send(encodeAck(t.tick));
    } else {
      const m = decodeServerMessage(data);
      if (m?.op === 'welcome') this.entity = m.entity;
      else if (m?.op === 'inventory') this.inventories.push(m);
      else if (m?.op === 'questResult') this.questResults.push(m);
      else if (m?.op === 'notice') this.notices.push(m.code);
      else if (m?.op === 'error') this.errors.push(m.code);
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves true once `cond` holds (checked on every message), false after `ms`. */
  private until(cond: () => boolean, ms: number): Promise<boolean> {
    if (cond()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(cond()), ms);
      const check = () => {
        if (cond() || this.closeCode !== undefined) {
          clearTimeout(timer);
          resolve(cond());
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }
}

/** The play URL (ws[s]://host:port/play) of a server's base URL (http[s]://host:port). */
export function playUrlOf(base: string): string {
  return `${base.replace(/^http/, 'ws').replace(/\/$/, '')}/play`;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const url = arg('url') ?? 'http://127.0.0.1:8080';
  const token = arg('token');
  const character = Number(arg('character') ?? 0);
  if (!/^https?:\/\/[^\s]+$/.test(url) || !Number.isInteger(character) || character < 0 || (token !== undefined && (token.length === 0 || token.length > Limits.maxTokenBytes))) {
    console.error('usage: node src/bots/cheat.ts --url http://host:port [--token SESSION_TOKEN --character ID]');
    process.exit(2);
  }
  const bot = await CheatBot.connect(playUrlOf(url), token ?? 'cheater', token ? character : 0);
  const outcomes = await bot.tryAll();
  console.log(JSON.stringify({ outcomes, closeCode: bot.closeCode ?? null, notices: bot.notices }, null, 2));
  bot.close();
}
