/**
 * The event channel between cells: an action on an entity another cell owns
 * is applied by that owner at the start of its next simulate, in the order
 * sent; it follows an entity that moves on, is counted when its target is
 * gone, and waits (never dropped) when the ring to the owner is full.
 */
import { describe, expect, it } from 'vitest';
import { MoveKind } from '../../src/protocol/opcodes.ts';
import { indexOf } from '../../src/shared/entity-store.ts';
import { EntityKind, StatSlot } from '../../src/shared/layout.ts';
import type { CellContext, System } from '../../src/workers/system.ts';
import { InThreadZone } from './fixtures/in-thread-zone.ts';

/** A test-only event type, past the ones the cells register (event-types.ts). */
const DAMAGE = 1000;

interface Applied {
  cell: number;
  tick: number;
  target: number;
  amount: number;
  order: number;
}

/** A test system: applies DAMAGE events (hp -= a) and records them; sends what the test queues. */
function harness(applied: Applied[], outbox: { fromCell: number; atTick: number; target: number; amount: number; order: number }[]) {
  return (ctx: CellContext): System => {
    ctx.events.on(DAMAGE, (e, slot) => {
      ctx.store.f.hp[slot] -= e.a;
      applied.push({ cell: ctx.cell, tick: ctx.tick, target: e.target, amount: e.a, order: e.b });
    });
    return {
      name: 'event-harness',
      phase: 'simulate',
      run(c) {
        for (const o of outbox) if (o.fromCell === c.cell && o.atTick === c.tick) c.events.send(DAMAGE, o.target, 0xffffffff, o.amount, o.order);
      },
    };
  };
}

/** Spawns an entity (an item: no AI moves it) at (x, y) in whichever cell owns the point; returns its handle. */
function entityAt(z: InThreadZone, x: number, y: number): number {
  const cell = z.views.geometry.cellOf(x, y);
  let handle = -1;
  z.cells[cell].lifecycle.spawn({ kind: EntityKind.ITEM, template: 1, x, y, hp: 1000, maxHp: 1000, level: 1, onSpawned: (_s, h) => (handle = h) });
  z.tick();
  expect(handle).toBeGreaterThanOrEqual(0);
  return handle;
}

describe('the event channel', () => {
  it('applies an event on a neighbour cell\'s entity at that cell\'s next simulate, in the order sent', () => {
    const applied: Applied[] = [];
    const outbox: Parameters<typeof harness>[1] = [];
    const z = new InThreadZone({ extra: [harness(applied, outbox)] });
    const target = entityAt(z, 48, 16); // cell 1
    const t = z.cells[0].tick + 1;
    for (let k = 0; k < 5; k++) outbox.push({ fromCell: 0, atTick: t, target, amount: k + 1, order: k });
    z.tick(); // sent by cell 0 during tick t
    expect(applied).toEqual([]);
    z.tick(); // applied by cell 1 at the start of tick t + 1
    expect(applied.map((a) => [a.cell, a.tick, a.order])).toEqual([0, 1, 2, 3, 4].map((k) => [1, t + 1, k]));
    expect(z.views.store.f.hp[indexOf(target)]).toBe(1000 - 15);
    expect(z.cells[0].stats[StatSlot.eventsSent]).toBe(5);
    expect(z.cells[1].stats[StatSlot.eventsApplied]).toBe(5);
  });

  it('an event on the cell\'s own entity waits for the next tick too', () => {
    const applied: Applied[] = [];
    const outbox: Parameters<typeof harness>[1] = [];
    const z = new InThreadZone({ extra: [harness(applied, outbox)] });
    const target = entityAt(z, 10, 16); // cell 0
    const t = z.cells[0].tick + 1;
    outbox.push({ fromCell: 0, atTick: t, target, amount: 3, order: 0 });
    z.tick();
    expect(applied).toEqual([]);
    z.tick();
    expect(applied.map((a) => [a.cell, a.tick])).toEqual([[0, t + 1]]);
  });

  it('follows a target that moved on to another cell meanwhile', () => {
    const applied: Applied[] = [];
    const outbox: Parameters<typeof harness>[1] = [];
    const z = new InThreadZone({ extra: [harness(applied, outbox)] });
    const target = entityAt(z, 33, 16); // cell 1, by the border
    const slot = indexOf(target);
    // Walk it west into cell 0: the event cell 0 sends to cell 1 finds it gone to cell 0.
    z.cells[1].intents.set(slot, MoveKind.DESTINATION, 20, 16);
    for (let i = 0; i < 50 && z.ownerOf(target) !== 0; i++) {
      outbox.push({ fromCell: 0, atTick: z.cells[0].tick + 1, target, amount: 1, order: i });
      z.tick();
    }
    expect(z.ownerOf(target)).toBe(0);
    z.ticks(3);
    const sent = outbox.length;
    expect(applied).toHaveLength(sent);
    expect(applied.map((a) => a.order)).toEqual(outbox.map((o) => o.order));
    expect(applied.some((a) => a.cell === 0)).toBe(true);
    expect(z.views.store.f.hp[slot]).toBe(1000 - sent);
  });

  it('counts an event whose target no longer exists instead of applying it to a reused slot', () => {
    const applied: Applied[] = [];
    const outbox: Parameters<typeof harness>[1] = [];
    const z = new InThreadZone({ extra: [harness(applied, outbox)] });
    const target = entityAt(z, 48, 16);
    z.cells[1].lifecycle.despawn(indexOf(target));
    outbox.push({ fromCell: 0, atTick: z.cells[0].tick + 1, target, amount: 1, order: 0 });
    z.ticks(3);
    expect(applied).toEqual([]);
    // Sent while the target still lived; its owner found it gone when applying.
    expect(z.cells[0].stats[StatSlot.eventsTargetGone] + z.cells[1].stats[StatSlot.eventsTargetGone]).toBe(1);
    expect(z.cells[1].stats[StatSlot.eventsApplied]).toBe(0);
  });

  it('never drops an event when the ring to the owner is full: it waits, in order', () => {
    const applied: Applied[] = [];
    const outbox: Parameters<typeof harness>[1] = [];
    const z = new InThreadZone({ extra: [harness(applied, outbox)], ringSizes: { gateToCell: 1 << 16, cellToGate: 1 << 20, cellToCell: 1 << 18 } });
    const target = entityAt(z, 48, 16);
    // 30,000 events of 24 bytes each in one tick: about three times what the 256 KiB ring holds.
    const t = z.cells[0].tick + 1;
    for (let k = 0; k < 30_000; k++) outbox.push({ fromCell: 0, atTick: t, target, amount: 0, order: k });
    z.tick();
    expect(z.cells[0].stats[StatSlot.mustDeliverWaiting]).toBeGreaterThan(0);
    for (let i = 0; i < 20 && applied.length < 30_000; i++) z.tick();
    expect(applied).toHaveLength(30_000);
    expect(applied.every((a, k) => a.order === k)).toBe(true);
  });
});
