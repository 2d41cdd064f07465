import { GATE_ITEM_OP, ItemMessage } from '../shared/messages/items.ts';
import { MoveKind } from '../protocol/opcodes.ts';
import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';
import type { ReattachedPlayer } from '../shared/cell-contract.ts';
import type { EntityStore } from '../shared/entity-store.ts';
import { EntityKind, StatSlot } from '../shared/layout.ts';
import { CellMsg, JoinStatus, OPERATOR_PORTAL, writeJoined, writeMoved, writePlayerReport, writePortal } from '../shared/messages/cell-to-gate.ts';
import { GateMessage } from '../shared/messages/gate-message.ts';
import { GateMsg } from '../shared/messages/gate-to-cell.ts';
import type { ReliableRing } from '../shared/reliable-ring.ts';
import type { Ring } from '../shared/ring.ts';
import type { Intents } from './intents.ts';
import type { Lifecycle, SpawnRequest } from './lifecycle.ts';
import { BASELINES_PER_CLIENT, PlayerState, seqNewer } from './player-state.ts';
import { EntityRows } from './entity-rows.ts';
import { MovedOn } from './moved-on.ts';
import { CellViolations } from './anticheat/cell-violations.ts';
import { OwnedSet } from './owned-set.ts';
import { playerWireBytes, readPlayer, writePlayer } from './player-wire.ts';
import { type PrivatePart, PartId } from './private-state.ts';

/** A join waiting for the spawn phase, and whether its LEAVE came meanwhile. */
interface PendingJoin extends SpawnRequest {
  conn: number;
  leaveAfter: boolean;
}

/**
 * The players a cell owns and the gate's messages about them: join, leave,
 * input and ack, applied in the input phase. Messages for a player that has
 * moved to another cell are forwarded to its owner (by the store's owner
 * word, never by a guess that expires). Also the player's private-state part.
 */
export class CellPlayers implements PrivatePart {
  readonly id = PartId.PLAYERS;
  readonly name = 'player';
  /** Player state by slot; undefined for slots that are not this cell's players. */
  readonly bySlot: (PlayerState | undefined)[];
  /**
   * The slots of `bySlot` that hold a player, for systems that visit only
   * players (a cell owns thousands of NPCs besides). Walk it from the end
   * (`for (let i = slots.count - 1; i >= 0; i--)`): a player released
   * during the walk then swaps in one already visited.
   */
  readonly slots: OwnedSet;
  private readonly byConn = new Map<number, number>();
  /** Joins requested this tick, by connection, until the spawn phase applies them. */
  private readonly joining = new Map<number, PendingJoin>();
  /** Players that moved on, by connection: where their late messages go. */
  private readonly movedOn: MovedOn;
  /** Restart: the connections to match to surviving player entities, by handle. */
  private reattach: Map<number, ReattachedPlayer> | null = null;
  private readonly msg = new GateMessage();
  private readonly store: EntityStore;
  private readonly gateOut: ReliableRing;
  private readonly intents: Intents;
  private readonly lifecycle: Lifecycle;
  private readonly stats: Float64Array;
  // Bound once: despawn hooks allocate no closure per leave.
  private readonly reportLeft = (slot: number) => this.writeLeft(slot);
  private readonly reportDeparted = (slot: number) => this.writeDeparted(slot);
  /** The tick of the newest DEPART, for its PORTAL (departures are applied in the same tick's spawn phase). */
  private departTick = 0;
  /** Takes the ACTIONs of the players this cell owns (the combat system registers it). */
  onAction: ((slot: number, m: GateMessage) => void) | null = null;
  /** Scripted NPCs asked for by the coordinator (SPAWN_NPC, DISMISS_NPCS); the NPC AI registers it. */
  onScript: ((m: GateMessage) => void) | null = null;
  /**
   * Pays a quest's experience to owned player `slot`, numbered `seq` (0: no
   * stored row), unless the store's rewardSeq says it is paid already
   * (combat's progression registers it). Its REWARDED follows at once.
   */
  onReward: ((slot: number, experience: number, seq: number) => void) | null = null;
  /** The coordinator made owned player `slot`'s experience durable up to `xp` (combat/experience.ts registers it). */
  onDurable: ((slot: number, xp: number) => void) | null = null;
  /** Takes the gate's ITEMs (the ground items register it): `slot` and `p` are the player's for player-addressed kinds, -1 and null otherwise. */
  onItem: ((m: ItemMessage, slot: number, p: PlayerState | null) => void) | null = null;
  private readonly itemMsg = new ItemMessage();
  /** Takes the SAYs of the players this cell owns (the chat system registers it): the line is `bytes[m.lineAt, m.lineAt + m.lineLength)`. */
  onSay: ((slot: number, m: GateMessage, bytes: Uint8Array) => void) | null = null;
  /** Forgets a player's newest action seq when its connection resumes (the combat system registers it). */
  onResync: ((slot: number) => void) | null = null;
  /**
   * What a player brings through a portal (combat/carry.ts): `carryOut`
   * writes it as the player leaves for another zone (into PORTAL), `onCarry`
   * takes it in when its JOIN here spawned it. Set by combat; null: none.
   */
  carryOut: ((slot: number, w: Writer) => void) | null = null;
  onCarry: ((slot: number, bytes: Uint8Array) => void) | null = null;
  /** The anti-cheat's reports of impossible actions by the players this cell owns (counted, and told to the coordinator). */
  readonly violations: CellViolations;
  /** True when a DESTINATION input of `slot` (m.a, m.b) is impossible (anticheat/destination-check.ts registers it): it stops the player instead, and is reported. */
  destinationRefused: ((slot: number, m: GateMessage) => boolean) | null = null;

  /** Baselines each player's history keeps (send-rate.ts baselinesPerClient). */
  private readonly baselines: number;
  /** The replicated entity states every player's views refer to (the replicate system fills them). */
  readonly rows: EntityRows;

  constructor(
    store: EntityStore,
    cell: number,
    gateOut: ReliableRing,
    peersOut: readonly (ReliableRing | null)[],
    intents: Intents,
    lifecycle: Lifecycle,
    stats: Float64Array,
    baselines = BASELINES_PER_CLIENT,
    rows = new EntityRows(store.schema),
  ) {
    this.store = store;
    this.baselines = baselines;
    this.rows = rows;
    this.gateOut = gateOut;
    this.intents = intents;
    this.lifecycle = lifecycle;
    this.stats = stats;
    this.bySlot = new Array<PlayerState | undefined>(store.capacity).fill(undefined);
    this.slots = new OwnedSet(store.capacity);
    this.violations = new CellViolations(stats, gateOut, this.bySlot);
    this.movedOn = new MovedOn(store, cell, peersOut, stats);
  }

  get count(): number {
    return this.byConn.size;
  }

  /** What the gate handed back for a player entity after a cell restart (its connection, its combat checkpoint). */
  reattached(handle: number): ReattachedPlayer | undefined {
    return this.reattach?.get(handle);
  }

  /** Slot of a connection's player, or -1. */
  slotOf(conn: number): number {
    return this.byConn.get(conn) ?? -1;
  }

  /** Drains the gate's ring (input phase). */
  drainGate(ring: Ring, tick: number): void {
    for (let at = ring.peek(); at >= 0; at = ring.peek()) {
      this.handle(ring.bytes, ring.view, at, ring.messageLength, tick);
      ring.release();
    }
    ring.done();
  }

  /** Applies one gate message (straight from the gate, or forwarded by another cell). */
  handle(bytes: Uint8Array, view: DataView, at: number, len: number, tick: number): void {
    if (len > 0 && view.getUint8(at) === GATE_ITEM_OP) return this.item(bytes, view, at, len);
    const m = this.msg;
    if (!m.read(view, at, len)) {
      this.stats[StatSlot.inputsRejected]++;
      return;
    }
    if (m.op === GateMsg.SPAWN_NPC || m.op === GateMsg.DISMISS_NPCS) {
      // About the zone, not a player: for the NPC AI.
      if (this.onScript) this.onScript(m);
      else this.stats[StatSlot.inputsRejected]++;
      return;
    }
    const slot = this.byConn.get(m.conn);
    if (m.op === GateMsg.JOIN) return this.join(m, slot, bytes, at, len);
    if (slot === undefined) {
      const pending = this.joining.get(m.conn);
      if (pending) {
        if (m.op === GateMsg.LEAVE) pending.leaveAfter = true;
        return; // inputs before the entity exists are moot
      }
      this.movedOn.forward(m.conn, bytes, at, len);
      return;
    }
    const p = this.bySlot[slot]!;
    if (m.op === GateMsg.LEAVE) {
      this.lifecycle.despawn(slot, this.reportLeft);
      return;
    }
    if (m.op === GateMsg.RESYNC) {
      // A resumed client: no baseline (the next snapshot is full), and its seqs start afresh.
      p.ackTick = 0;
      p.hasInput = false;
      p.resetPacing();
      if (this.onResync) this.onResync(slot);
      return;
    }
    if (m.op === GateMsg.DEPART) {
      this.departTick = tick;
      this.lifecycle.despawn(slot, this.reportDeparted);
      return;
    }
    if (m.op === GateMsg.TELEPORT) {
      // Finite and on the map were checked by the gate; the lifecycle finds the nearest walkable spot.
      this.lifecycle.teleport(slot, m.x, m.y);
      return;
    }
    if (m.op === GateMsg.ACTION) {
      if (this.onAction) this.onAction(slot, m);
      else this.stats[StatSlot.inputsRejected]++;
      return;
    }
    if (m.op === GateMsg.SAY) {
      if (this.onSay) this.onSay(slot, m, bytes);
      else this.stats[StatSlot.inputsRejected]++;
      return;
    }
    if (m.op === GateMsg.REWARD) {
      if (!this.onReward) {
        this.stats[StatSlot.inputsRejected]++;
        return;
      }
      this.onReward(slot, m.xp, m.seq);
      // Answered in the same tick, paid now or before (a REWARD re-sent around a restart): the coordinator stops re-sending it.
      writePlayerReport(this.gateOut, CellMsg.REWARDED, p.conn, this.store, slot);
      return;
    }
    if (m.op === GateMsg.EXPERIENCE_DURABLE) {
      this.onDurable?.(slot, m.xp);
      return;
    }
    // Only ticks already sent can be acknowledged: this simulate belongs to a
    // tick whose snapshot does not exist yet.
    if (m.ackTick > p.ackTick && m.ackTick < tick) p.ackTick = m.ackTick;
    if (m.op === GateMsg.INPUT) {
      // A stale intent (forwarded around a handoff, or reordered) never overrides a newer one.
      if (p.hasInput && !seqNewer(m.seq, p.lastInputSeq)) {
        this.stats[StatSlot.inputsStale]++;
        return;
      }
      p.hasInput = true;
      p.lastInputSeq = m.seq;
      // Written in place: passing m.a and m.b to a call would box them.
      const it = this.intents;
      if (m.move === MoveKind.DESTINATION && this.destinationRefused !== null && this.destinationRefused(slot, m)) {
        it.move[slot] = MoveKind.STOP;
        this.stats[StatSlot.inputsRejected]++;
        return;
      }
      it.move[slot] = m.move;
      it.a[slot] = m.a;
      it.b[slot] = m.b;
      this.stats[StatSlot.inputsApplied]++;
    }
  }

  /**
   * A JOIN is idempotent: a connection this cell already has (joined,
   * joining, or moved on) gets its one entity again, never a second.
   */
  private join(m: GateMessage, slot: number | undefined, bytes: Uint8Array, at: number, len: number): void {
    if (slot !== undefined) {
      writeJoined(this.gateOut, m.conn, JoinStatus.OK, this.bySlot[slot]!.handle);
      return;
    }
    if (this.joining.has(m.conn)) return;
    // A player that moved on gets its entity there; once that entity is gone (it left the zone through a portal), this is a new join.
    if (this.movedOn.alive(m.conn)) return this.movedOn.forward(m.conn, bytes, at, len);
    const conn = m.conn;
    const characterId = m.characterId;
    const xp = m.xp;
    const rewardSeq = m.rewardSeq;
    // A portal's carry, copied: the JOIN's bytes are the ring's, and the spawn comes later.
    const carry = m.carryLength > 0 ? bytes.slice(m.carryAt, m.carryAt + m.carryLength) : null;
    // Class, health and level as the character has them; the combat part
    // (combat/part.ts) works out its stats, and a health of 0 is full.
    const req: PendingJoin = {
      conn,
      leaveAfter: false,
      kind: EntityKind.PLAYER,
      template: m.template,
      x: m.x,
      y: m.y,
      maxHp: 0,
      hp: m.hp,
      level: m.level > 0 ? m.level : 1,
      xp,
      rewardSeq,
      onSpawned: (s, handle) => {
        this.joining.delete(conn);
        this.add(s, new PlayerState(conn, characterId, handle, this.rows, this.baselines));
        if (carry && this.onCarry) this.onCarry(s, carry);
        writeJoined(this.gateOut, conn, JoinStatus.OK, handle);
        if (req.leaveAfter) this.lifecycle.despawn(s, this.reportLeft);
      },
      onFailed: () => {
        this.joining.delete(conn);
        writeJoined(this.gateOut, conn, JoinStatus.ZONE_FULL, 0);
      },
    };
    this.joining.set(conn, req);
    this.lifecycle.spawn(req);
  }

  /** An ITEM from the gate: to the ground-items hook, for this cell's player (forwarded when it moved on) or ground item. */
  private item(bytes: Uint8Array, view: DataView, at: number, len: number): void {
    const m = this.itemMsg;
    if (!m.read(view, at, len) || !this.onItem) {
      this.stats[StatSlot.inputsRejected]++;
      return;
    }
    if (!m.toPlayer) return this.onItem(m, -1, null);
    const slot = this.byConn.get(m.conn);
    if (slot === undefined) return this.movedOn.forward(m.conn, bytes, at, len);
    this.onItem(m, slot, this.bySlot[slot]!);
  }

  /** Registers a player this cell now owns (joined, adopted or reattached). */
  private add(slot: number, p: PlayerState): void {
    if (!this.bySlot[slot]) this.slots.add(slot);
    this.bySlot[slot] = p;
    this.byConn.set(p.conn, slot);
    this.movedOn.delete(p.conn);
  }

  /** The player's entity was handed to `dest` at the end of `tick`: the gate learns it, late messages follow it. */
  handedOff(slot: number, dest: number, tick: number): void {
    const p = this.bySlot[slot];
    if (!p) return;
    this.movedOn.set(p.conn, p.handle);
    writeMoved(this.gateOut, p.conn, dest, tick);
  }

  /** Writes a STATE report (droppable: the next one follows within a second). */
  reportState(p: PlayerState, slot: number, ring: Ring): boolean {
    if (writePlayerReport(ring, CellMsg.STATE, p.conn, this.store, slot)) return true;
    this.stats[StatSlot.framesDropped]++;
    return false;
  }

  private writeLeft(slot: number): void {
    const p = this.bySlot[slot];
    if (p) writePlayerReport(this.gateOut, CellMsg.LEFT, p.conn, this.store, slot);
  }

  /** An operator sent the player to another zone: a PORTAL the gate routes to it, from where it stands. */
  private writeDeparted(slot: number): void {
    const p = this.bySlot[slot];
    if (p) writePortal(this.gateOut, p.conn, this.departTick, OPERATOR_PORTAL, this.store, slot, this.store.f.x[slot], this.store.f.y[slot]);
  }

  /** Forgets entries for players whose entity no longer exists (every few seconds). */
  sweepMovedOn(): void {
    this.movedOn.sweep();
  }

  // ---- private-state part ------------------------------------------------

  appliesTo(kind: number): boolean {
    return kind === EntityKind.PLAYER;
  }

  size(slot: number): number {
    return playerWireBytes(this.bySlot[slot]!);
  }

  write(w: Writer, slot: number): void {
    writePlayer(w, this.bySlot[slot]!);
  }

  read(r: Reader, slot: number, handle: number): void {
    this.add(slot, readPlayer(r, handle, this.rows, this.baselines));
  }

  /** Sets the connections a restarted cell reattaches to surviving player entities. */
  prepareRecovery(players: readonly ReattachedPlayer[]): void {
    this.reattach = new Map(players.map((p) => [p.handle, p]));
  }

  /** A surviving player entity with a connection is reattached (baselines gone: its next snapshot is full); without one it is dropped. */
  recover(slot: number, handle: number): boolean {
    const p = this.reattach?.get(handle);
    if (!p) return false;
    this.add(slot, new PlayerState(p.conn, p.characterId, handle, this.rows, this.baselines));
    this.intents.set(slot, MoveKind.STOP, 0, 0);
    return true;
  }

  release(slot: number): void {
    const p = this.bySlot[slot];
    if (!p) return;
    this.bySlot[slot] = undefined;
    this.slots.remove(slot);
    if (this.byConn.get(p.conn) === slot) this.byConn.delete(p.conn);
  }
}
