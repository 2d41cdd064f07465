/**
 * The item store against a real database (PostgreSQL or PGlite): each
 * operation, its refusals, and random sequences of operations (valid and
 * not) with the audit run after every one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/main/persistence/db.ts';
import { auditItems } from '../../src/main/items/audit.ts';
import { ItemStore, type ItemResult, type ItemRow } from '../../src/main/items/item-store.ts';
import { LOST_AFTER_MS, sweepLostGround } from '../../src/main/items/ground-sweep.ts';
import { BAG_SLOTS, ItemReason } from '../../src/protocol/item-codes.ts';
import { makeCharacters, testCatalogue, TEST_ITEMS } from '../helpers/items.ts';

export interface ItemsFixture {
  db: Db;
}

async function audit(db: Db): Promise<string[]> {
  return (await db.tx((q) => auditItems(q, testCatalogue()))).problems;
}

function ok(r: ItemResult): asserts r is Extract<ItemResult, { ok: true }> {
  if (!r.ok) throw new Error(`refused: ${r.reason} ${r.message}`);
}

const refusedWith = (r: ItemResult): number => (r.ok ? 0 : r.reason);

/** Everything the given characters own (any container) and their gold, sorted: equal snapshots mean nothing changed. */
async function snapshot(db: Db, ids: number[]): Promise<string> {
  const items = await db.query<ItemRow>(
    `SELECT id::float8 AS id, template, count, owner_id AS "ownerId", container, slot, version FROM item_instances WHERE owner_id = ANY($1::int[]) ORDER BY id`,
    [ids],
  );
  const gold = await db.query<{ gold: number }>('SELECT gold::float8 AS gold FROM characters WHERE id = ANY($1::int[]) ORDER BY id', [ids]);
  return JSON.stringify({ items, gold });
}

async function units(db: Db, ids: number[]): Promise<Map<string, number>> {
  const rows = await db.query<{ template: string; n: number }>('SELECT template, sum(count)::int AS n FROM item_instances WHERE owner_id = ANY($1::int[]) GROUP BY template', [ids]);
  return new Map(rows.map((r) => [r.template, r.n]));
}

const Cmd = fc.oneof(
  fc.record({ op: fc.constant('loot' as const), who: fc.nat(1), tpl: fc.nat(TEST_ITEMS.length - 1), count: fc.integer({ min: -1, max: 8 }) }),
  fc.record({ op: fc.constant('move' as const), who: fc.nat(1), pick: fc.nat(), slot: fc.integer({ min: -1, max: BAG_SLOTS }), stale: fc.boolean() }),
  fc.record({ op: fc.constant('equip' as const), who: fc.nat(1), pick: fc.nat(), level: fc.integer({ min: 1, max: 8 }), mage: fc.boolean(), stale: fc.boolean() }),
  fc.record({ op: fc.constant('unequip' as const), who: fc.nat(1), pick: fc.nat(), slot: fc.integer({ min: -1, max: BAG_SLOTS }), stale: fc.boolean() }),
  fc.record({ op: fc.constant('split' as const), who: fc.nat(1), pick: fc.nat(), count: fc.integer({ min: 0, max: 5 }), slot: fc.integer({ min: 0, max: BAG_SLOTS - 1 }), stale: fc.boolean() }),
  fc.record({ op: fc.constant('merge' as const), who: fc.nat(1), pick: fc.nat(), pick2: fc.nat(), stale: fc.boolean() }),
  fc.record({ op: fc.constant('drop' as const), who: fc.nat(1), pick: fc.nat(), stale: fc.boolean() }),
  fc.record({ op: fc.constant('pickup' as const), who: fc.nat(1), pick: fc.nat(), stale: fc.boolean() }),
  fc.record({ op: fc.constant('destroy' as const), who: fc.nat(1), pick: fc.nat(), count: fc.integer({ min: 0, max: 6 }), stale: fc.boolean() }),
  fc.record({ op: fc.constant('use' as const), who: fc.nat(1), pick: fc.nat(), stale: fc.boolean() }),
  fc.record({ op: fc.constant('gold' as const), who: fc.nat(1), delta: fc.integer({ min: -20, max: 20 }) }),
  fc.record({ op: fc.constant('despawn' as const), pick: fc.nat(), stale: fc.boolean() }),
  fc.record({ op: fc.constant('foreign' as const), who: fc.nat(1), pick: fc.nat() }),
);
type Cmd = typeof Cmd extends fc.Arbitrary<infer T> ? T : never;

export function itemStoreSuite(name: string, open: () => Promise<ItemsFixture>): void {
  describe(`item store (${name})`, () => {
    it('loots into stacks then free slots, all or nothing', async () => {
      const { db } = await open();
      const store = new ItemStore(db, testCatalogue());
      const [a] = await makeCharacters(db, 1);
      let r = await store.loot(a!, 'item.pelt', 7, 'loot:test', 1);
      ok(r);
      expect(r.changed.map((x) => [x.slot, x.count])).toEqual([[0, 3], [1, 3], [2, 1]]);
      r = await store.loot(a!, 'item.pelt', 2, 'loot:test', 2);
      ok(r);
      expect(r.changed.map((x) => [x.slot, x.count])).toEqual([[2, 3]]);
      for (let i = 3; i < BAG_SLOTS; i++) ok(await store.loot(a!, 'item.sword', 1, 'fill', 3));
      const before = await snapshot(db, [a!]);
      expect(refusedWith(await store.loot(a!, 'item.pelt', 1, 'loot:test', 4))).toBe(ItemReason.BAG_FULL);
      expect(await snapshot(db, [a!])).toBe(before);
      expect(await audit(db)).toEqual([]);
    });

    it('equips with swaps and refuses by level, class, blocked hands and version', async () => {
      const { db } = await open();
      const store = new ItemStore(db, testCatalogue());
      const [a, b] = await makeCharacters(db, 2);
      const lootOne = async (t: string): Promise<ItemRow> => {
        const r = await store.loot(a!, t, 1, 'test', 1);
        ok(r);
        return r.changed[0]!;
      };
      const s1 = await lootOne('item.sword');
      const s2 = await lootOne('item.sword');
      const plate = await lootOne('item.plate');
      const staff = await lootOne('item.staff');
      const warrior = { level: 3, classId: 'class.warrior' };
      let r = await store.equip(a!, s1.id, s1.version, warrior, 2);
      ok(r);
      const worn = r.changed[0]!;
      expect([worn.container, worn.slot]).toEqual(['equipment', 10]);
      r = await store.equip(a!, s2.id, s2.version, warrior, 3);
      ok(r);
      expect(r.changed.find((x) => x.id === s1.id)).toMatchObject({ container: 'bag', slot: s2.slot });
      expect(refusedWith(await store.equip(a!, plate.id, plate.version, warrior, 4))).toBe(ItemReason.LEVEL_TOO_LOW);
      expect(refusedWith(await store.equip(a!, staff.id, staff.version, warrior, 4))).toBe(ItemReason.WRONG_CLASS);
      expect(refusedWith(await store.equip(a!, staff.id, staff.version, { level: 3, classId: 'class.mage' }, 4))).toBe(ItemReason.SLOT_BLOCKED);
      expect(refusedWith(await store.equip(a!, s1.id, s1.version, warrior, 5))).toBe(ItemReason.VERSION_CONFLICT);
      expect(refusedWith(await store.equip(b!, plate.id, plate.version, warrior, 5))).toBe(ItemReason.NOT_YOURS);
      expect(refusedWith(await store.equip(a!, 987654321, 1, warrior, 5))).toBe(ItemReason.NO_SUCH_ITEM);
      expect(await audit(db)).toEqual([]);
    });

    it('drops and picks up, one winner when two pick up at once', async () => {
      const { db } = await open();
      const store = new ItemStore(db, testCatalogue());
      const [a, b, c] = await makeCharacters(db, 3);
      const l = await store.loot(a!, 'item.potion', 4, 'test', 1);
      ok(l);
      const d = await store.drop(a!, l.changed[0]!.id, l.changed[0]!.version, 2);
      ok(d);
      const g = d.changed[0]!;
      expect(g.container).toBe('ground');
      const [rb, rc] = await Promise.all([store.pickUp(b!, g.id, g.version, 3), store.pickUp(c!, g.id, g.version, 3)]);
      expect([rb.ok, rc.ok].filter(Boolean)).toHaveLength(1);
      expect([refusedWith(rb), refusedWith(rc)].sort()).toEqual([0, ItemReason.ALREADY_TAKEN]);
      expect(await audit(db)).toEqual([]);
    });

    it('sweeps ground rows no cell shows any more through the ledger: idle ones while running, all at start; carried items stay', async () => {
      const { db } = await open();
      const store = new ItemStore(db, testCatalogue());
      const [a, b] = await makeCharacters(db, 2);
      const dropOne = async (who: number, t: string, n: number): Promise<ItemRow> => {
        const l = await store.loot(who, t, n, 'test', 1);
        ok(l);
        const d = await store.drop(who, l.changed[0]!.id, l.changed[0]!.version, 2);
        ok(d);
        return d.changed[0]!;
      };
      const sword = await dropOne(a!, 'item.sword', 1);
      const potions = await dropOne(b!, 'item.potion', 3);
      ok(await store.loot(a!, 'item.pelt', 2, 'test', 3));
      // The potions were dropped long ago: their cell would have despawned them, had it lived.
      await db.query(`UPDATE item_ledger SET at = now() - interval '1 hour' WHERE item_id = $1`, [potions.id]);
      expect(await sweepLostGround(db, testCatalogue(), LOST_AFTER_MS)).toBe(1);
      const ledger = await db.query<{ kind: string; reason: string; count: number }>('SELECT kind, reason, count FROM item_ledger WHERE item_id = $1 ORDER BY seq DESC LIMIT 1', [potions.id]);
      expect(ledger).toEqual([{ kind: 'destroyed', reason: 'lost', count: 3 }]);
      expect(refusedWith(await store.pickUp(a!, potions.id, potions.version, 4))).toBe(ItemReason.ALREADY_TAKEN);
      // The sword, dropped just now, stays until the start sweep, which takes every ground row.
      ok(await store.pickUp(b!, sword.id, sword.version, 5).then((r) => (r.ok ? store.drop(b!, sword.id, sword.version + 1, 6) : r)));
      expect(await sweepLostGround(db, testCatalogue(), 0)).toBeGreaterThanOrEqual(1);
      expect(await db.query(`SELECT id FROM item_instances WHERE container = 'ground'`)).toEqual([]);
      expect(await units(db, [a!])).toEqual(new Map([['item.pelt', 2]]));
      expect(await audit(db)).toEqual([]);
    });

    it('the audit names an item moved, copied or gold changed behind the ledger', async () => {
      const { db } = await open();
      const store = new ItemStore(db, testCatalogue());
      const [a] = await makeCharacters(db, 1);
      const r = await store.loot(a!, 'item.pelt', 2, 'test', 1);
      ok(r);
      const id = r.changed[0]!.id;
      await db.query('UPDATE item_instances SET slot = 9 WHERE id = $1', [id]);
      expect((await audit(db)).join('\n')).toContain(`item ${id}: at ${a}/bag/9 x2, the ledger says ${a}/bag/0 x2`);
      await db.query('UPDATE item_instances SET slot = 0 WHERE id = $1', [id]);
      await db.query(`INSERT INTO item_instances (template, count, owner_id, container, slot) VALUES ('item.pelt', 1, $1, 'bag', 5)`, [a]);
      expect((await audit(db)).join('\n')).toMatch(/the ledger never created it/);
      await db.query(`DELETE FROM item_instances WHERE owner_id = $1 AND slot = 5`, [a]);
      await db.query('UPDATE characters SET gold = 7 WHERE id = $1', [a]);
      expect((await audit(db)).join('\n')).toContain(`character ${a}: 7 gold, the gold ledger adds up to 0`);
      await db.query('UPDATE characters SET gold = 0 WHERE id = $1', [a]);
      expect(await audit(db)).toEqual([]);
    });

    it('random sequences of operations, refused ones included, keep the audit balanced', async () => {
      const { db } = await open();
      const store = new ItemStore(db, testCatalogue());
      await fc.assert(
        fc.asyncProperty(fc.array(Cmd, { minLength: 5, maxLength: 30 }), async (cmds) => {
          const chars = await makeCharacters(db, 2);
          for (const [i, cmd] of cmds.entries()) {
            const before = await snapshot(db, chars);
            const unitsBefore = await units(db, chars);
            const { r, expect: want, delta } = await apply(db, store, chars, cmd, i);
            const why = `${JSON.stringify(cmd)} -> ${JSON.stringify(r)}`;
            if (!r.ok) expect(await snapshot(db, chars), why).toBe(before);
            if (want !== undefined) expect(refusedWith(r), why).toBe(want);
            const unitsAfter = await units(db, chars);
            for (const t of TEST_ITEMS) {
              expect((unitsAfter.get(t.id) ?? 0) - (unitsBefore.get(t.id) ?? 0), `${t.id} after ${why}`).toBe(r.ok ? (delta.get(t.id) ?? 0) : 0);
            }
            expect(await audit(db), why).toEqual([]);
          }
        }),
        { numRuns: 25 },
      );
    }, 300_000);
  });
}

/** Runs one command; says the refusal it must get (when certain) and how many units of each template it may create or destroy. */
async function apply(db: Db, store: ItemStore, chars: number[], cmd: Cmd, tick: number): Promise<{ r: ItemResult; expect?: number; delta: Map<string, number> }> {
  const delta = new Map<string, number>();
  const mine = async (who: number): Promise<ItemRow[]> =>
    db.query<ItemRow>(`SELECT id::float8 AS id, template, count, owner_id AS "ownerId", container, slot, version FROM item_instances WHERE owner_id = $1 AND container <> 'ground' ORDER BY id`, [who]);
  const ground = (): Promise<ItemRow[]> =>
    db.query<ItemRow>(`SELECT id::float8 AS id, template, count, owner_id AS "ownerId", container, slot, version FROM item_instances WHERE container = 'ground' AND owner_id = ANY($1::int[]) ORDER BY id`, [chars]);
  const pickOf = (rows: ItemRow[], pick: number): ItemRow | undefined => (rows.length ? rows[pick % rows.length] : undefined);
  const NONE = { id: 987_654_321, version: 1 } as ItemRow;
  if (cmd.op === 'gold') {
    const id = chars[cmd.who]!;
    const [{ gold }] = (await db.query<{ gold: number }>('SELECT gold::float8 AS gold FROM characters WHERE id = $1', [id])) as [{ gold: number }];
    const r = await store.gold(id, cmd.delta, 'test', tick);
    return { r, expect: cmd.delta === 0 ? ItemReason.BAD_COUNT : gold + cmd.delta < 0 ? ItemReason.NOT_ENOUGH_GOLD : 0, delta };
  }
  if (cmd.op === 'loot') {
    const t = TEST_ITEMS[cmd.tpl]!;
    const r = await store.loot(chars[cmd.who]!, t.id, cmd.count, 'loot:test', tick);
    if (r.ok) delta.set(t.id, cmd.count);
    return { r, expect: cmd.count < 1 ? ItemReason.BAD_COUNT : undefined, delta };
  }
  if (cmd.op === 'despawn' || cmd.op === 'pickup') {
    const it = pickOf(await ground(), cmd.pick) ?? NONE;
    const version = cmd.stale ? it.version - 1 : it.version;
    const r = cmd.op === 'despawn' ? await store.despawn(it.id, version, tick) : await store.pickUp(chars[cmd.who]!, it.id, version, tick);
    if (r.ok && cmd.op === 'despawn') delta.set(it.template, -it.count);
    const want = it === NONE ? ItemReason.ALREADY_TAKEN : cmd.stale ? ItemReason.VERSION_CONFLICT : undefined;
    return { r, expect: want, delta };
  }
  const who = chars[cmd.who]!;
  if (cmd.op === 'foreign') {
    const it = pickOf(await mine(chars[1 - cmd.who]!), cmd.pick);
    const r = await store.destroy(who, (it ?? NONE).id, (it ?? NONE).version, 1, tick);
    return { r, expect: it ? ItemReason.NOT_YOURS : ItemReason.NO_SUCH_ITEM, delta };
  }
  const rows = await mine(who);
  const it = pickOf(rows, cmd.pick) ?? NONE;
  const version = cmd.stale ? it.version + 1 : it.version;
  const staleWant = it === NONE ? ItemReason.NO_SUCH_ITEM : cmd.stale ? ItemReason.VERSION_CONFLICT : undefined;
  switch (cmd.op) {
    case 'move': {
      const r = await store.move(who, it.id, version, cmd.slot, tick);
      return { r, expect: cmd.slot < 0 || cmd.slot >= BAG_SLOTS ? ItemReason.WRONG_SLOT : staleWant, delta };
    }
    case 'equip':
      return { r: await store.equip(who, it.id, version, { level: cmd.level, classId: cmd.mage ? 'class.mage' : 'class.warrior' }, tick), expect: staleWant, delta };
    case 'unequip':
      return { r: await store.unequip(who, it.id, version, cmd.slot, tick), expect: staleWant, delta };
    case 'split': {
      const r = await store.split(who, it.id, version, cmd.count, cmd.slot, tick);
      return { r, expect: staleWant, delta };
    }
    case 'merge': {
      const other = pickOf(rows, cmd.pick2) ?? NONE;
      return { r: await store.merge(who, it.id, version, other.id, other.version, tick), expect: it.id === other.id ? ItemReason.NOT_STACKABLE : staleWant, delta };
    }
    case 'drop':
      return { r: await store.drop(who, it.id, version, tick), expect: staleWant, delta };
    case 'destroy': {
      const r = await store.destroy(who, it.id, version, cmd.count, tick);
      if (r.ok) delta.set(it.template, -cmd.count);
      return { r, expect: staleWant, delta };
    }
    case 'use': {
      const r = await store.use(who, it.id, version, tick);
      if (r.ok) {
        expect(r.useSkill).toBe('skill.potion_heal');
        delta.set(it.template, -1);
      }
      return { r, expect: staleWant ?? (it.template !== 'item.potion' ? ItemReason.NOT_USABLE : undefined), delta };
    }
  }
}
