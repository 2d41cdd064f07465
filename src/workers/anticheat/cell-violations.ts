import { StatSlot } from '../../shared/layout.ts';
import { writeViolation } from '../../shared/messages/cell-to-gate.ts';
import type { MessageSink } from '../../shared/reliable-ring.ts';
import type { PlayerState } from '../player-state.ts';

/**
 * A cell's anti-cheat reports: an impossible action of an owned player is
 * counted in the cell's stat slots (what tessera_anticheat_violations_total
 * reads) and told to the coordinator with the player's connection
 * (cell-to-gate VIOLATION), whose policy warns, kicks and bans
 * (main/anticheat/). Allocation-free: a counter and a six-byte message.
 */
export class CellViolations {
  private readonly stats: Float64Array;
  private readonly gateOut: MessageSink;
  private readonly bySlot: readonly (PlayerState | undefined)[];

  /** `bySlot`: the cell's players by slot (CellPlayers.bySlot); a slot without one is counted only. */
  constructor(stats: Float64Array, gateOut: MessageSink, bySlot: readonly (PlayerState | undefined)[]) {
    this.stats = stats;
    this.gateOut = gateOut;
    this.bySlot = bySlot;
  }

  /** Counts an impossible action (ActionCheck) of the entity in `slot` and reports it when a player's. */
  report(slot: number, check: number): void {
    this.stats[StatSlot.anticheat + check]++;
    const p = this.bySlot[slot];
    if (p !== undefined) writeViolation(this.gateOut, p.conn, check);
  }
}
