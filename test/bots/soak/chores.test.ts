import { describe, expect, it } from 'vitest';
import { newIntent } from '../../../src/bots/behavior.ts';
import { emptyState } from '../../../src/bots/soak/acked-state.ts';
import { chooseChore } from '../../../src/bots/soak/chores.ts';
import { ClientView } from '../../../src/protocol/client-view.ts';
import { BAG_SLOTS, Container, ItemOp } from '../../../src/protocol/item-codes.ts';
import { Limits, MoveKind } from '../../../src/protocol/opcodes.ts';
import { EntityKind } from '../../../src/shared/layout.ts';

/** A view holding the bot (id 10) at 50,50 and `items` lying around: [id, x, y]. */
function viewWith(items: [number, number, number][]): ClientView {
  const v = new ClientView(4);
  const rows = [{ id: 10, kind: EntityKind.PLAYER, x: 50, y: 50 }, ...items.map(([id, x, y]) => ({ id, kind: EntityKind.ITEM, x, y }))].sort((a, b) => a.id - b.id);
  const t = v.current;
  t.ensure(rows.length);
  t.count = rows.length;
  rows.forEach((r, i) => {
    t.ids[i] = r.id;
    t.kind[i] = r.kind;
    t.x[i] = r.x * Limits.positionScale;
    t.y[i] = r.y * Limits.positionScale;
  });
  v.header.you = 10;
  return v;
}

const here = { x: 50, y: 50 };

describe('soak chores', () => {
  it('walks to the nearest loot in reach, then asks to pick it up', () => {
    const v = viewWith([[20, 58, 50], [21, 53, 50], [22, 90, 90]]);
    const chore = chooseChore(v, here, emptyState(), () => 0.99)!;
    const it = newIntent();
    expect(chore.step(v, here, it)).toEqual({ done: false });
    expect(it).toMatchObject({ move: MoveKind.DESTINATION, x: 53, y: 50 });
    const step = chore.step(v, { x: 52.5, y: 50 }, it);
    expect(step.done).toBe(true);
    expect(step.request?.body).toMatchObject({ itemOp: ItemOp.PICKUP, item: 21 });
    expect(it.move).toBe(MoveKind.STOP);
  });

  it('gives up loot that left the view', () => {
    const chore = chooseChore(viewWith([[21, 53, 50]]), here, emptyState(), () => 0.99)!;
    expect(chore.step(viewWith([]), here, newIntent())).toEqual({ done: true });
  });

  it('moves a bag item to a free bag slot with its version, and does nothing with an empty or full bag', () => {
    const s = emptyState();
    s.items.set(5, { id: 5, version: 4, template: 2, count: 1, container: Container.BAG, slot: 0 });
    s.items.set(6, { id: 6, version: 1, template: 3, count: 1, container: Container.EQUIPMENT, slot: 0 });
    const step = chooseChore(viewWith([]), here, s, () => 0.1)!.step(viewWith([]), here, newIntent());
    expect(step.done).toBe(true);
    expect(step.request).toMatchObject({ ids: [5], body: { itemOp: ItemOp.MOVE, item: 5, version: 4 } });
    expect(step.request!.body.slot).toBeGreaterThan(0);
    expect(chooseChore(viewWith([]), here, emptyState(), () => 0.1)).toBeNull();
    const full = emptyState();
    for (let i = 0; i < BAG_SLOTS; i++) full.items.set(i + 1, { id: i + 1, version: 1, template: 2, count: 1, container: Container.BAG, slot: i });
    expect(chooseChore(viewWith([]), here, full, () => 0.1)).toBeNull();
  });
});
