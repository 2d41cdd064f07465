/**
 * The items a player enters the world with (ItemService owns one): its
 * whole inventory read from the database at entry, read again when a
 * commit told to the player overtook the read, and what it wears, told to
 * its cell when its entity is new (joined, or another zone) and after each
 * commit that changed its equipment.
 */
import { ItemToCell, itemFields } from '../../shared/messages/items.ts';
import type { Logger } from '../log.ts';
import { EQUIP_SLOT_COUNT as GEAR_SLOTS } from './catalogue.ts';
import type { Inventory, ItemResult, ItemStore } from './item-store.ts';
import type { ItemHost, ItemPlayer } from './item-host.ts';

/** Reads of a player's inventory at most, when commits keep overtaking them (joined). */
const JOIN_READS = 4;

export class ItemEntry {
  private readonly store: ItemStore | null;
  private readonly host: ItemHost;
  private readonly log: Logger;
  /** Takes the inventory read at entry: the player's next INVENTORY (full) and its bag. */
  private readonly restate: (conn: number, inv: Inventory) => void;
  /** What each playing character wears, as the database has it: item ids and item numbers per equipment slot. */
  private readonly worn = new Map<number, { ids: number[]; numbers: number[] }>();
  /** Commits told to each connection so far: an inventory read that one overtook is read again (joined). */
  private readonly toldCommits = new Map<number, number>();

  constructor(store: ItemStore | null, host: ItemHost, log: Logger, restate: (conn: number, inv: Inventory) => void) {
    this.store = store;
    this.host = host;
    this.log = log;
    this.restate = restate;
  }

  /**
   * A player entered the world (or a zone): its whole inventory, from the
   * database. A commit told to the player while the read ran (a request it
   * sent before its inventory came) may be missing from the read, which
   * would then restate the item as it was before a change the player was
   * told of: such a read is done again (a few times at most).
   */
  async joined(p: ItemPlayer): Promise<void> {
    if (!this.store || p.characterId === 0) return;
    try {
      let inv: Inventory;
      for (let tries = 1; ; tries++) {
        const told = this.toldCommits.get(p.id) ?? 0;
        inv = await this.store.inventory(p.characterId);
        if ((this.toldCommits.get(p.id) ?? 0) === told) break;
        if (tries === JOIN_READS) {
          this.log.warn({ characterId: p.characterId, reads: tries }, 'inventory read overtaken by commits every time; restating the last read');
          break;
        }
      }
      this.restate(p.id, inv);
      const w = { ids: Array<number>(GEAR_SLOTS).fill(0), numbers: Array<number>(GEAR_SLOTS).fill(0) };
      for (const r of inv.items) {
        if (r.container !== 'equipment' || r.slot >= GEAR_SLOTS) continue;
        w.ids[r.slot] = r.id;
        w.numbers[r.slot] = this.store.catalogue.get(r.template)?.number ?? 0;
      }
      this.worn.set(p.id, w);
      const zone = this.host.zoneOf(p.id);
      if (zone >= 0) this.entered(zone, p);
    } catch (err) {
      this.log.warn({ characterId: p.characterId, err: String(err) }, 'inventory could not be loaded');
    }
  }

  /** The player's entity is new (joined, or another zone): its cell learns what it wears. */
  entered(zone: number, p: ItemPlayer): void {
    const w = this.worn.get(p.id);
    if (!w) return;
    for (let i = 0; i < GEAR_SLOTS; i++) if (w.numbers[i] !== 0) this.tellWorn(zone, p, i, w.numbers[i]!);
  }

  /** A commit told to `conn`: counted (an entry read it overtook is read again), and what changed in the equipment goes to the player's cell. */
  committed(conn: number, res: Extract<ItemResult, { ok: true }>): void {
    this.toldCommits.set(conn, (this.toldCommits.get(conn) ?? 0) + 1);
    this.rewear(conn, res);
  }

  /** Forgets a connection that left. */
  left(conn: number): void {
    this.toldCommits.delete(conn);
    this.worn.delete(conn);
  }

  private tellWorn(zone: number, p: ItemPlayer, slot: number, number: number): void {
    this.host.toCell(zone, p.handle, { ...itemFields(ItemToCell.EQUIPMENT), conn: p.id, skill: slot, template: number });
  }

  /** After a commit: what changed in the equipment goes to the player's cell. */
  private rewear(conn: number, res: Extract<ItemResult, { ok: true }>): void {
    const w = this.worn.get(conn);
    const p = this.host.player(conn);
    const zone = this.host.zoneOf(conn);
    if (!w || !p || zone < 0) return;
    const before = [...w.numbers];
    const gone = new Set(res.removed);
    for (const r of res.changed) if (r.container !== 'equipment') gone.add(r.id);
    for (let i = 0; i < GEAR_SLOTS; i++) {
      if (gone.has(w.ids[i]!)) {
        w.ids[i] = 0;
        w.numbers[i] = 0;
      }
    }
    for (const r of res.changed) {
      if (r.container !== 'equipment' || r.slot >= GEAR_SLOTS) continue;
      w.ids[r.slot] = r.id;
      w.numbers[r.slot] = this.store?.catalogue.get(r.template)?.number ?? 0;
    }
    for (let i = 0; i < GEAR_SLOTS; i++) if (w.numbers[i] !== before[i]) this.tellWorn(zone, p, i, w.numbers[i]!);
  }
}
