/**
 * Ground items claimed across a cell border, driven tick by tick in one
 * thread: two players in two cells ask for the same item, in the same tick
 * or a tick apart, their gate messages written in either order; the cell
 * that owns the item picks exactly one, and the other is told ALREADY_TAKEN.
 * Then the gate's answer: TAKEN removes it, RETURNED puts it back for anyone.
 */
import { describe, expect, it } from 'vitest';
import { EntityKind } from '../../../src/shared/layout.ts';
import { CellMsg } from '../../../src/shared/messages/cell-to-gate.ts';
import { GATE_ITEM_OP, ItemMessage, ItemToCell, ItemToGate, writeItem } from '../../../src/shared/messages/items.ts';
import { Rng } from '../../../src/shared/random.ts';
import { ItemReason } from '../../../src/protocol/item-codes.ts';
import { groundItemsOf } from '../../../src/workers/systems/ground-items.ts';
import { InThreadZone } from '../fixtures/in-thread-zone.ts';

const A = 1; // conn and character of the player in cell 0
const B = 2; // in cell 1

function zoneWithTwoPlayers(): InThreadZone {
  const z = new InThreadZone();
  z.join(0, A, 30.5, 10);
  z.join(1, B, 33.5, 10);
  z.ticks(2);
  z.drain(0);
  z.drain(1);
  return z;
}

/** Places an item owned by cell 1 (killer: `killer`), returns its handle. */
function itemHandles(z: InThreadZone): Set<number> {
  const f = z.views.store.f;
  const out = new Set<number>();
  for (let s = 0; s < z.views.store.capacity; s++) {
    const h = z.views.store.handleAt(s);
    if (f.kind[s] === EntityKind.ITEM && z.views.store.isValid(h)) out.add(h);
  }
  return out;
}

function place(z: InThreadZone, x: number, killer = 0, template = 3): number {
  const before = itemHandles(z);
  groundItemsOf(z.cells[1])!.place(x, 10, template, 2, 0, 0, killer);
  z.tick();
  const fresh = [...itemHandles(z)].filter((h) => !before.has(h));
  if (fresh.length !== 1) throw new Error('the item did not spawn');
  return fresh[0]!;
}

function send(z: InThreadZone, cell: number, kind: number, conn: number, handle: number): void {
  const m = new ItemMessage().clear(kind);
  m.conn = conn;
  m.handle = handle;
  if (!writeItem(z.gateIn[cell], GATE_ITEM_OP, m)) throw new Error('gate ring full');
  z.gateIn[cell].flush();
}

/** The ITEM messages both cells published, decoded. */
function items(z: InThreadZone): ItemMessage[] {
  const out: ItemMessage[] = [];
  for (const cell of [0, 1]) {
    for (const s of z.drain(cell)) {
      if (s.op !== CellMsg.ITEM) continue;
      const m = new ItemMessage();
      m.read(new DataView(s.body.buffer, s.body.byteOffset, s.body.byteLength), 0, s.body.byteLength);
      out.push(m);
    }
  }
  return out;
}

describe('ground item claims', () => {
  it('two players in two cells, same item, random timing: exactly one winner and one ALREADY_TAKEN, every time', () => {
    const z = zoneWithTwoPlayers();
    const rng = new Rng(20_261_202);
    const seen = { sameTick: 0, apart: 0, aWon: 0, bWon: 0 };
    for (let trial = 0; trial < 200; trial++) {
      const handle = place(z, 32 + rng.float() * 1.5);
      // Each player's PICKUP lands in tick 0 or 1 from now, in either order within a tick.
      const at = [rng.int(2), rng.int(2)];
      const firstB = rng.int(2) === 1;
      if (at[0] === at[1]) seen.sameTick++;
      else seen.apart++;
      const got: ItemMessage[] = [];
      for (let t = 0; t < 4; t++) {
        const now = [A, B].filter((_, i) => at[i] === t);
        if (firstB) now.reverse();
        for (const who of now) send(z, who === A ? 0 : 1, ItemToCell.PICKUP, who, handle);
        z.tick();
        got.push(...items(z));
      }
      const claimed = got.filter((m) => m.kind === ItemToGate.CLAIMED);
      const refused = got.filter((m) => m.kind === ItemToGate.REFUSED);
      expect(claimed, `trial ${trial}`).toHaveLength(1);
      expect(refused.map((m) => m.reason), `trial ${trial}`).toEqual([ItemReason.ALREADY_TAKEN]);
      expect(refused[0]!.conn).not.toBe(claimed[0]!.conn);
      expect(claimed[0]).toMatchObject({ handle, characterId: claimed[0]!.conn, template: 3, count: 2, itemId: 0 });
      if (claimed[0]!.conn === A) seen.aWon++;
      else seen.bWon++;
      send(z, 1, ItemToCell.TAKEN, 0, handle);
      z.tick();
      expect(z.views.store.isValid(handle)).toBe(false);
    }
    // The trials covered both timings and both winners.
    expect(Math.min(seen.sameTick, seen.apart, seen.aWon, seen.bWon)).toBeGreaterThan(10);
  });

  it('a claim whose commit failed puts the item back for the next one', () => {
    const z = zoneWithTwoPlayers();
    const handle = place(z, 33);
    send(z, 0, ItemToCell.PICKUP, A, handle);
    z.ticks(2);
    expect(items(z).map((m) => [m.kind, m.conn])).toEqual([[ItemToGate.CLAIMED, A]]);
    send(z, 1, ItemToCell.RETURNED, 0, handle);
    z.tick();
    send(z, 1, ItemToCell.PICKUP, B, handle);
    z.tick();
    expect(items(z).map((m) => [m.kind, m.conn])).toEqual([[ItemToGate.CLAIMED, B]]);
  });

  it('refuses out of range, another killer\'s loot in its window, and what is not an item', () => {
    const z = zoneWithTwoPlayers();
    const far = place(z, 40);
    send(z, 1, ItemToCell.PICKUP, B, far);
    z.tick();
    expect(items(z).map((m) => m.reason)).toEqual([ItemReason.OUT_OF_RANGE]);
    const playerA = z.views.store.handleAt([...Array(z.views.store.capacity).keys()].find((s) => z.views.store.f.kind[s] === EntityKind.PLAYER && z.views.store.f.x[s] < 32)!);
    const hers = place(z, 33, playerA);
    send(z, 1, ItemToCell.PICKUP, B, hers);
    z.tick();
    expect(items(z).map((m) => m.reason)).toEqual([ItemReason.NOT_YET_YOURS]);
    send(z, 0, ItemToCell.PICKUP, A, hers);
    z.ticks(2);
    expect(items(z).map((m) => [m.kind, m.conn])).toEqual([[ItemToGate.CLAIMED, A]]);
    send(z, 0, ItemToCell.PICKUP, A, playerA);
    z.tick();
    expect(items(z).map((m) => m.reason)).toEqual([ItemReason.NO_SUCH_ITEM]);
  });
});
