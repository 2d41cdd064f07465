import { indexOf } from '../../shared/entity-store.ts';
import { CellMessage, CellMsg } from '../../shared/messages/cell-to-gate.ts';
import { writeAck, writeAction, writeExperienceDurable, writeInput, writeJoin, writeLeave, writeReward, writeSpawnNpc, writeDismissNpcs, writeSay, writeResync, writeDepart, writeTeleport } from '../../shared/messages/gate-to-cell.ts';
import { GATE_ITEM_OP, ItemMessage, writeItem, type ItemFields } from '../../shared/messages/items.ts';
import { ReliableRing } from '../../shared/reliable-ring.ts';
import type { Ring } from '../../shared/ring.ts';
import type { ZoneHandle } from '../zones/supervisor.ts';

/** Messages handled per turn of the event loop before it polls sockets again. */
const DRAIN_BATCH = 256;

/**
 * What the gate does with what the cells send. Each call names the zone (the
 * link's index at the gate) it came from: a player may have changed zone
 * since, and a late message of its old zone must not be taken for the new one's.
 */
export interface ZoneLinkHandler {
  /** An encoded server frame of `tick` for one connection: `src[start, end)`, valid only during the call. */
  frame(zone: number, conn: number, kind: number, tick: number, src: Buffer, start: number, end: number): void;
  /** The cell's answer to a JOIN: `status` is a JoinStatus; `handle` is meaningful only when OK. */
  joined(zone: number, conn: number, status: number, handle: number): void;
  moved(zone: number, conn: number, cell: number, tick: number): void;
  /**
   * The player left (LEFT) or how it is (STATE): position, health, level and
   * experience, and the highest stored reward that experience includes
   * (cell-to-gate.ts ReportLayout).
   */
  left(zone: number, conn: number, x: number, y: number, hp: number, level: number, xp: number, rewardSeq: number): void;
  state(zone: number, conn: number, x: number, y: number, hp: number, level: number, xp: number, rewardSeq: number): void;
  /** The player's experience grew (EXPERIENCE): its state, to make durable and confirm with `experienceDurable`. */
  experience?(zone: number, conn: number, x: number, y: number, hp: number, level: number, xp: number, rewardSeq: number): void;
  /** The cell paid (or had paid) a REWARD (REWARDED): its state, now including the reward, to make durable as `experience` does. */
  rewarded?(zone: number, conn: number, x: number, y: number, hp: number, level: number, xp: number, rewardSeq: number): void;
  /** The cell's newest combat checkpoint of the player: `src[start, end)`, valid only during the call. */
  checkpoint(zone: number, conn: number, src: Buffer, start: number, end: number): void;
  /** The player stepped into portal `portal` and its entity was freed at `tick` (cell-to-gate.ts, PortalLayout). */
  /** `carry`: the player's combat carry (cooldowns, auras) to hand to its next JOIN; null when it had none. */
  portal(zone: number, conn: number, tick: number, portal: number, x: number, y: number, hp: number, backX: number, backY: number, level: number, xp: number, carry: Uint8Array | null, rewardSeq: number): void;
  /** Something a quest may count happened to the player (cell-to-gate.ts, QuestFact). */
  questFact(zone: number, conn: number, kind: number, value: number): void;
  /** A cell's ITEM (shared/messages/items.ts): a claim it decided, a refusal, a dropped item that despawned. `m` is reused: copy what you keep. */
  item?(zone: number, m: ItemMessage): void;
}

/**
 * The coordinator's end of one zone: writes gate messages into each cell's
 * inbound ring, and drains each cell's outbound ring when the cell signals
 * (Atomics.waitAsync, so the event loop never blocks). JOIN and LEAVE are
 * must-deliver: on a full ring they wait, in order, and go out on the next
 * drain. Inputs and acks are intents superseded by the next one: dropped on
 * a full ring, and counted.
 */
export class ZoneLink {
  readonly zone: ZoneHandle;
  /** The zone's index at the gate, named in every handler call. */
  readonly index: number;
  private readonly itemMsg = new ItemMessage();
  private readonly inbound: ReliableRing[];
  private readonly outbound: Ring[];
  /** Buffer views over the outbound rings' data, so frames copy out without a temporary. */
  private readonly outboundBytes: Buffer[];
  private readonly handler: ZoneLinkHandler;
  private readonly msg = new CellMessage();
  private closed = false;
  /** Inputs and acks dropped because a cell's inbound ring was full. */
  droppedInputs = 0;
  /**
   * A player's impossible action a cell reported (VIOLATION: an ActionCheck),
   * for the anti-cheat (main/anticheat/cell-violations.ts sets it); ignored
   * while unset (the cell counted it in its stat slots either way).
   */
  onViolation: ((zone: number, conn: number, check: number) => void) | null = null;

  constructor(zone: ZoneHandle, handler: ZoneLinkHandler, index = 0) {
    this.zone = zone;
    this.index = index;
    this.handler = handler;
    const n = zone.views.geometry.cellCount;
    this.inbound = Array.from({ length: n }, (_, c) => new ReliableRing(zone.views.gateToCell(c), 1024));
    this.outbound = Array.from({ length: n }, (_, c) => zone.views.cellToGate(c));
    this.outboundBytes = this.outbound.map((r) => Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength));
    for (let c = 0; c < n; c++) void this.pump(c);
  }

  /** Cell that owns a position of this zone (where a JOIN goes). */
  cellOf(x: number, y: number): number {
    return this.zone.views.geometry.cellOf(x, y);
  }

  /**
   * The cell that owns an entity now: its owner word in the shared store,
   * which the old owner flips when it hands the entity off. Routing by it
   * can never settle on a wrong cell; a message that reaches the old owner
   * in the same instant is forwarded by it.
   */
  ownerOf(handle: number): number {
    return Atomics.load(this.zone.views.store.f.owner, indexOf(handle));
  }

  /** A JOIN: `template` is the content class number (0: the first), level 0 a new character; `rewardSeq` the highest stored reward `xp` includes. */
  join(cell: number, conn: number, characterId: number, x: number, y: number, template: number, hp: number, level = 0, xp = 0, carry: Uint8Array | null = null, rewardSeq = 0): void {
    const out = this.inbound[cell];
    writeJoin(out, conn, characterId, x, y, template, hp, level, xp, carry, rewardSeq);
    out.flush();
  }

  /**
   * A quest's experience for the player, the stored reward numbered `seq`
   * (0: none): must-deliver, as a JOIN is (the cell forwards it, seq and
   * all, if the player moved on); answered with REWARDED.
   */
  reward(cell: number, conn: number, experience: number, seq = 0): void {
    const out = this.inbound[cell];
    writeReward(out, conn, experience, seq);
    out.flush();
  }

  /** The player's experience is durable up to `xp` (the answer to its cell's EXPERIENCE): must-deliver; the cell forwards it if the player moved on. */
  experienceDurable(cell: number, conn: number, xp: number): void {
    const out = this.inbound[cell];
    writeExperienceDurable(out, conn, xp);
    out.flush();
  }

  /** A scripted NPC (a world event's boss) at a point of `cell`: must-deliver. */
  spawnNpc(cell: number, template: number, x: number, y: number): void {
    const out = this.inbound[cell];
    writeSpawnNpc(out, template, x, y);
    out.flush();
  }

  /** Every live scripted NPC of `template`, in every cell, leaves: must-deliver. */
  dismissNpcs(template: number): void {
    for (const out of this.inbound) {
      writeDismissNpcs(out, template);
      out.flush();
    }
  }

  /** An ITEM to a cell (must-deliver): player-addressed ones to the player's cell, ground-item ones to the item's owner. */
  item(cell: number, m: ItemFields): void {
    const out = this.inbound[cell];
    writeItem(out, GATE_ITEM_OP, m);
    out.flush();
  }

  /** An operator's teleport within the zone: must-deliver, like a LEAVE. */
  teleport(cell: number, conn: number, x: number, y: number): void {
    const out = this.inbound[cell];
    writeTeleport(out, conn, x, y);
    out.flush();
  }

  /** An operator's teleport to another zone: the cell frees the entity and answers PORTAL (OPERATOR_PORTAL); must-deliver. */
  depart(cell: number, conn: number): void {
    const out = this.inbound[cell];
    writeDepart(out, conn);
    out.flush();
  }

  leave(cell: number, conn: number): void {
    const out = this.inbound[cell];
    writeLeave(out, conn);
    out.flush();
  }

  /** A RESYNC (must-deliver, like LEAVE): the player's connection resumed on a new socket. */
  resync(cell: number, conn: number): void {
    const out = this.inbound[cell];
    writeResync(out, conn);
    out.flush();
  }

  /** Writes an input in place; false (counted) when the ring is full or must-deliver messages wait: the next input supersedes it. */
  input(cell: number, conn: number, seq: number, ackTick: number, move: number, a: number, b: number): boolean {
    const out = this.inbound[cell];
    if (out.waiting > 0 || !writeInput(out.ring, conn, seq, ackTick, move, a, b)) {
      this.droppedInputs++;
      return false;
    }
    out.ring.flush();
    return true;
  }

  /** Writes an ACTION in place; false (counted) when the ring is full or must-deliver messages wait: the client sends it again. */
  action(cell: number, conn: number, seq: number, kind: number, target: number, skill: number, x: number, y: number): boolean {
    const out = this.inbound[cell];
    if (out.waiting > 0 || !writeAction(out.ring, conn, seq, kind, target, skill, x, y)) {
      this.droppedInputs++;
      return false;
    }
    out.ring.flush();
    return true;
  }

  /** Writes a SAY (a chat line said by `conn`'s player); false (counted) when the ring is full or must-deliver messages wait. */
  say(cell: number, conn: number, line: Uint8Array): boolean {
    const out = this.inbound[cell];
    if (out.waiting > 0 || !writeSay(out.ring, conn, line)) {
      this.droppedInputs++;
      return false;
    }
    out.ring.flush();
    return true;
  }

  ack(cell: number, conn: number, ackTick: number): boolean {
    const out = this.inbound[cell];
    if (out.waiting > 0 || !writeAck(out.ring, conn, ackTick)) {
      this.droppedInputs++;
      return false;
    }
    out.ring.flush();
    return true;
  }

  /** JOINs and LEAVEs waiting for room, over every cell of the zone. */
  get waiting(): number {
    let n = 0;
    for (const r of this.inbound) n += r.waiting;
    return n;
  }

  /** Drains a cell's outbound ring each time the cell signals, until close(). */
  private async pump(cell: number): Promise<void> {
    const ring = this.outbound[cell];
    while (!this.closed) {
      // Read the signal before draining: a notify that lands after the drain
      // changes it, so waitAsync returns at once instead of missing it.
      const seen = ring.signal;
      const more = this.drain(cell, ring, DRAIN_BATCH);
      this.inbound[cell].flush();
      if (more) {
        // Let the event loop poll sockets between batches: a ping or input
        // that arrived meanwhile is not kept waiting behind a whole tick's frames.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      const wait = ring.waitAsync(seen, 250);
      if (wait) await wait;
    }
  }

  /** Handles up to `max` messages; true when more are waiting. */
  private drain(cell: number, ring: Ring, max: number): boolean {
    const src = this.outboundBytes[cell];
    const h = this.handler;
    const m = this.msg;
    const z = this.index;
    let n = 0;
    for (let at = ring.peek(); at >= 0; at = ring.peek()) {
      if (n++ === max) {
        ring.done();
        return true;
      }
      if (!m.read(ring.view, at, ring.messageLength)) {
        throw new Error(`zone ${this.zone.spec.name} cell ${cell}: malformed cell message (op ${ring.view.getUint8(at)}, ${ring.messageLength} bytes)`);
      }
      switch (m.op) {
        case CellMsg.FRAME:
          h.frame(z, m.conn, m.kind, m.tick, src, m.bodyStart, m.bodyEnd);
          break;
        case CellMsg.JOINED:
          h.joined(z, m.conn, m.status, m.handle);
          break;
        case CellMsg.MOVED:
          h.moved(z, m.conn, m.cell, m.tick);
          break;
        case CellMsg.LEFT:
          h.left(z, m.conn, m.x, m.y, m.hp, m.level, m.xp, m.rewardSeq);
          break;
        case CellMsg.STATE:
          h.state(z, m.conn, m.x, m.y, m.hp, m.level, m.xp, m.rewardSeq);
          break;
        case CellMsg.EXPERIENCE:
          h.experience?.(z, m.conn, m.x, m.y, m.hp, m.level, m.xp, m.rewardSeq);
          break;
        case CellMsg.REWARDED:
          h.rewarded?.(z, m.conn, m.x, m.y, m.hp, m.level, m.xp, m.rewardSeq);
          break;
        case CellMsg.ITEM:
          if (this.itemMsg.read(ring.view, at, ring.messageLength)) h.item?.(z, this.itemMsg);
          break;
        case CellMsg.CHECKPOINT:
          h.checkpoint(z, m.conn, src, m.bodyStart, m.bodyEnd);
          break;
        case CellMsg.PORTAL:
          // The carry is copied out of the ring: the next zone's JOIN takes it, some ticks later.
          h.portal(z, m.conn, m.tick, m.portal, m.x, m.y, m.hp, m.backX, m.backY, m.level, m.xp, m.carryLength > 0 ? src.subarray(m.carryAt, m.carryAt + m.carryLength).slice() : null, m.rewardSeq);
          break;
        case CellMsg.QUEST_FACT:
          h.questFact(z, m.conn, m.fact, m.value);
          break;
        case CellMsg.VIOLATION:
          this.onViolation?.(z, m.conn, m.check);
          break;
      }
      ring.release();
    }
    ring.done();
    return false;
  }

  /** Handles everything the cells have published, now (zone recovery). */
  drainNow(): void {
    for (let c = 0; c < this.outbound.length; c++) this.drain(c, this.outbound[c], Infinity);
  }

  /** Drops JOINs and LEAVEs queued for cells that are gone (zone recovery redoes what matters). */
  dropPending(): void {
    for (const r of this.inbound) r.clear();
  }

  close(): void {
    this.closed = true;
  }
}
