/**
 * A soak bot: one account and character, one WebSocket at a time. It plays
 * (the fighting behaviours of src/bots/fight.ts, plus the soak's chores:
 * picking up loot, moving items in its bag, chatting), keeps what the
 * server acknowledged to it (acked-state.ts), and outlives every fault: a
 * dropped connection is resumed with its resume token, or, when the server
 * process is gone, it logs in again. Each time the server restates the
 * character after a break (the first snapshot after a gap or a new
 * WELCOME, a full INVENTORY, a full QUEST_LOG) it checks that nothing it
 * had acknowledged before is lost (continuity.ts).
 */
import WebSocket from 'ws';
import { ClientView } from '../../protocol/client-view.ts';
import { decodeServerMessage } from '../../protocol/decode.ts';
import { dequantise, encodeAck, encodeActionInto, encodeChat, encodeHello, encodeInputInto, encodeResume } from '../../protocol/encode.ts';
import { Container, ItemOp } from '../../protocol/item-codes.ts';
import { encodeItemRequest, type ItemRequest } from '../../protocol/item-messages.ts';
import { AuthKind, MoveKind, ServerOp } from '../../protocol/opcodes.ts';
import { loginBot } from '../accounts.ts';
import { chatLine, newIntent, ownPosition } from '../behavior.ts';
import { Fighter } from '../fight.ts';
import type { FightBook } from '../fight-book.ts';
import { applyInventory, applyQuestLog, copyState, emptyState, type AckedState } from './acked-state.ts';
import { addInFlight, lostAcross, type Placement, type Tolerances } from './continuity.ts';
import { chooseChore, type Chore } from './chores.ts';

/** A snapshot stream silent this long, then back, is a break (a cell restart). */
const GAP_MS = 1000;
const ACT_MS = 100;
const CHAT_EVERY_MS = 20_000;

/** One restatement checked against what was acknowledged before it. */
export interface ContinuityCheck {
  bot: string;
  /** What the server restated: the character in the world, its items, its quests. */
  what: 'world' | 'items' | 'quests';
  /** Why there was a break: a snapshot gap (cell restart) or a new session (reconnect). */
  after: 'gap' | 'reconnect';
  at: number;
  lost: string[];
}

export interface SoakBotOptions {
  httpBase: string;
  playUrl: string;
  username: string;
  password: string;
  characterName: string;
  /** The character's class (1-based in classes.json order). */
  classId: number;
  behavior: 'fight' | 'mixed';
  book: FightBook | null;
  rnd: () => number;
  tolerances: Tolerances;
  onCheck: (c: ContinuityCheck) => void;
}

export class SoakBot {
  readonly o: SoakBotOptions;
  readonly state: AckedState = emptyState();
  characterId = 0;
  /** Sessions opened (WELCOMEs), resumes that worked, logins, connection failures. */
  readonly counts = { sessions: 0, resumes: 0, logins: 0, failures: 0, snapshots: 0, pickups: 0, itemMoves: 0, chats: 0, actions: 0 };
  private ws: WebSocket | null = null;
  private view = new ClientView(16);
  private fighter: Fighter;
  private readonly intent = newIntent();
  private readonly pos = { x: 0, y: 0 };
  private token = '';
  private resumeToken = '';
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private actionSeq = 0;
  private itemSeq = 0;
  private lastSnapAt = 0;
  private mapW = 256;
  private mapH = 256;
  private nextChatAt = 0;
  private nextChoreAt = 0;
  private chats = 0;
  /** Unanswered ITEM requests: seq → the item it moves and where, if it commits (none for a pick-up). */
  private readonly pending = new Map<number, { id: number; to: Placement } | null>();
  /**
   * Requests unanswered at a break, by seq: after a reconnect their answers
   * went with the old connection, so the next full INVENTORY may show each
   * done or not (continuity.ts InFlight); after a gap their answers may
   * still come, and then they are done. Cleared by a full INVENTORY.
   */
  private readonly inFlightAtBreak = new Map<number, { id: number; to: Placement } | null>();
  /**
   * Whether the items it knows are the server's: false from a new session's
   * WELCOME until its full INVENTORY. Item chores wait for it, as a client
   * acts on the inventory it was restated, not on the one it had before a
   * break (a move from stale state, answered after the restatement, was the
   * 30-minute soak's "item moved without an acknowledged request").
   */
  private inventoryFresh = false;
  /** The state before the current break, until the first snapshot after it was checked. */
  private beforeBreak: { state: AckedState; after: 'gap' | 'reconnect' } | null = null;
  private playing = false;
  private chore: Chore | null = null;

  constructor(o: SoakBotOptions) {
    this.o = o;
    this.fighter = new Fighter(o.book, o.behavior === 'mixed');
  }

  /** Logs in and plays until stop(); reconnects on its own. */
  async start(): Promise<void> {
    await this.login();
    this.connect();
    this.timer = setInterval(() => this.act(), ACT_MS);
  }

  get connected(): boolean {
    return this.playing;
  }

  private async login(): Promise<void> {
    const c = await loginBot(this.o.httpBase, this.o.username, this.o.password, this.o.characterName, this.o.classId);
    this.token = c.token;
    this.characterId = c.characterId;
    this.counts.logins++;
  }

  /** Opens a socket: RESUME when it holds a resume token, HELLO with its session token otherwise. */
  private connect(): void {
    if (this.stopping) return;
    const ws = new WebSocket(this.o.playUrl, { perMessageDeflate: false, handshakeTimeout: 10_000 });
    this.ws = ws;
    const resuming = this.resumeToken !== '';
    ws.on('open', () => ws.send(resuming ? encodeResume(this.resumeToken) : encodeHello(this.token, this.characterId, AuthKind.TOKEN)));
    ws.on('message', (data: Buffer) => this.onFrame(data));
    ws.on('error', () => {});
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      const wasPlaying = this.playing;
      this.playing = false;
      if (this.stopping) return;
      if (wasPlaying) this.markBreak('reconnect');
      else {
        this.counts.failures++;
        // A refused RESUME (grace over, server restarted): the next try says HELLO.
        this.resumeToken = '';
      }
      setTimeout(() => void this.reconnect(), wasPlaying ? 50 : 500 + this.o.rnd() * 1000);
    });
  }

  private async reconnect(): Promise<void> {
    if (this.stopping) return;
    if (this.resumeToken === '') {
      try {
        await this.login();
      } catch {
        this.counts.failures++;
        setTimeout(() => void this.reconnect(), 1000 + this.o.rnd() * 1000);
        return;
      }
    }
    this.connect();
  }

  /** Remembers the acknowledged state as the break's "before" (once per break). */
  private markBreak(after: 'gap' | 'reconnect'): void {
    if (this.beforeBreak) return;
    this.beforeBreak = { state: copyState(this.state), after };
    for (const [seq, move] of this.pending) this.inFlightAtBreak.set(seq, move);
    this.pending.clear();
  }

  private onFrame(data: Buffer): void {
    const now = Date.now();
    if (data[0] === ServerOp.SNAPSHOT) {
      if (!this.playing) return;
      if (this.lastSnapAt > 0 && now - this.lastSnapAt > GAP_MS) this.markBreak('gap');
      this.lastSnapAt = now;
      try {
        this.view.apply(data);
      } catch {
        return; // a lost baseline: the server sends a full snapshot once acks stop matching
      }
      this.counts.snapshots++;
      this.fighter.observe(this.view, () => {});
      this.onWorld(now);
      if (this.view.lastTick % 2 === 0) this.send(encodeAck(this.view.lastTick));
      return;
    }
    const m = decodeServerMessage(data);
    if (!m) return;
    if (m.op === 'welcome') {
      if (this.resumeToken !== '') this.counts.resumes++;
      this.counts.sessions++;
      this.playing = true;
      this.view = new ClientView(16);
      this.mapW = m.mapWidth;
      this.mapH = m.mapHeight;
      this.lastSnapAt = 0;
      this.inventoryFresh = false;
    } else if (m.op === 'zoneChange') {
      this.view.reset();
      this.mapW = m.mapWidth;
      this.mapH = m.mapHeight;
    } else if (m.op === 'resumeToken') {
      this.resumeToken = m.token;
    } else if (m.op === 'inventory') {
      if (m.full && this.state.inventoryKnown) this.check('items', () => {
        const after = copyState(this.state);
        applyInventory(after, m, now);
        // In flight: what was at the break, and what was asked since and not
        // answered before this message (its answer may ride on it).
        const inFlight = new Map<number, Placement[]>();
        for (const move of [...this.inFlightAtBreak.values(), ...this.pending.values()]) if (move) addInFlight(inFlight, move.id, move.to);
        const lost = lostAcross(this.state, after, this.o.tolerances, inFlight);
        // What was in flight, for whoever reads a loss.
        const moves = [...inFlight].map(([id, l]) => `${id} → ${l.map((p) => `${p.container}:${p.slot}`).join(' or ')}`);
        return lost.length ? [...lost, `(item moves in flight: ${moves.join(', ') || 'none'})`] : lost;
      });
      for (const r of m.results) {
        this.pending.delete(r.seq);
        this.inFlightAtBreak.delete(r.seq);
      }
      if (m.full) {
        this.inFlightAtBreak.clear();
        this.inventoryFresh = true;
      }
      applyInventory(this.state, m, now);
    } else if (m.op === 'questLog') {
      if (m.full && this.state.questsKnown) this.check('quests', () => {
        const after = copyState(this.state);
        applyQuestLog(after, m, now);
        return lostAcross(this.state, after, this.o.tolerances);
      });
      applyQuestLog(this.state, m, now);
    }
  }

  /** The bot's own entity and self record in the newest snapshot. */
  private onWorld(now: number): void {
    const cur = this.view.current;
    const you = this.view.header.you;
    const i = cur.indexOf(you);
    const self = this.view.self;
    if (i < 0 || !self) return;
    const before = this.beforeBreak;
    const s = this.state;
    const x = dequantise(cur.x[i]);
    const y = dequantise(cur.y[i]);
    if (before) {
      this.beforeBreak = null;
      const after = { ...copyState(s), x, y, placed: true, level: cur.level[i], xp: self.xp };
      const lost = lostAcross({ ...before.state, inventoryKnown: false, questsKnown: false }, after, this.o.tolerances);
      this.o.onCheck({ bot: this.o.username, what: 'world', after: before.after, at: now, lost });
    }
    s.x = x;
    s.y = y;
    s.placed = true;
    s.level = cur.level[i];
    s.xp = self.xp;
    s.at = now;
  }

  private check(what: 'items' | 'quests', lost: () => string[]): void {
    this.o.onCheck({ bot: this.o.username, what, after: this.beforeBreak?.after ?? 'reconnect', at: Date.now(), lost: lost() });
  }

  private send(bytes: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  /** Every ACT_MS: the chore under way or the fight, then chat. */
  private act(): void {
    if (!this.playing || this.lastSnapAt === 0) return;
    const now = Date.now();
    const perf = performance.now();
    const view = this.view;
    const known = ownPosition(view.current, view.header.you, this.pos);
    const it = this.intent;
    if (!this.chore && now >= this.nextChoreAt && this.pending.size === 0 && this.inventoryFresh) {
      this.chore = chooseChore(view, known ? this.pos : null, this.state, this.o.rnd);
      this.nextChoreAt = now + 2000 + this.o.rnd() * 4000;
    }
    if (this.chore) {
      const step = this.chore.step(view, known ? this.pos : null, it);
      if (step.request) {
        const seq = (this.itemSeq = (this.itemSeq + 1) & 0xffff) || (this.itemSeq = 1);
        this.pending.set(seq, moveOf(step.request.body));
        this.send(encodeItemRequest({ seq, ...step.request.body }));
        if (step.request.body.itemOp === 1) this.counts.pickups++;
        else this.counts.itemMoves++;
      }
      if (step.done) this.chore = null;
    } else if (this.fighter.decide(perf, view, known ? this.pos : null, it, this.o.rnd, this.mapW, this.mapH)) {
      const a = this.fighter.action;
      a.seq = ++this.actionSeq & 0xffff;
      const buf = Buffer.allocUnsafe(16);
      const n = encodeActionInto(a as Parameters<typeof encodeActionInto>[0], buf);
      this.fighter.sent(a.seq);
      this.send(buf.subarray(0, n));
      this.counts.actions++;
    }
    if (it.move !== MoveKind.STOP) {
      const buf = Buffer.allocUnsafe(16);
      const n = encodeInputInto({ seq: ++this.seq, ackTick: view.lastTick, move: it.move as 0 | 1 | 2, dx: it.dx, dy: it.dy, x: it.x, y: it.y }, buf);
      this.send(buf.subarray(0, n));
    }
    if (now >= this.nextChatAt) {
      if (this.nextChatAt > 0) {
        const line = chatLine(this.o.rnd, ++this.chats);
        this.send(encodeChat(line.channel, '', line.text));
        this.counts.chats++;
      }
      this.nextChatAt = now + CHAT_EVERY_MS * (0.5 + this.o.rnd());
    }
  }

  /** Item requests not answered yet. */
  get unanswered(): number {
    return this.pending.size;
  }

  /** Stops acting (the socket stays): the end of the soak lets answers arrive before the audit. */
  quiesce(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.send(stopInput(++this.seq, this.view.lastTick));
  }

  /** Closes the connection for good; resolves once it is closed. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    const ws = this.ws;
    if (!ws) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close(1000, 'soak over');
      setTimeout(() => {
        ws.terminate();
        resolve();
      }, 5000).unref();
    });
  }
}

/** Where an ITEM request puts the item it moves if it commits (a bag MOVE); null for others (a pick-up only adds). */
function moveOf(body: Omit<ItemRequest, 'op' | 'seq'>): { id: number; to: Placement } | null {
  return body.itemOp === ItemOp.MOVE ? { id: body.item, to: { container: Container.BAG, slot: body.slot } } : null;
}

function stopInput(seq: number, ackTick: number): Uint8Array {
  const buf = Buffer.allocUnsafe(16);
  const n = encodeInputInto({ seq, ackTick, move: MoveKind.STOP, dx: 0, dy: 0, x: 0, y: 0 }, buf);
  return buf.subarray(0, n);
}
