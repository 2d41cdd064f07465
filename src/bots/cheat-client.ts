/**
 * The cheat bot's client (src/bots/cheat.ts): one real WebSocket that says
 * HELLO or RESUME, applies snapshots like any client, and keeps every
 * answer (combat events, INFO chat codes, INVENTORY and QUEST_RESULT
 * frames, notices, errors) so that a cheat can wait for its refusal. What
 * to try lives in the behaviour, not here.
 */
import WebSocket from 'ws';
import { ChatChannel } from '../protocol/chat-codes.ts';
import { ClientView } from '../protocol/client-view.ts';
import { CombatEvent } from '../protocol/combat-codes.ts';
import { decodeServerMessage } from '../protocol/decode.ts';
import { dequantise, encodeAck, encodeAction } from '../protocol/encode.ts';
import type { InventoryMessage } from '../protocol/item-messages.ts';
import { ServerOp } from '../protocol/opcodes.ts';

/** How long a cheat waits for the server's answer. */
export const ANSWER_MS = 5000;

export class CheatClient {
  readonly ws: WebSocket;
  readonly view = new ClientView();
  entity = -1;
  /** The zone's tick rate and map size (WELCOME, then ZONE_CHANGE). */
  tickHz = 20;
  mapWidth = 0;
  mapHeight = 0;
  /** The newest RESUME_TOKEN: what takes the character back after a drop (CheatBot.resume()). */
  resumeToken: string | undefined;
  closeCode: number | undefined;
  closeReason = '';
  protected readonly events: { type: number; detail: number; amount: number }[] = [];
  protected readonly infoCodes: number[] = [];
  protected readonly inventories: InventoryMessage[] = [];
  protected readonly questResults: { action: number; quest: number; reason: number }[] = [];
  readonly notices: number[] = [];
  readonly errors: number[] = [];
  private actionSeq = 0;
  private waiters: (() => void)[] = [];

  protected constructor(url: string) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('error', () => {});
    this.ws.on('message', (data: Buffer) => this.onMessage(data));
    this.ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      this.wake();
    });
  }

  /** Waits for `client`'s socket to open, sends `hello` (HELLO or RESUME), and resolves once WELCOME came, or with the close code of a refusal. */
  protected static async greet<T extends CheatClient>(client: T, hello: Uint8Array): Promise<T> {
    await new Promise<void>((resolve, reject) => {
      client.ws.once('open', () => resolve());
      client.ws.once('error', reject);
    });
    client.ws.send(hello);
    await client.until(() => client.entity >= 0 && client.view.lastTick > 0, 10_000);
    return client;
  }

  /** Ends the connection without a close handshake, as a lost network does: the server keeps the character for a resume. */
  drop(): void {
    this.ws.terminate();
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
  }

  /** Sends an ACTION; its seq, to wait for its answer with refusal(). */
  act(kind: number, target: number, skill = 0, x = 0, y = 0): number {
    const seq = (this.actionSeq = (this.actionSeq + 1) & 0xffff);
    this.ws.send(encodeAction({ seq, kind: kind as 1, target, skill, x, y }));
    return seq;
  }

  /** The reason action `seq` was refused with, once told (0: carried out, as its self record says). */
  async refusal(seq: number): Promise<number> {
    const told = () => this.events.find((e) => e.type === CombatEvent.REFUSED && e.amount === seq)?.detail;
    await this.until(() => told() !== undefined || this.actionSeenUpTo(seq), ANSWER_MS);
    return told() ?? 0;
  }

  protected actionSeenUpTo(seq: number): boolean {
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
