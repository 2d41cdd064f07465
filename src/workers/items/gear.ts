import { STAT_COUNT } from '../../content/stat-block.ts';
import type { ItemStatsTable } from '../../content/item-stats.ts';
import { EntityKind } from '../../shared/layout.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { CombatStats } from '../combat/stats.ts';
import { PartId, type PrivatePart } from '../private-state.ts';

/** Equipment slots (EQUIP_SLOTS of content/schema/items.ts). */
export const GEAR_SLOTS = 13;

/**
 * What each player wears, as item numbers per equipment slot, and the stats
 * it adds (written into the combat stats' gear block, then recomputed). The
 * coordinator is the source: it tells the player's cell after every commit
 * that changes the equipment, and at every join. Travels with a handoff;
 * after a cell restart it is empty until the gate tells it again.
 */
export class Gear implements PrivatePart {
  readonly id = PartId.GEAR;
  readonly name = 'gear';
  readonly worn: Uint16Array;
  private readonly items: ItemStatsTable;
  private readonly stats: CombatStats;

  constructor(capacity: number, items: ItemStatsTable, stats: CombatStats) {
    this.worn = new Uint16Array(capacity * GEAR_SLOTS);
    this.items = items;
    this.stats = stats;
  }

  appliesTo(kind: number): boolean {
    return kind === EntityKind.PLAYER;
  }

  size(): number {
    return GEAR_SLOTS * 2;
  }

  write(w: Writer, slot: number): void {
    for (let i = 0; i < GEAR_SLOTS; i++) w.u16(this.worn[slot * GEAR_SLOTS + i]);
  }

  read(r: Reader, slot: number): void {
    for (let i = 0; i < GEAR_SLOTS; i++) this.worn[slot * GEAR_SLOTS + i] = r.u16();
    this.apply(slot);
  }

  recover(slot: number): boolean {
    this.release(slot);
    return true;
  }

  release(slot: number): void {
    this.worn.fill(0, slot * GEAR_SLOTS, (slot + 1) * GEAR_SLOTS);
    this.stats.gear.fill(0, slot * STAT_COUNT, (slot + 1) * STAT_COUNT);
  }

  /** The player in `slot` now wears item `item` (0: nothing) in equipment slot `equip`. */
  wear(slot: number, equip: number, item: number): void {
    if (equip < 0 || equip >= GEAR_SLOTS || item < 0 || item >= this.items.count) return;
    this.worn[slot * GEAR_SLOTS + equip] = item;
    this.apply(slot);
  }

  /** Sums the worn items' stats into the gear block and recomputes the player's stats. */
  private apply(slot: number): void {
    const g = this.stats.gear;
    const o = slot * STAT_COUNT;
    g.fill(0, o, o + STAT_COUNT);
    for (let i = 0; i < GEAR_SLOTS; i++) {
      const item = this.worn[slot * GEAR_SLOTS + i];
      if (item === 0 || item >= this.items.count) continue;
      const at = item * STAT_COUNT;
      for (let k = 0; k < STAT_COUNT; k++) g[o + k] += this.items.stats[at + k];
    }
    this.stats.compute(slot);
  }
}
