import { MoveKind } from '../../../../src/protocol/opcodes.ts';
import { PLAYER_SPEED, stepIntent, type Intent, type MoveKindValue, type Position, type Walkability } from './movement.ts';

/**
 * Client-side prediction of the player's own movement, reconciled against
 * the server's authoritative state.
 *
 * The client runs the server's movement rule (movement.ts) on its own clock,
 * at the zone's tick rate, from the moment it sends an input: the walk
 * starts at once instead of a round trip later. Every local tick is kept in
 * a history: the input in effect, whether it was new at that tick, and the
 * position after it.
 *
 * Reconciliation. A snapshot of server tick T says the newest input the
 * server has applied (lastInputSeq S) and where the player stands. The
 * server applied S at the tick T_S of the first snapshot that acknowledged
 * it, and has walked under S for T - T_S ticks more since; the client
 * applied S at its local tick L_S. So the server's state at T is the
 * client's state after local tick L_S + (T - T_S). Where the two differ by
 * more than the wire's quantisation (1/32 unit per axis), the client puts
 * itself where the server says at that tick and replays its history from
 * there: the inputs the server has not seen yet are walked again from the
 * corrected point. With a steady latency the alignment is exact and nothing
 * is ever corrected; jitter shifts the tick an input lands on, and the
 * correction is then the walk of the ticks it shifted (docs/client.md gives
 * the bound and the test that holds it).
 *
 * Corrections are smoothed: the drawn position keeps an offset that decays
 * with a half-life of `smoothHalfLifeMs`, unless the correction is larger
 * than `snapDistance` (a teleport), which is taken at once.
 */
export interface PredictorOptions {
  tickHz: number;
  /** Units per second (the server's player speed). */
  speed?: number;
  /** Local ticks kept for replay: past this, a correction snaps. */
  historyTicks?: number;
  /** Differences up to this (per axis, units) are the wire's quantisation, not an error. */
  epsilon?: number;
  /** Corrections longer than this (units) are taken at once, not smoothed. */
  snapDistance?: number;
  smoothHalfLifeMs?: number;
  /** A frame gap longer than this (a hidden tab) is not simulated: the next snapshot decides. */
  maxCatchUpMs?: number;
}

/** What one snapshot did to the prediction. */
export interface Reconciliation {
  /** Distance between the server's position and the prediction for the same tick, units. */
  error: number;
  /** True when the prediction was moved (replayed from the server's position). */
  corrected: boolean;
  /** True when it was moved at once (too far, or no history to replay). */
  snapped: boolean;
}

const NONE = 0xffffffff;

export class Predictor {
  readonly tickHz: number;
  readonly tickMs: number;
  readonly step: number;
  readonly epsilon: number;
  readonly snapDistance: number;
  readonly smoothHalfLifeMs: number;
  readonly maxCatchUpMs: number;
  /** The newest predicted position (after `localTick`). */
  readonly pos: Position = { x: 0, y: 0 };
  /** The position one tick before, for drawing between ticks. */
  readonly prev: Position = { x: 0, y: 0 };
  /** Drawn minus predicted, decaying to zero after a smoothed correction. */
  readonly offset = { x: 0, y: 0 };
  localTick = 0;
  /** Corrections made and their total length (units), for the HUD's debug figures and tests. */
  corrections = 0;
  correctedDistance = 0;
  placed = false;
  private map: Walkability;
  private readonly size: number;
  // History, by local tick & (size - 1).
  private readonly hTick: Uint32Array;
  private readonly hSeq: Uint32Array;
  private readonly hFresh: Uint8Array;
  private readonly hMove: Uint8Array;
  private readonly hA: Float32Array;
  private readonly hB: Float32Array;
  private readonly hActive: Uint8Array;
  private readonly hX: Float32Array;
  private readonly hY: Float32Array;
  // Per input seq & (size - 1): the local tick it first took effect, the server tick first acknowledging it.
  private readonly sSeq: Uint32Array;
  private readonly sLocal: Uint32Array;
  private readonly sServer: Uint32Array;
  private readonly intent: { move: MoveKindValue; a: number; b: number } = { move: MoveKind.STOP, a: 0, b: 0 };
  private active = false;
  private fresh = false;
  private seq = 0;
  /** Local tick after which the first input took effect (NONE: no input yet). */
  private firstInputTick = NONE;
  private acc = 0;
  private lastNow = -1;
  private readonly scratch: Position = { x: 0, y: 0 };

  constructor(map: Walkability, o: PredictorOptions) {
    if (!(o.tickHz >= 1 && o.tickHz <= 60)) throw new RangeError(`options.tickHz must be 1..60, got ${o.tickHz}`);
    this.map = map;
    this.tickHz = o.tickHz;
    this.tickMs = 1000 / o.tickHz;
    // As the cell computes it: speed × dt, dt = 1 / tickHz.
    this.step = (o.speed ?? PLAYER_SPEED) * (1 / o.tickHz);
    this.epsilon = o.epsilon ?? 1 / 16 + 1e-4;
    this.snapDistance = o.snapDistance ?? 3;
    this.smoothHalfLifeMs = o.smoothHalfLifeMs ?? 80;
    this.maxCatchUpMs = o.maxCatchUpMs ?? 1000;
    let size = 1;
    while (size < (o.historyTicks ?? 256)) size <<= 1;
    this.size = size;
    this.hTick = new Uint32Array(size).fill(NONE);
    this.hSeq = new Uint32Array(size);
    this.hFresh = new Uint8Array(size);
    this.hMove = new Uint8Array(size);
    this.hA = new Float32Array(size);
    this.hB = new Float32Array(size);
    this.hActive = new Uint8Array(size);
    this.hX = new Float32Array(size);
    this.hY = new Float32Array(size);
    this.sSeq = new Uint32Array(size).fill(NONE);
    this.sLocal = new Uint32Array(size);
    this.sServer = new Uint32Array(size).fill(NONE);
  }

  /**
   * Puts the player at (x, y), standing, and forgets the history: the first
   * snapshot of a session or of a new zone (whose map this takes), or a
   * prediction too far off to replay.
   */
  place(x: number, y: number, map: Walkability = this.map): void {
    this.map = map;
    this.pos.x = this.prev.x = Math.fround(x);
    this.pos.y = this.prev.y = Math.fround(y);
    this.offset.x = this.offset.y = 0;
    this.hTick.fill(NONE);
    this.sSeq.fill(NONE);
    this.sServer.fill(NONE);
    this.intent.move = MoveKind.STOP;
    this.active = false;
    this.fresh = false;
    this.firstInputTick = NONE;
    this.acc = 0;
    this.placed = true;
    this.record(this.localTick);
  }

  /** An input sent now (seq as on the wire): it takes effect from the next local tick, as on the server from its next tick. */
  input(seq: number, intent: Intent): void {
    this.seq = seq >>> 0;
    this.intent.move = intent.move;
    this.intent.a = intent.a;
    this.intent.b = intent.b;
    this.fresh = true;
    const k = this.seq & (this.size - 1);
    this.sSeq[k] = this.seq;
    this.sLocal[k] = this.localTick + 1;
    this.sServer[k] = NONE;
    if (this.firstInputTick === NONE) this.firstInputTick = this.localTick + 1;
  }

  /** True while the prediction is walking (an intent in effect). */
  get moving(): boolean {
    return this.active;
  }

  /**
   * Brings the local clock to `now` (ms, any monotonic clock), running the
   * ticks due: called every frame, and before each reconcile() so that a
   * snapshot is never compared with a tick the frame loop has not run yet.
   */
  advanceTo(now: number): number {
    if (this.lastNow < 0) this.lastNow = now;
    const dt = now - this.lastNow;
    this.lastNow = now;
    return dt > 0 ? this.advance(dt) : 0;
  }

  /** Advances the local clock by `dtMs`, running whole ticks; returns how many ran. */
  advance(dtMs: number): number {
    if (!this.placed) return 0;
    this.acc += dtMs;
    if (this.acc > this.maxCatchUpMs) this.acc = this.maxCatchUpMs;
    let n = 0;
    while (this.acc >= this.tickMs) {
      this.acc -= this.tickMs;
      this.tick();
      n++;
    }
    // Decay the smoothing offset by the frame's time.
    if (this.offset.x !== 0 || this.offset.y !== 0) {
      const k = Math.pow(0.5, dtMs / this.smoothHalfLifeMs);
      this.offset.x *= k;
      this.offset.y *= k;
      if (Math.abs(this.offset.x) < 1e-3 && Math.abs(this.offset.y) < 1e-3) this.offset.x = this.offset.y = 0;
    }
    return n;
  }

  /**
   * Moves the local ticks toward `phase` (a time of the clock advanceTo()
   * is given, whose value modulo the tick period is where ticks should
   * fall: TickClock.inputPhase), by at most `maxShare` of the frame's
   * `dtMs`: time bends a little, no tick is skipped or doubled. `hard`
   * jumps there at once (a fresh placement). Call it after advanceTo().
   */
  align(phase: number, dtMs: number, hard = false, maxShare = 0.1): void {
    if (this.lastNow < 0) return;
    const T = this.tickMs;
    // The last local tick fell at lastNow - acc; the error is how much later it should have.
    let e = (phase - (this.lastNow - this.acc)) % T;
    if (e > T / 2) e -= T;
    else if (e < -T / 2) e += T;
    const limit = hard ? T : dtMs * maxShare;
    const d = e > limit ? limit : e < -limit ? -limit : e;
    this.acc -= d;
    if (this.acc < -T / 2) this.acc = -T / 2;
  }

  /** Where to draw the player now: between the last two ticks, plus what is left of a smoothed correction. */
  drawn(out: Position): Position {
    const f = this.acc <= 0 ? 0 : this.acc >= this.tickMs ? 1 : this.acc / this.tickMs;
    out.x = this.prev.x + (this.pos.x - this.prev.x) * f + this.offset.x;
    out.y = this.prev.y + (this.pos.y - this.prev.y) * f + this.offset.y;
    return out;
  }

  private tick(): void {
    this.localTick = (this.localTick + 1) >>> 0;
    this.prev.x = this.pos.x;
    this.prev.y = this.pos.y;
    if (this.fresh) this.active = this.intent.move !== MoveKind.STOP;
    const fresh = this.fresh;
    this.fresh = false;
    if (this.active && stepIntent(this.map, this.pos, this.intent, this.step)) this.active = false;
    this.record(this.localTick, fresh);
  }

  private record(t: number, fresh = false): void {
    const k = t & (this.size - 1);
    this.hTick[k] = t;
    this.hSeq[k] = this.seq;
    this.hFresh[k] = fresh ? 1 : 0;
    this.hMove[k] = this.intent.move;
    this.hA[k] = this.intent.a;
    this.hB[k] = this.intent.b;
    this.hActive[k] = this.active ? 1 : 0;
    this.hX[k] = this.pos.x;
    this.hY[k] = this.pos.y;
  }

  /**
   * The server's word for tick `tick`: the newest input it applied, where
   * the player stands (world units, as decoded) and whether it moved that
   * tick (the MOVING flag). Checks the prediction for that tick and replays
   * from the server's position when they differ.
   */
  reconcile(tick: number, lastInputSeq: number, x: number, y: number, moving = true): Reconciliation {
    if (!this.placed) {
      this.place(x, y);
      return { error: 0, corrected: false, snapped: true };
    }
    const ackSeq = lastInputSeq >>> 0;
    const at = this.alignedTick(tick, ackSeq);
    if (at === NONE) return this.snapTo(tick, ackSeq, x, y);
    const k = at & (this.size - 1);
    const ex = x - this.hX[k];
    const ey = y - this.hY[k];
    const error = Math.hypot(ex, ey);
    // Standing under the newest input: the server cannot move until the
    // next input, so neither does the prediction. This settles the one case
    // replaying cannot: the wire's 1/16 unit hides on which side of a tile
    // edge the server stands, so a step the client finds free may be
    // blocked there.
    let stuck = !moving && ackSeq === this.seq && this.firstInputTick !== NONE && this.active;
    if (Math.abs(ex) <= this.epsilon && Math.abs(ey) <= this.epsilon) {
      if (stuck && Math.abs(x - this.pos.x) <= this.epsilon && Math.abs(y - this.pos.y) <= this.epsilon) {
        // Stuck here too: nothing to correct, only the walk to forget.
        this.active = false;
        stuck = false;
      }
      if (!stuck) return { error, corrected: false, snapped: false };
    }
    // Replay from the server's position at `at` through every later local tick.
    const before = this.scratch;
    this.drawn(before);
    const p = this.pos;
    p.x = Math.fround(x);
    p.y = Math.fround(y);
    let active = stuck ? false : this.hActive[k] === 1;
    this.hX[k] = p.x;
    this.hY[k] = p.y;
    const intent: Intent = { move: MoveKind.STOP, a: 0, b: 0 };
    for (let t = (at + 1) >>> 0; t !== ((this.localTick + 1) >>> 0); t = (t + 1) >>> 0) {
      const j = t & (this.size - 1);
      if (t === this.localTick) {
        this.prev.x = p.x;
        this.prev.y = p.y;
      }
      intent.move = this.hMove[j] as MoveKindValue;
      intent.a = this.hA[j];
      intent.b = this.hB[j];
      if (this.hFresh[j] === 1) active = intent.move !== MoveKind.STOP;
      if (active && stepIntent(this.map, p, intent, this.step)) active = false;
      this.hActive[j] = active ? 1 : 0;
      this.hX[j] = p.x;
      this.hY[j] = p.y;
    }
    if (at === this.localTick) {
      this.prev.x = p.x;
      this.prev.y = p.y;
    }
    this.active = active;
    this.corrections++;
    this.correctedDistance += error;
    const after = this.drawn({ x: 0, y: 0 });
    const dx = before.x - after.x;
    const dy = before.y - after.y;
    if (Math.hypot(dx, dy) > this.snapDistance) {
      this.offset.x = this.offset.y = 0;
      return { error, corrected: true, snapped: true };
    }
    this.offset.x += dx;
    this.offset.y += dy;
    return { error, corrected: true, snapped: false };
  }

  /** The local tick whose state the server's state at `tick` is, or NONE when the history does not reach it. */
  private alignedTick(tick: number, ackSeq: number): number {
    let at: number;
    if (ackSeq === 0 || this.firstInputTick === NONE) {
      // The server has applied none of this session's inputs: its player stands where it was placed.
      at = this.firstInputTick === NONE ? this.localTick : (this.firstInputTick - 1) >>> 0;
    } else {
      const k = ackSeq & (this.size - 1);
      if (this.sSeq[k] !== ackSeq) return NONE; // an input older than the history (or not ours)
      if (this.sServer[k] === NONE) this.sServer[k] = tick;
      const since = tick - this.sServer[k];
      at = (this.sLocal[k] + since) >>> 0;
      // The server cannot be ahead of what the client has simulated: a slow local clock.
      if (((at - this.localTick) | 0) > 0) at = this.localTick;
      // Nor past the input it has applied: when S landed a tick early on the
      // server (sent at a tick boundary), its state at T is that of the last
      // local tick still under S.
      for (let n = 0; n < 8 && this.hSeq[at & (this.size - 1)] !== ackSeq && this.hTick[at & (this.size - 1)] === at; n++) at = (at - 1) >>> 0;
    }
    const k = at & (this.size - 1);
    return this.hTick[k] === at ? at : NONE;
  }

  /**
   * Starts afresh at the server's position: the history does not reach the
   * tick to replay from. The local tick now stands for server tick `tick`
   * under input `ackSeq`, so later snapshots align from here.
   */
  private snapTo(tick: number, ackSeq: number, x: number, y: number): Reconciliation {
    const error = Math.hypot(x - this.pos.x, y - this.pos.y);
    const moving = this.active;
    const { move, a, b } = this.intent;
    const seq = this.seq;
    this.place(x, y);
    // Keep walking what the player asked for; only the history is gone.
    this.seq = seq;
    this.intent.move = move;
    this.intent.a = a;
    this.intent.b = b;
    this.active = moving;
    this.record(this.localTick);
    if (ackSeq !== 0) {
      const k = ackSeq & (this.size - 1);
      this.sSeq[k] = ackSeq;
      this.sLocal[k] = this.localTick;
      this.sServer[k] = tick;
      this.firstInputTick = this.localTick;
    }
    this.corrections++;
    this.correctedDistance += error;
    return { error, corrected: true, snapped: true };
  }
}
