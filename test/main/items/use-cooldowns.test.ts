import { describe, expect, it } from 'vitest';
import { ItemCatalogue } from '../../../src/main/items/catalogue.ts';
import { UseCooldowns } from '../../../src/main/items/use-cooldowns.ts';
import { ItemReason } from '../../../src/protocol/item-codes.ts';
import type { Item } from '../../../src/content/schema/items.ts';

const base = { quality: 'common', value: 0, kind: 'consumable', stackSize: 5 } as const;
const cat = new ItemCatalogue([
  { ...base, id: 'item.red', name: 'Red', use: { skill: 'skill.heal', consume: true, cooldownMs: 30_000 } },
  { ...base, id: 'item.big_red', name: 'Big red', use: { skill: 'skill.heal', consume: true, cooldownMs: 60_000 } },
  { ...base, id: 'item.bread', name: 'Bread', use: { skill: 'skill.meal', consume: true, cooldownMs: 10_000 } },
  { ...base, id: 'item.toy', name: 'Toy', use: { skill: 'skill.toy', consume: false, cooldownMs: 0 } },
  { ...base, id: 'item.pelt', name: 'Pelt', kind: 'material', stackSize: 3 },
] as Item[]);

describe('UseCooldowns', () => {
  it('keys the cooldown by the use skill, per connection, for its template\'s time', () => {
    let now = 1000;
    const u = new UseCooldowns(() => now);
    expect(u.take(1, cat.get('item.red'), false)).toBe(0);
    expect(u.take(1, cat.get('item.big_red'), false)).toBe(ItemReason.ON_COOLDOWN); // the same skill
    expect(u.take(1, cat.get('item.bread'), false)).toBe(0); // another skill
    expect(u.take(2, cat.get('item.red'), false)).toBe(0); // another player
    now += 29_999;
    expect(u.take(1, cat.get('item.red'), false)).toBe(ItemReason.ON_COOLDOWN);
    now += 1;
    expect(u.take(1, cat.get('item.red'), false)).toBe(0);
  });

  it('lets through uses without a cooldown and items without a use; refuses any use of the dead', () => {
    const u = new UseCooldowns(() => 0);
    for (let i = 0; i < 3; i++) expect(u.take(1, cat.get('item.toy'), false)).toBe(0);
    expect(u.take(1, cat.get('item.pelt'), true)).toBe(0); // not a use: the store refuses it (NOT_USABLE)
    expect(u.take(1, undefined, false)).toBe(0);
    expect(u.take(1, cat.get('item.toy'), true)).toBe(ItemReason.DEAD);
  });

  it('undo() forgets a use that did not happen; forget() a connection', () => {
    const u = new UseCooldowns(() => 0);
    expect(u.take(1, cat.get('item.red'), false)).toBe(0);
    u.undo(1, cat.get('item.red'));
    expect(u.take(1, cat.get('item.red'), false)).toBe(0);
    u.forget(1);
    expect(u.take(1, cat.get('item.red'), false)).toBe(0);
  });
});
