/**
 * The `cheat` bot behaviour: a client that tries each cheat the server's
 * anti-cheat checks for (docs/operations.md, Anti-cheat) and notes how the
 * server answered. Not a load behaviour: one bot, one cheat at a time, each
 * waiting for the server's refusal. The anti-cheat end-to-end test drives it;
 * `node src/bots/cheat.ts --url http://host:port [--token T --character N]`
 * runs it once against a server and prints what each cheat met.
 *
 * The combat cheats, their CombatPlan (`--plan JSON`) and honest near misses
 * are in cheat-combat.ts; the WebSocket client that keeps the server's
 * answers is cheat-client.ts. This module sequences the cheats.
 */
import { ChatChannel, ChatReason } from '../protocol/chat-codes.ts';
import { ActionKind, ActionReason, CombatEvent } from '../protocol/combat-codes.ts';
import { encodeChat, encodeHello, encodeInput, encodePing, encodeResume } from '../protocol/encode.ts';
import { ItemOp, ItemReason } from '../protocol/item-codes.ts';
import { encodeItemRequest } from '../protocol/item-messages.ts';
import { AuthKind, Limits, MoveKind } from '../protocol/opcodes.ts';
import { QuestAction, QuestRefusal } from '../protocol/quest-codes.ts';
import { encodeQuest } from '../protocol/quest-messages.ts';
import { ANSWER_MS, CheatClient } from './cheat-client.ts';
import { attemptCombat, COMBAT_CHEATS, parsePlan, readyTick, type CombatCheat, type CombatPlan } from './cheat-combat.ts';

/** The cheats, each named by the anti-cheat check that catches it (tessera_anticheat_violations_total{check}). */
export const CHEATS = ['destination', 'unknown_skill', 'action_rate', 'item_not_owned', 'quest_not_earned', 'chat_flood', 'malformed', 'flood'] as const;
export type Cheat = (typeof CHEATS)[number];
/** Cheats that end the connection (the gate closes it): tried last. */
const CLOSING: ReadonlySet<Cheat> = new Set(['malformed', 'flood']);

/** How the server answered one cheat. */
export interface CheatOutcome {
  cheat: Cheat | CombatCheat;
  /** The server refused it (the evidence says how). */
  refused: boolean;
  evidence: string;
  /** For a combat cheat: the ActionReason it was refused with (0: carried out). */
  reason?: number;
}

/** A skill number no content has (the protocol's u16 allows it; the server knows at most a few hundred). */
const NO_SUCH_SKILL = 60_000;
/** Item ids a cheater tries before it gives up on finding another's. */
const FOREIGN_ITEM_TRIES = 16;
/** A destination off every map (maps are at most 4,095 tiles a side; positions are u16 in 1/16 tile). */
const OFF_MAP = 4000;

/**
 * One cheating client on a real WebSocket (CheatClient): logs in (a guest
 * name, or a session token and character), applies snapshots like any
 * client, and tries cheats.
 */
export class CheatBot extends CheatClient {
  private seq = 0;
  private itemSeq = 0;

  private constructor(url: string) {
    super(url);
  }

  /** Connects to `playUrl` (ws://host:port/play) and says HELLO; resolves once WELCOME came, or with the close code of a refusal. */
  static async connect(playUrl: string, credential: string, characterId = 0): Promise<CheatBot> {
    return CheatClient.greet(new CheatBot(playUrl), encodeHello(credential, characterId, characterId === 0 ? AuthKind.GUEST : AuthKind.TOKEN));
  }

  /**
   * Connects and takes back, with `token` (a RESUME_TOKEN), the character of
   * a connection that dropped; resolves once WELCOME came, or with the
   * close code of a refusal.
   */
  static async resume(playUrl: string, token: string): Promise<CheatBot> {
    return CheatClient.greet(new CheatBot(playUrl), encodeResume(token));
  }

  /**
   * Tries every cheat in CHEATS order, the combat ones too when a `plan`
   * says how (before the closing ones, which come last); stops early if the
   * server closes the connection.
   */
  async tryAll(plan?: CombatPlan): Promise<CheatOutcome[]> {
    const out: CheatOutcome[] = [];
    const open = CHEATS.filter((c) => !CLOSING.has(c));
    for (const cheat of open) {
      if (this.closeCode !== undefined) return out;
      out.push(await this.attempt(cheat));
    }
    for (const cheat of plan ? COMBAT_CHEATS : []) {
      if (this.closeCode !== undefined) return out;
      out.push(await this.attemptCombat(cheat, plan!));
    }
    for (const cheat of CHEATS.filter((c) => CLOSING.has(c))) {
      if (this.closeCode !== undefined) return out;
      out.push(await this.attempt(cheat));
    }
    return out;
  }

  /** Tries one combat cheat, or with `nearMiss` its honest near miss, as `plan` says (cheat-combat.ts, attemptCombat). */
  attemptCombat(cheat: CombatCheat, plan: CombatPlan, o: { nearMiss?: boolean } = {}): Promise<CheatOutcome> {
    return attemptCombat(this, cheat, plan, o);
  }

  /** The zone tick skill `skill` is ready again, as the self record says (0: not known, or never used). */
  readyTick(skill: number): number {
    return readyTick(this.view, skill);
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
  const plan = parsePlan(arg('plan'));
  if (!/^https?:\/\/[^\s]+$/.test(url) || !Number.isInteger(character) || character < 0 || (token !== undefined && (token.length === 0 || token.length > Limits.maxTokenBytes)) || plan === null) {
    console.error('usage: node src/bots/cheat.ts --url http://host:port [--token SESSION_TOKEN --character ID] [--plan \'{"pointSkill":6,"pointRange":10,"cooldownSkill":7,"thickWall":{"x":32.5,"y":52.5},"thinWall":{"x":..,"y":..}}\']');
    process.exit(2);
  }
  const bot = await CheatBot.connect(playUrlOf(url), token ?? 'cheater', token ? character : 0);
  const outcomes = await bot.tryAll(plan);
  console.log(JSON.stringify({ outcomes, closeCode: bot.closeCode ?? null, notices: bot.notices }, null, 2));
  bot.close();
}
