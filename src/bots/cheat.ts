/**
 * The `cheat` bot behaviour: a client that tries each cheat the server's
 * anti-cheat checks for (docs/operations.md, Anti-cheat) and notes how the
 * server answered. Not a load behaviour: one bot, one cheat at a time, each
 * waiting for the server's refusal. The anti-cheat end-to-end test drives it;
 * `node src/bots/cheat.ts --url http://host:port [--token T --character N]`
 * runs it once against a server and prints what each cheat met.
 *
 * The combat cheats (COMBAT_CHEATS) need more than a fresh character: a
 * point skill and a skill with a cooldown it knows, a spot outside the safe
 * areas, and points behind a thick and a thin wall. The caller, who knows
 * the content and the map, says so in a CombatPlan (`--plan JSON`). Each has
 * an honest near miss too (`nearMiss`): an action just outside the server's
 * tolerance for lag and misjudgement, refused for the same reason but not
 * counted as cheating.
 */
import WebSocket from 'ws';
import { ChatChannel, ChatReason } from '../protocol/chat-codes.ts';
import { ClientView } from '../protocol/client-view.ts';
import { ActionKind, ActionReason, CombatEvent } from '../protocol/combat-codes.ts';
import { decodeServerMessage } from '../protocol/decode.ts';
import { dequantise, encodeAck, encodeAction, encodeChat, encodeHello, encodeInput, encodePing, encodeResume } from '../protocol/encode.ts';
import { ItemOp, ItemReason } from '../protocol/item-codes.ts';
import { encodeItemRequest, type InventoryMessage } from '../protocol/item-messages.ts';
import { AuthKind, Limits, MoveKind, ServerOp } from '../protocol/opcodes.ts';
import { QuestAction, QuestRefusal } from '../protocol/quest-codes.ts';
import { encodeQuest } from '../protocol/quest-messages.ts';
import { IMPOSSIBLE_RANGE, RANGE_SLACK } from '../workers/combat/targeting.ts';

/** The cheats, each named by the anti-cheat check that catches it (tessera_anticheat_violations_total{check}). */
export const CHEATS = ['destination', 'unknown_skill', 'action_rate', 'item_not_owned', 'quest_not_earned', 'chat_flood', 'malformed', 'flood'] as const;
export type Cheat = (typeof CHEATS)[number];
/** Cheats that end the connection (the gate closes it): tried last. */
const CLOSING: ReadonlySet<Cheat> = new Set(['malformed', 'flood']);

/**
 * The combat cheats (the cells' checks, src/workers/combat/): a point far
 * out of a skill's range, a skill used well before its cooldown ends, a
 * point behind a wall at least LOS_WALL_TILES thick. Each needs a CombatPlan.
 */
export const COMBAT_CHEATS = ['out_of_range', 'cooldown', 'line_of_sight'] as const;
export type CombatCheat = (typeof COMBAT_CHEATS)[number];

/** The ACTION refusal each combat cheat (and its honest near miss) is refused with. */
export const COMBAT_REFUSAL: Readonly<Record<CombatCheat, number>> = {
  out_of_range: ActionReason.OUT_OF_RANGE,
  cooldown: ActionReason.COOLDOWN,
  line_of_sight: ActionReason.NO_LINE_OF_SIGHT,
};

/** Where and with what a character tries the combat cheats (the caller knows the content and the map). */
export interface CombatPlan {
  /** A point skill (target "point", line of sight needed) the character knows: its number, and its range in tiles. */
  pointSkill: number;
  pointRange: number;
  /** A skill the character may use on itself (a self or ally skill) whose cooldown is at least 4 s: its number. */
  cooldownSkill: number;
  /** Points within pointRange of where the character stands: one behind a wall at least LOS_WALL_TILES thick, one behind a wall of one tile. */
  thickWall: { x: number; y: number };
  thinWall: { x: number; y: number };
}

/** How the server answered one cheat. */
export interface CheatOutcome {
  cheat: Cheat | CombatCheat;
  /** The server refused it (the evidence says how). */
  refused: boolean;
  evidence: string;
  /** For a combat cheat: the ActionReason it was refused with (0: carried out). */
  reason?: number;
}

/** How long a cheat waits for the server's answer. */
const ANSWER_MS = 5000;

/** A skill number no content has (the protocol's u16 allows it; the server knows at most a few hundred). */
const NO_SUCH_SKILL = 60_000;
/** Item ids a cheater tries before it gives up on finding another's. */
const FOREIGN_ITEM_TRIES = 16;
/** A destination off every map (maps are at most 4,095 tiles a side; positions are u16 in 1/16 tile). */
const OFF_MAP = 4000;
/** Beyond a skill's range, tiles: far past the server's tolerance (a cheat), and halfway into it (an honest misjudgement). */
const FAR_PAST_RANGE = IMPOSSIBLE_RANGE + 3;
const JUST_PAST_RANGE = (RANGE_SLACK + IMPOSSIBLE_RANGE) / 2;
/** A cooldown is "running" for the cheat once more than this many seconds of it are left (more than any global cooldown). */
const RUNNING_COOLDOWN_S = 2;
/**
 * The honest near miss of a cooldown: used this share of a second before
 * the client sees it end (a client that shows its cooldowns, a little
 * early); the server counts one only more than a second early. The share
 * is left for the input's way to the server.
 */
const EARLY_S = 0.75;

/**
 * One cheating client on a real WebSocket: logs in (a guest name, or a
 * session token and character), applies snapshots like any client, and
 * tries cheats. Every answer is kept so a cheat can wait for its refusal.
 */
export class CheatBot {
  readonly ws: WebSocket;
  readonly view = new ClientView();
  entity = -1;
  /** The zone's tick rate and map size (WELCOME, then ZONE_CHANGE). */
  tickHz = 20;
  mapWidth = 0;
  mapHeight = 0;
  /** The newest RESUME_TOKEN: what takes the character back after a drop (resume()). */
  resumeToken: string | undefined;
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

  /**
   * Connects and takes back, with `token` (a RESUME_TOKEN), the character of
   * a connection that dropped; resolves once WELCOME came, or with the
   * close code of a refusal.
   */
  static async resume(playUrl: string, token: string): Promise<CheatBot> {
    const bot = new CheatBot(playUrl);
    await new Promise<void>((resolve, reject) => {
      bot.ws.once('open', () => resolve());
      bot.ws.once('error', reject);
    });
    bot.ws.send(encodeResume(token));
    await bot.until(() => bot.entity >= 0 && bot.view.lastTick > 0, 10_000);
    return bot;
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

  /**
   * Tries one combat cheat, or with `nearMiss` its honest near miss, as
   * `plan` says, and waits for the server's answer. `refused` is true when
   * it was refused for the reason the check gives (COMBAT_REFUSAL).
   * The cooldown cheat first starts the cooldown when it is not running
   * (the skill used and its cast waited out); its near miss waits until
   * the cooldown is about to end.
   */
  async attemptCombat(cheat: CombatCheat, plan: CombatPlan, o: { nearMiss?: boolean } = {}): Promise<CheatOutcome> {
    const near = o.nearMiss === true;
    let evidence = '';
    let seq: number;
    switch (cheat) {
      case 'out_of_range': {
        const at = this.position();
        if (!at) return { cheat, refused: false, evidence: 'no position', reason: 0 };
        const past = plan.pointRange + (near ? JUST_PAST_RANGE : FAR_PAST_RANGE);
        // Along x, toward the map's middle, so the point lies on the map.
        const x = at.x < this.mapWidth / 2 ? at.x + past : at.x - past;
        evidence = `point ${past.toFixed(2)} tiles away (range ${plan.pointRange})`;
        seq = this.act(ActionKind.SKILL, 0, plan.pointSkill, x, at.y);
        break;
      }
      case 'line_of_sight': {
        const p = near ? plan.thinWall : plan.thickWall;
        evidence = `point behind a ${near ? 'thin' : 'thick'} wall`;
        seq = this.act(ActionKind.SKILL, 0, plan.pointSkill, p.x, p.y);
        break;
      }
      case 'cooldown': {
        if (!(await this.startCooldown(plan.cooldownSkill))) return { cheat, refused: false, evidence: 'could not start the cooldown', reason: 0 };
        const ready = this.readyTick(plan.cooldownSkill);
        if (near) await this.until(() => this.view.lastTick >= ready - Math.ceil(EARLY_S * this.tickHz), (ready - this.view.lastTick) * (1000 / this.tickHz) + ANSWER_MS);
        const early = (ready - this.view.lastTick) / this.tickHz;
        evidence = `used ${early.toFixed(2)} s before the cooldown ends`;
        seq = this.act(ActionKind.SKILL, 0, plan.cooldownSkill);
        break;
      }
    }
    const reason = await this.refusal(seq);
    const refused = reason === COMBAT_REFUSAL[cheat];
    return { cheat, refused, evidence: `${evidence}: ${reason === 0 ? 'carried out' : `REFUSED ${reason}`}`, reason };
  }

  /** The zone tick skill `skill` is ready again, as the self record says (0: not known, or never used). */
  readyTick(skill: number): number {
    const me = this.view.self;
    if (!me) return 0;
    for (let i = 0; i < me.skillCount; i++) if (me.skills[i] === skill) return me.readyTick[i];
    return 0;
  }

  /** Makes sure `skill`'s cooldown is running: uses it on itself when not, and waits out its cast; false when the server refused it. */
  private async startCooldown(skill: number): Promise<boolean> {
    const running = () => this.readyTick(skill) - this.view.lastTick > RUNNING_COOLDOWN_S * this.tickHz;
    if (running()) return true;
    const seq = this.act(ActionKind.SKILL, 0, skill);
    if ((await this.refusal(seq)) !== 0) return false;
    // A cast takes its time (a few seconds at most); the cooldown starts as it ends.
    return this.until(running, 10_000);
  }

  /** Ends the connection without a close handshake, as a lost network does: the server keeps the character for a resume. */
  drop(): void {
    this.ws.terminate();
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

  private act(kind: number, target: number, skill = 0, x = 0, y = 0): number {
    const seq = (this.actionSeq = (this.actionSeq + 1) & 0xffff);
    this.ws.send(encodeAction({ seq, kind: kind as 1, target, skill, x, y }));
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

  /** Where its entity stands, as the newest snapshot says. */
  position(): { x: number; y: number } | undefined {
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
      if (m?.op === 'welcome') {
        this.entity = m.entity;
        this.tickHz = m.tickHz;
        this.mapWidth = m.mapWidth;
        this.mapHeight = m.mapHeight;
      } else if (m?.op === 'zoneChange') {
        // Ticks are per zone: the view starts afresh from the next (full) snapshot.
        this.view.reset();
        this.entity = m.entity;
        this.tickHz = m.tickHz;
        this.mapWidth = m.mapWidth;
        this.mapHeight = m.mapHeight;
      } else if (m?.op === 'resumeToken') this.resumeToken = m.token;
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

  /** Resolves true once `cond` holds (checked on every message), false after `ms` or once the connection closed (then what `cond` says). */
  until(cond: () => boolean, ms: number): Promise<boolean> {
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

/** A --plan argument (JSON of a CombatPlan): undefined when there is none, null when it is not one. */
function parsePlan(text: string | undefined): CombatPlan | undefined | null {
  if (text === undefined) return undefined;
  let p: unknown;
  try {
    p = JSON.parse(text);
  } catch {
    return null;
  }
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const point = (v: unknown) => typeof v === 'object' && v !== null && num((v as { x?: unknown }).x) && num((v as { y?: unknown }).y);
  const o = p as Partial<CombatPlan> | null;
  if (!o || !num(o.pointSkill) || !num(o.pointRange) || !num(o.cooldownSkill) || !point(o.thickWall) || !point(o.thinWall)) return null;
  return o as CombatPlan;
}
