import type { WebSocket } from 'ws';
import type { Logger } from '../log.ts';
import type { RateLimit } from '../metrics/gate-metrics.ts';
import type { GateLimits } from '../net-config.ts';
import type { Admission } from './admission.ts';
import { TokenBucket } from './token-bucket.ts';
import type { WorldState } from './world.ts';

/** A connection's message and byte rates (GATE_MSG_*, GATE_BYTE_*). */
export type ConnectionRates = Pick<GateLimits, 'msgRate' | 'msgBurst' | 'byteRate' | 'byteBurst'>;

/** The defaults of GATE_MSG_* and GATE_BYTE_* (net-config.ts), for connections made without a configuration (tests). */
export const DEFAULT_RATES: ConnectionRates = { msgRate: 120, msgBurst: 240, byteRate: 8192, byteBurst: 16_384 };

/** No entity yet. Handles are u32; -1 is none of them. */
export const NO_HANDLE = -1;

export const Pressure = { OK: 0, OVER: 1, KICK: 2 } as const;
export type PressureValue = (typeof Pressure)[keyof typeof Pressure];

export type ConnectionPhase = 'handshake' | 'entering' | 'joining' | 'playing' | 'closed';

/**
 * A change of zone through a portal, from the PORTAL (the old zone freed the
 * entity) until the new zone's JOINED. The connection is 'joining' meanwhile.
 */
export interface ZoneTransfer {
  /** Zone index the player came from, and the portal's index in its map (for logs). */
  from: number;
  portal: string;
  /** Where it goes back to when the target refuses it: its last spot outside the portal, in the old zone. */
  back: WorldState;
  /**
   * Restored as the newest tick sent when the player goes back to the old
   * zone: the tick its entity was freed at (or a newer one sent), so none of
   * the old entity's frames, drained late, goes out after the new one's.
   */
  lastFrameTick: number;
  /** True once the target refused it and the player is joining its old zone again. */
  fallback: boolean;
}

/** What the gate knows about one WebSocket connection. */
export class Connection {
  readonly id: number;
  /** The socket now; a resume (resume.ts) gives the connection its new socket, keeping the player. */
  ws: WebSocket;
  log: Logger;
  remote: string;
  phase: ConnectionPhase = 'handshake';
  /**
   * Zone index, and the cell last known to own the player's entity (the
   * join's cell, then MOVED notices; for logs: messages are routed by the
   * store's owner word).
   */
  zone = 0;
  cell = 0;
  /** Tick of the newest MOVED applied to `cell`; older ones are ignored. */
  movedTick = -1;
  /** The player's entity handle, or NO_HANDLE until the cell answered the join (handle 0 is never an entity, but -1 stays unmistakable). */
  handle = NO_HANDLE;
  /** Tick of the newest snapshot sent; an older one is never sent after it. */
  lastFrameTick = 0;
  /**
   * Tick of the first snapshot sent for the current entity (0: none yet). An
   * ack outside [firstFrameTick, lastFrameTick] is of another zone's or
   * entity's snapshot (it crossed a ZONE_CHANGE on the wire) and is dropped.
   */
  firstFrameTick = 0;
  /** The portal transfer in progress, if any. */
  transfer: ZoneTransfer | undefined;
  /** What the player's combat brings through the portal (cooldowns, auras: combat/carry.ts), for the JOIN of the transfer. */
  carry: Uint8Array | null = null;
  /** Where an operator sends the player in another zone (zone index and point), until its cell answers the DEPART. */
  teleportTo: { zone: number; x: number; y: number } | undefined;
  /** True once WELCOME went out: a later entity is announced with ZONE_CHANGE. */
  welcomed = false;
  /** Content hash the client said it has in HELLO ('' = none said). */
  clientContentHash = '';
  /** 0 for guests (not saved). */
  characterId = 0;
  /** The character's account (0 for guests), for bans and the operator console. */
  accountId = 0;
  /** Payload bytes received and sent on this connection (the operator console). */
  bytesIn = 0;
  bytesOut = 0;
  /** When the last heartbeat ping went out, and the round trip its pong took (-1: none measured yet). */
  pingSentAt = 0;
  rttMs = -1;
  /** Newest snapshot tick the client acknowledged: lastFrameTick minus it is how far behind its acks are. */
  lastAckTick = 0;
  /** The character's class (its account's classId: 0 for a guest, who plays the content's first class). */
  classId = 0;
  name = '';
  /**
   * Its socket dropped and its character waits in the world for a resume
   * (resume.ts) until RESUME_GRACE_MS runs out. The phase stays what it was.
   */
  detached = false;
  /** Resumed: snapshots are held back until a full one (baseTick 0) comes, as the new client has no baseline. */
  needsFullSnapshot = false;
  /** Messages and payload bytes the client may still send now (GATE_MSG_RATE, GATE_BYTE_RATE). */
  private messages: TokenBucket;
  private bytes: TokenBucket;
  lastMessageAt: number;
  /** How it got past the door (per-address counts), undefined for connections made without one (tests). */
  admission: Admission | undefined;
  /** When the send buffer first went over the bound, or 0 while under it. */
  overSince = 0;
  awaitingPong = false;
  /** The close code the gate (or ws, for a broken frame) chose, once it closes the connection; counted instead of the 1006 a vanished client leaves. */
  closeCode: number | undefined;
  /** True once the cell has let the entity go (LEFT received) or it never joined. */
  released = false;
  handshakeTimer: NodeJS.Timeout | undefined;
  /** Where the player was asked to join (re-sent if its zone restarts meanwhile). */
  joinAt: WorldState | undefined;
  /** Newest state the cell reported, for saves and takeovers. */
  lastState: WorldState | undefined;
  /**
   * The highest stored reward the entity's experience includes, as its
   * newest report said (WorldState.rewardSeq); a report below it is older
   * than one taken already, and is not taken.
   */
  rewardSeq = 0;
  /** Stored rewards sent to its cell and not yet reported paid, by seq (owed-rewards.ts). */
  rewardsOwed: { seq: number; xp: number }[] = [];
  /** The newest combat checkpoint of its entity (combat-checkpoint.ts): `combatCheckpointBytes` bytes of the buffer. */
  combatCheckpoint: Buffer | undefined;
  combatCheckpointBytes = 0;

  constructor(id: number, ws: WebSocket, remote: string, log: Logger, rates: ConnectionRates = DEFAULT_RATES) {
    this.id = id;
    this.ws = ws;
    this.remote = remote;
    this.log = log;
    const now = Date.now();
    this.lastMessageAt = now;
    this.messages = new TokenBucket(rates.msgRate, rates.msgBurst, now);
    this.bytes = new TokenBucket(rates.byteRate, rates.byteBurst, now);
  }

  /**
   * Takes over `from`'s socket and what belongs to that socket (address,
   * admission, rates, liveness), keeping this connection's player: the
   * resume of a dropped (or taken-over) connection. `from` is left without
   * a socket of its own.
   */
  adoptSocket(from: Connection): void {
    this.ws = from.ws;
    this.remote = from.remote;
    this.admission = from.admission;
    from.admission = undefined;
    this.messages = from.messages;
    this.bytes = from.bytes;
    this.lastMessageAt = from.lastMessageAt;
    this.clientContentHash = from.clientContentHash;
    this.overSince = 0;
    this.awaitingPong = false;
    this.closeCode = undefined;
    this.detached = false;
  }

  /**
   * Where the socket's send buffer stands against `limit`: under it, over
   * it (snapshots are skipped), or over it for longer than `kickMs` (the
   * client is too slow and is closed). Keeps `overSince` up to date.
   */
  pressure(now: number, limit: number, kickMs: number): PressureValue {
    if (this.ws.bufferedAmount <= limit) {
      this.overSince = 0;
      return Pressure.OK;
    }
    if (this.overSince === 0) this.overSince = now;
    return now - this.overSince > kickMs ? Pressure.KICK : Pressure.OVER;
  }

  /**
   * Whether a snapshot of zone `zone` at `tick` goes out (and then records
   * it). After a handoff the old and the new owner's rings drain apart: a
   * client never gets an older tick after a newer one, nor one of a zone it
   * has left.
   */
  admitSnapshot(zone: number, tick: number): boolean {
    if (tick <= this.lastFrameTick || zone !== this.zone) return false;
    this.lastFrameTick = tick;
    if (this.firstFrameTick === 0) this.firstFrameTick = tick;
    return true;
  }

  /** The ack to pass on: `ackTick` when it is of a snapshot this entity was sent, else 0 (none). */
  ackable(ackTick: number): number {
    if (this.firstFrameTick === 0 || ackTick < this.firstFrameTick || ackTick > this.lastFrameTick) return 0;
    if (ackTick > this.lastAckTick) this.lastAckTick = ackTick;
    return ackTick;
  }

  /**
   * Counts a message of `size` payload bytes: null when it is within the
   * connection's rates, or the rate it is over. A data frame (`data`) also
   * shows the client is not idle; a ping or pong control frame counts
   * against the rates only (ws answers the server's heartbeat pings by
   * itself, which says nothing of the player).
   */
  admitMessage(now: number, size: number, data = true): RateLimit | null {
    if (data) this.lastMessageAt = now;
    this.bytesIn += size;
    if (!this.messages.take(now)) return 'messages';
    if (!this.bytes.take(now, size)) return 'bytes';
    return null;
  }
}
