import { encodeItemRequest, type InventoryMessage } from '../../src/protocol/item-messages.ts';
import type { ItemOpValue } from '../../src/protocol/item-codes.ts';
import WebSocket from 'ws';
import { ClientView } from '../../src/protocol/client-view.ts';
import { decodeServerMessage } from '../../src/protocol/decode.ts';
import type { QuestActionValue } from '../../src/protocol/quest-codes.ts';
import { encodeQuest, type QuestLogEntry, type QuestLogMessage, type QuestResultMessage } from '../../src/protocol/quest-messages.ts';
import { encodeAck, encodeAction, encodeChat, encodeHello, encodeInput, encodePing, encodeResume } from '../../src/protocol/encode.ts';
import type { ChatLine } from '../../src/protocol/chat-lines.ts';
import { ActionKind } from '../../src/protocol/combat-codes.ts';
import type { ServerMessage, ZoneChangeMessage } from '../../src/protocol/messages.ts';
import { dequantise } from '../../src/protocol/encode.ts';
import { AuthKind, MoveKind, PROTOCOL_VERSION, ServerOp } from '../../src/protocol/opcodes.ts';

type Welcome = Extract<ServerMessage, { op: 'welcome' }>;
type Notice = Extract<ServerMessage, { op: 'notice' }>;

/** One snapshot as the test saw it: tick and the ids in view, after applying the delta. */
export interface SeenSnapshot {
  tick: number;
  baseTick: number;
  ids: number[];
  at: number;
  /** Zone changes the client had seen when it got this snapshot (0: still in the zone of its WELCOME). */
  zoneChanges: number;
}

/** A combat event a snapshot carried, with the snapshot's tick. */
export interface SeenEvent {
  tick: number;
  type: number;
  detail: number;
  source: number;
  target: number;
  skill: number;
  amount: number;
}

/**
 * A real WebSocket client speaking the real protocol, for end-to-end tests:
 * handshake, applies every snapshot through ClientView, acknowledges ticks,
 * keeps every combat event its snapshots carried, sends ACTIONs.
 */
export class TestClient {
  readonly ws: WebSocket;
  readonly view = new ClientView();
  readonly snapshots: SeenSnapshot[] = [];
  readonly errors: ServerMessage[] = [];
  readonly notices: Notice[] = [];
  /** QUEST_LOG and QUEST_RESULT messages, in order. */
  readonly quests: (QuestLogMessage | QuestResultMessage)[] = [];
  /** Every INVENTORY received, in order. */
  readonly inventories: InventoryMessage[] = [];
  private itemSeq = 0;
  readonly zoneChanges: ZoneChangeMessage[] = [];
  /** Every combat event the snapshots carried, in order. */
  readonly events: SeenEvent[] = [];
  /** Every chat line the snapshots carried, in order, with the snapshot's tick. */
  readonly chatLines: (ChatLine & { tick: number })[] = [];
  private actionSeq = 0;
  /** Names of other players (NAMES), by entity; cleared on each ZONE_CHANGE. */
  readonly names = new Map<number, string>();
  welcome: Welcome | undefined;
  /** The newest resume token the server gave (RESUME_TOKEN), and the grace it said. */
  resumeToken: string | undefined;
  graceMs = 0;
  /** The player's entity now: WELCOME's, then each ZONE_CHANGE's. */
  entity = -1;
  closeCode: number | undefined;
  closeReason = '';
  private seq = 0;
  private readonly closed: Promise<number>;

  /** `localAddress`: the loopback address to connect from (127.0.0.x), for per-address tests. */
  constructor(url: string, localAddress?: string) {
    this.ws = new WebSocket(url, { perMessageDeflate: false, localAddress });
    this.ws.binaryType = 'nodebuffer';
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve(code);
      }),
    );
    this.ws.on('error', () => {});
    this.ws.on('message', (data: Buffer) => this.onMessage(data));
  }

  static async connect(url: string, name: string, auth: number = AuthKind.GUEST, characterId = 0, contentHash = ''): Promise<TestClient> {
    const c = new TestClient(url);
    await c.opened();
    c.ws.send(encodeHello(name, characterId, auth, PROTOCOL_VERSION, contentHash));
    await c.until(() => c.welcome !== undefined || c.closeCode !== undefined, 10_000, 'welcome');
    if (!c.welcome) throw new Error(`handshake refused: ${c.closeCode} ${c.closeReason}`);
    return c;
  }

  /** Connects and resumes the character of resume token `token` (RESUME); throws when refused. */
  static async resume(url: string, token: string): Promise<TestClient> {
    const c = new TestClient(url);
    await c.opened();
    c.ws.send(encodeResume(token));
    await c.until(() => c.welcome !== undefined || c.closeCode !== undefined, 10_000, 'welcome');
    if (!c.welcome) throw new Error(`resume refused: ${c.closeCode} ${c.closeReason}`);
    return c;
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  private onMessage(data: Buffer): void {
    if (data[0] === ServerOp.SNAPSHOT) {
      const t = this.view.apply(data);
      const ids: number[] = [];
      for (let i = 0; i < t.count; i++) ids.push(t.ids[i]);
      this.snapshots.push({ tick: t.tick, baseTick: this.view.header.baseTick, ids, at: Date.now(), zoneChanges: this.zoneChanges.length });
      const e = this.view.events;
      for (let i = 0; i < e.count; i++) this.events.push({ tick: t.tick, ...e.at(i) });
      for (const l of this.view.chat.toArray()) this.chatLines.push({ tick: t.tick, ...l });
      // Acknowledge every few ticks, as a real client would.
      if (t.tick % 2 === 0) this.ws.send(encodeAck(t.tick));
      return;
    }
    const m = decodeServerMessage(data);
    if (m?.op === 'welcome') {
      this.welcome = m;
      this.entity = m.entity;
    } else if (m?.op === 'zoneChange') {
      // Ticks are per zone: the view starts afresh, from the next (full) snapshot.
      this.view.reset();
      this.names.clear();
      this.entity = m.entity;
      this.zoneChanges.push(m);
    } else if (m?.op === 'names') {
      for (const e of m.entries) this.names.set(e.entity, e.name);
    } else if (m?.op === 'resumeToken') {
      this.resumeToken = m.token;
      this.graceMs = m.graceMs;
    } else if (m?.op === 'notice') this.notices.push(m);
    else if (m?.op === 'inventory') this.inventories.push(m);
    else if (m?.op === 'error') this.errors.push(m);
    else if (m?.op === 'questLog' || m?.op === 'questResult') this.quests.push(m);
  }

  /** Position of an entity in the newest view, in world units, or undefined. */
  positionOf(id: number): { x: number; y: number } | undefined {
    const t = this.view.current;
    const i = t.indexOf(id);
    return i < 0 ? undefined : { x: dequantise(t.x[i]), y: dequantise(t.y[i]) };
  }

  get me(): number {
    return this.entity;
  }

  /** Id of the zone the client is in, as the server last said. */
  get zoneId(): number {
    return this.zoneChanges.at(-1)?.zoneId ?? this.welcome!.zoneId;
  }

  /** hp of an entity in the newest view, or undefined. */
  hpOf(id: number): number | undefined {
    const t = this.view.current;
    const i = t.indexOf(id);
    return i < 0 ? undefined : t.hp[i];
  }

  moveTo(x: number, y: number): void {
    this.ws.send(encodeInput({ seq: ++this.seq, ackTick: this.view.lastTick, move: MoveKind.DESTINATION, dx: 0, dy: 0, x, y }));
  }

  moveDir(dx: number, dy: number): void {
    this.ws.send(encodeInput({ seq: ++this.seq, ackTick: this.view.lastTick, move: MoveKind.DIRECTION, dx, dy, x: 0, y: 0 }));
  }

  /** Sends an ACTION (combat-codes.ts ActionKind) and returns its seq. */
  act(kind: number, target = 0, skill = 0, x = 0, y = 0): number {
    const seq = ++this.actionSeq & 0xffff;
    this.ws.send(encodeAction({ seq, kind: kind as 1, target, skill, x, y }));
    return seq;
  }

  /** Selects `target` and auto-attacks it. */
  attack(target: number): number {
    return this.act(ActionKind.ATTACK, target, 1);
  }

  /** Uses skill number `skill` on `target` (0: the selected target). */
  useSkill(skill: number, target = 0): number {
    return this.act(ActionKind.SKILL, target, skill);
  }

  /** Sends an ITEM request; returns its seq. */
  item(itemOp: ItemOpValue, item: number, version = 0, o: { other?: number; otherVersion?: number; slot?: number; count?: number } = {}): number {
    const seq = (this.itemSeq = (this.itemSeq + 1) & 0xffff);
    this.ws.send(encodeItemRequest({ seq, itemOp, item, version, other: o.other ?? 0, otherVersion: o.otherVersion ?? 0, slot: o.slot ?? 0, count: o.count ?? 0 }));
    return seq;
  }

  /** The answer to ITEM `seq` (0: done, else the ItemReason), once an INVENTORY carried it. */
  itemResult(seq: number): number | undefined {
    for (const inv of this.inventories) for (const r of inv.results) if (r.seq === seq) return r.reason;
    return undefined;
  }

  /** The player's items as the INVENTORY frames so far add up to: by id. */
  itemsNow(): Map<number, InventoryMessage['items'][number]> {
    const out = new Map<number, InventoryMessage['items'][number]>();
    for (const inv of this.inventories) {
      if (inv.full) out.clear();
      for (const it of inv.items) out.set(it.id, it);
      for (const id of inv.removed) out.delete(id);
    }
    return out;
  }

  respawn(): number {
    return this.act(ActionKind.RESPAWN);
  }

  /** Sends a QUEST (quest-codes.ts QuestAction) about quest `quest` to NPC entity `npc`. */
  quest(action: QuestActionValue, quest: number, npc: number): void {
    this.ws.send(encodeQuest({ action, quest, npc }));
  }

  /** The state of quest `quest` in the newest QUEST_LOG that names it (QuestState.NONE when none has). */
  questEntry(quest: number): QuestLogEntry | undefined {
    for (let i = this.quests.length - 1; i >= 0; i--) {
      const m = this.quests[i];
      if (m.op !== 'questLog') continue;
      const e = m.entries.find((x) => x.quest === quest);
      if (e || m.full) return e;
    }
    return undefined;
  }

  /** Events of a type seen so far. */
  seen(type: number): SeenEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  /** Sends a CHAT (ChatChannel SAY, ZONE or WHISPER; `target` names a whisper's receiver). */
  chat(channel: number, text: string, target = ''): void {
    this.ws.send(encodeChat(channel, target, text));
  }

  /** The chat lines heard on `channel` so far. */
  heard(channel: number): (ChatLine & { tick: number })[] {
    return this.chatLines.filter((l) => l.channel === channel);
  }

  /** Sends a PING and returns the client time it carries. */
  ping(): number {
    const now = Date.now();
    this.ws.send(encodePing(now));
    return now;
  }

  /** Polls until `cond` holds; throws naming `what` after `timeoutMs`. */
  async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  waitClosed(timeoutMs = 5000): Promise<number> {
    return Promise.race([
      this.closed,
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error('connection did not close')), timeoutMs)),
    ]);
  }

  close(): void {
    this.ws.close(1000);
  }
}
