/** Item templates and characters for the item store's tests. */
import type { Item } from '../../src/content/schema/items.ts';
import type { Db } from '../../src/main/persistence/db.ts';
import { insertAccount, insertCharacter } from '../../src/main/persistence/store.ts';
import { ItemCatalogue } from '../../src/main/items/catalogue.ts';

const base = { quality: 'common', value: 0 } as const;

/** A small catalogue with every shape the store treats apart. */
export const TEST_ITEMS: Item[] = [
  { ...base, id: 'item.potion', name: 'Potion', kind: 'consumable', stackSize: 5, use: { skill: 'skill.potion_heal', consume: true, cooldownMs: 0 } },
  { ...base, id: 'item.pelt', name: 'Pelt', kind: 'material', stackSize: 3 },
  { ...base, id: 'item.sword', name: 'Sword', kind: 'weapon', slot: 'mainHand', stackSize: 1, stats: { attackPower: 2 }, weapon: { damage: { min: 1, max: 2 }, intervalMs: 2000, range: 1.5 } },
  { ...base, id: 'item.staff', name: 'Staff', kind: 'weapon', slot: 'twoHand', stackSize: 1, classes: ['class.mage'], weapon: { damage: { min: 1, max: 2 }, intervalMs: 3000, range: 2 } },
  { ...base, id: 'item.plate', name: 'Plate', kind: 'armor', slot: 'chest', stackSize: 1, levelRequired: 5, stats: { armor: 30 } },
  { ...base, id: 'item.shield', name: 'Shield', kind: 'armor', slot: 'offHand', stackSize: 1, stats: { armor: 10 } },
] as Item[];

export const testCatalogue = (): ItemCatalogue => new ItemCatalogue(TEST_ITEMS);

let seq = 0;

/** An account with `n` characters; their ids. */
export async function makeCharacters(db: Db, n: number): Promise<number[]> {
  const tag = `${process.pid.toString(36)}${(seq++).toString(36)}${Date.now().toString(36)}`.replace(/[^a-z]/g, (c) => 'abcdefghij'[Number(c)] ?? 'x');
  const accountId = await insertAccount(db, `it${tag}`.slice(0, 32), 'x');
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = await insertCharacter(db, { accountId, name: `C${tag}${i}`.slice(0, 24), nameKey: `c${tag}${i}`.slice(0, 24), classId: 1, appearance: { body: 0, hair: 0, color: 0 }, zone: 'z', x: 1, y: 1, hp: 10 }, 10);
    ids.push(c!.id);
  }
  return ids;
}
