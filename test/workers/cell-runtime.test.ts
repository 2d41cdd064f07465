/**
 * The systems pipeline of a cell: the list, phases, timing, `every`, errors
 * that name their system, deferred spawns, and a replicated field added in
 * one place (a field table of this test) reaching the client's view.
 */
import { describe, expect, it } from 'vitest';
import { ClientView } from '../../src/protocol/client-view.ts';
import { REPLICATED_FIELDS, schemaOf, type FieldTableSpec } from '../../src/protocol/fields.ts';
import { EntityKind, StatSlot, systemHistogram, TICK_BUCKETS_SECONDS } from '../../src/shared/layout.ts';
import { CellMsg } from '../../src/shared/messages/cell-to-gate.ts';
import { readHistogram } from '../../src/shared/stats.ts';
import { SystemError, type System } from '../../src/workers/system.ts';
import { InThreadZone } from './fixtures/in-thread-zone.ts';

describe('the systems list', () => {
  it('runs the built-in systems in phase order, and an added one in its phase', () => {
    const z = new InThreadZone({ extra: [() => ({ name: 'fixture', phase: 'simulate', run() {} })] });
    expect(z.cells[0].systemNames).toEqual(['inbox', 'wander-ai', 'npc-ai', 'ground-items', 'combat', 'movement', 'portals', 'quest-credit', 'fixture', 'lifecycle', 'combat-log', 'say-log', 'publish-grid', 'npc-senses', 'combat-senses', 'replicate', 'handoff-out']);
  });

  it('times every system into its own histogram slot', () => {
    let runs = 0;
    const z = new InThreadZone({ extra: [() => ({ name: 'counter', phase: 'simulate', run: () => void runs++ })] });
    z.ticks(10);
    const cell = z.cells[0];
    const i = cell.systemNames.indexOf('counter');
    const h = readHistogram(cell.stats, systemHistogram(i), TICK_BUCKETS_SECONDS);
    expect(h.count).toBe(10);
    expect(runs).toBe(20); // two cells
    const other = readHistogram(cell.stats, systemHistogram(cell.systemNames.indexOf('movement')), TICK_BUCKETS_SECONDS);
    expect(other.count).toBe(10);
  });

  it('`every` runs a system one tick in N, staggered between cells', () => {
    const ran: [number, number][] = [];
    const z = new InThreadZone({ extra: [() => ({ name: 'slow', phase: 'simulate', every: 4, run: (c) => void ran.push([c.cell, c.tick]) })] });
    z.ticks(40);
    for (const cell of [0, 1]) expect(ran.filter(([c]) => c === cell)).toHaveLength(10);
    const first = (cell: number) => ran.find(([c]) => c === cell)![1];
    expect(first(0) % 4).not.toBe(first(1) % 4);
  });

  it('a throwing system names itself, the cell and the tick', () => {
    const z = new InThreadZone({
      extra: [
        () => ({
          name: 'boom',
          phase: 'simulate',
          run(c) {
            if (c.tick === 3) throw new Error('kaput');
          },
        }),
      ],
    });
    z.ticks(2);
    let err: unknown;
    try {
      z.tick();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SystemError);
    expect((err as SystemError).system).toBe('boom');
    expect((err as Error).message).toMatch(/system boom failed in cell 0 at tick 3: kaput/);
  });

  it('refuses two systems of one name and a bad `every`', () => {
    expect(() => new InThreadZone({ extra: [() => ({ name: 'movement', phase: 'simulate', run() {} })] })).toThrow(/two systems named movement/);
    expect(() => new InThreadZone({ extra: [() => ({ name: 'x', phase: 'simulate', every: 0, run() {} })] })).toThrow(/every/);
  });
});

describe('deferred spawns and despawns', () => {
  it('an entity spawned or despawned by a system appears or vanishes only at the spawn phase', () => {
    const seen: { before: number; after: number }[] = [];
    let victim = -1;
    const spawner: System = {
      name: 'spawner',
      phase: 'simulate',
      run(c) {
        if (c.tick === 2) {
          c.lifecycle.spawn({ kind: EntityKind.NPC, template: 9, x: 5, y: 5, hp: 10, maxHp: 10, level: 1, onSpawned: (slot) => (victim = slot) });
        }
        if (c.tick === 4) c.lifecycle.despawn(victim);
      },
    };
    const watcher: System = {
      name: 'watcher',
      phase: 'simulate',
      run(c) {
        seen.push({ before: c.owned.count, after: -1 });
      },
    };
    const after: System = { name: 'after', phase: 'publish', run: (c) => void (seen[seen.length - 1].after = c.owned.count) };
    const z = new InThreadZone({ spec: { cellCols: 1, width: 32 }, extra: [() => spawner, () => watcher, () => after] });
    z.ticks(5);
    // Tick 2: the watcher, after the spawner in the same phase, still sees none.
    expect(seen.map((s) => [s.before, s.after])).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 0],
      [0, 0],
    ]);
    expect(z.views.store.liveCount).toBe(0);
  });
});

describe('a replicated field added in one place', () => {
  // Tessera's table plus `focus`: one entry and its group, nothing else.
  const fields: FieldTableSpec = {
    fields: { ...REPLICATED_FIELDS.fields, focus: { store: 'u16', wire: 'u16', group: 'focus', quantise: 'clamp' } },
    groups: [...REPLICATED_FIELDS.groups, { name: 'focus' }],
  };

  it('has a store column, travels in snapshots and is decoded by a client of that table', () => {
    const regen: System = {
      name: 'focus-regen',
      phase: 'simulate',
      run(c) {
        const focus = c.store.column('focus');
        for (let i = 0; i < c.owned.count; i++) focus[c.owned.list[i]] = (c.tick * 7) % 1000;
      },
    };
    const z = new InThreadZone({ spec: { fields, cellCols: 1, width: 32 }, cell: { wanderers: 5 }, extra: [() => regen] });
    z.join(0, 1, 10, 10);
    const schema = schemaOf(fields);
    const view = new ClientView(32, schema);
    const k = schema.index.focus;
    let frames = 0;
    for (let t = 0; t < 6; t++) {
      z.tick();
      for (const m of z.drain(0)) {
        if (m.op !== CellMsg.FRAME) continue;
        const state = view.apply(m.body);
        frames++;
        expect(state.count).toBe(6); // the player and the five wanderers
        // From its second frame on (the player spawned after this tick's regen ran), every entity shows this tick's focus.
        if (frames > 1) for (let i = 0; i < state.count; i++) expect(state.cols[k][i]).toBe((m.tick * 7) % 1000);
      }
    }
    expect(frames).toBe(6);
    expect(z.cells[0].systemNames).toContain('focus-regen');
    expect(z.cells[0].stats[StatSlot.framesOut]).toBe(6);
  });
});
