import WebSocket from 'ws';
import { ClientView } from '../../src/protocol/client-view.ts';
import { decodeServerMessage } from '../../src/protocol/decode.ts';
import { encodeAck, encodeAction, encodeHello, encodeInput, encodePing } from '../../src/protocol/encode.ts';
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
  readonly zoneChanges: ZoneChangeMessage[] = [];
  /** Every combat event the snapshots carried, in order. */
  readonly events: SeenEvent[] = [];
  private actionSeq = 0;
  /** Names of other players (NAMES), by entity; cleared on each ZONE_CHANGE. */
  readonly names = new Map<number, string>();
  welcome: Welcome | undefined;
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
    } else if (m?.op === 'notice') this.notices.push(m);
    else if (m?.op === 'error') this.errors.push(m);
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

  respawn(): number {
    return this.act(ActionKind.RESPAWN);
  }

  /** Events of a type seen so far. */
  seen(type: number): SeenEvent[] {
    return this.events.filter((e) => e.type === type);
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
