/**
 * Items end to end, over real WebSockets, on the default world with one
 * change to its content (a wolf always drops a Leather Jerkin, so the test
 * does not wait on a 1.5 % roll, and a healing draught; and wolves fight back
 * but start no fights, so a second wolf cannot kill the looter between the
 * kill and the pick-up, which answered DEAD in one CI run) and accounts on the embedded PGlite: a
 * character walks into the wolf meadow, kills a wolf with auto-attacks, picks
 * up the jerkin it dropped, equips it (its armor in the self record rises by
 * the jerkin's 12), drinks the draught (a HEAL of its skill, one fewer), logs out and in again, and has it all: the jerkin worn,
 * its armor, the rest of its loot and its gold.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeZonePack } from '../../src/content/pack/zone-pack.ts';
import type { ZoneMap } from '../../src/content/zone-map.ts';
import type { LoadedWorld } from '../../src/content/load-world.ts';
import { gateWorld } from '../../src/main/accounts/gate-world.ts';
import { loadConfig } from '../../src/main/config.ts';
import { startTessera, type Tessera } from '../../src/main/start-tessera.ts';
import { prepareWorld } from '../../src/main/zones/content-world.ts';
import { CombatEvent } from '../../src/protocol/combat-codes.ts';
import { dequantise } from '../../src/protocol/encode.ts';
import { Container, ItemOp } from '../../src/protocol/item-codes.ts';
import { AuthKind } from '../../src/protocol/opcodes.ts';
import { EntityFlags, EntityKind } from '../../src/shared/layout.ts';
import { openAccountsAndStorage, type AccountsAndStorage } from '../helpers/accounts-storage.ts';
import { TestClient } from '../helpers/client.ts';
import { centre, near, route, routeNear, walk } from '../helpers/world-walk.ts';
import { silentLog } from '../helpers/zone.ts';
import { login, newPlayer } from './account-play.suite.ts';
import { seedPglite } from '../helpers/pglite-template.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('items end to end', () => {
  let server: Tessera;
  let p: AccountsAndStorage;
  let root: string;
  let content: LoadedWorld;
  const maps = new Map<string, ZoneMap>();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tessera-items-e2e-'));
    const data = join(root, 'data');
    cpSync(join(ROOT, 'data'), data, { recursive: true });
    const lootFile = join(data, 'loot.json');
    const loot = JSON.parse(readFileSync(lootFile, 'utf8')) as { loot: { id: string; groups: { name?: string; entries: { item: string; chance: number }[] }[] }[] };
    const wolfLoot = loot.loot.find((t) => t.id === 'loot.wolf')!;
    wolfLoot.groups.find((g) => g.name === 'rare')!.entries = [{ item: 'item.leather_jerkin', chance: 10_000 }];
    wolfLoot.groups.find((g) => g.name === 'pelts')!.entries = [{ item: 'item.health_potion', chance: 10_000 }];
    writeFileSync(lootFile, JSON.stringify(loot));
    const npcFile = join(data, 'npcs.json');
    const npcs = JSON.parse(readFileSync(npcFile, 'utf8')) as { npcs: { id: string; hostility: string }[] };
    npcs.npcs.find((n) => n.id === 'npc.wolf')!.hostility = 'defensive';
    writeFileSync(npcFile, JSON.stringify(npcs));
    const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '0', CONTENT_DIR: data, CONTENT_BUILD_DIR: join(root, 'build'), DATA_DIR: join(root, 'db') });
    const loaded = prepareWorld(cfg, silentLog);
    if (!loaded) throw new Error('no world.json');
    content = loaded;
    for (const z of content.zones) maps.set(z.name, decodeZonePack(new Uint8Array(z.pack)));
    // The database from the initdb-only template (helpers/pglite-template.ts): no initdb of its own.
    await seedPglite(join(root, 'db', 'pglite'));
    p = await openAccountsAndStorage({ dataDir: join(root, 'db'), saveIntervalMs: 500 });
    server = await startTessera(cfg, { log: silentLog, content, world: gateWorld(p.accounts, p.storage), db: p.storage.db, handlers: [p.handleHttp] });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await p?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('kills a wolf, picks up its jerkin, equips it (armor +12), logs out and in, and has it all', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const url = `ws://127.0.0.1:${server.port}/play`;
    const player = await newPlayer(base, 'looter');
    const cat = content.catalogue;
    const jerkin = cat.items.findIndex((it) => it.id === 'item.leather_jerkin') + 1;
    const wolf = cat.npcs.findIndex((n) => n.id === 'npc.wolf') + 1;
    const town = maps.get('town')!;
    const field = maps.get('field')!;
    const c = await TestClient.connect(url, player.token, AuthKind.TOKEN, player.characterId, server.contentHash ?? '');
    let worn: { id: number; armor: number; gold: number; items: number };
    try {
      await c.until(() => c.positionOf(c.me) !== undefined && c.view.self != null, 5000, 'first snapshot');
      await c.until(() => c.inventories.some((i) => i.full), 5000, 'the first INVENTORY');
      expect(c.itemsNow().size).toBe(0);
      const start = c.positionOf(c.me)!;
      const gate = centre(town.portals.find((q) => q.zone === 'field')!);
      await walk(c, route(town, start.x, start.y, gate.x, gate.y), () => c.zoneChanges.length === 1, 'to the town gate');
      const row = (id: number) => c.view.current.indexOf(id);
      const alive = (id: number) => row(id) >= 0 && (c.view.current.flags[row(id)] & (EntityFlags.DEAD | EntityFlags.HIDDEN | EntityFlags.EVADING)) === 0;
      const at = (id: number) => ({ x: dequantise(c.view.current.x[row(id)]), y: dequantise(c.view.current.y[row(id)]) });
      const nearest = (kind: number, template: number, within: number, ok: (id: number) => boolean) => {
        const v = c.view.current;
        const me = c.positionOf(c.me)!;
        let best = -1;
        let bestD = within;
        for (let i = 0; i < v.count; i++) {
          if (v.kind[i] !== kind || v.template[i] !== template || !ok(v.ids[i])) continue;
          const d = Math.hypot(dequantise(v.x[i]) - me.x, dequantise(v.y[i]) - me.y);
          if (d < bestD) {
            bestD = d;
            best = v.ids[i];
          }
        }
        return best;
      };
      const meadow = field.spawnAreas.find((a) => a.npc === 'npc.wolf')!;
      const middle = centre(meadow);
      const toMeadow = async () => {
        await c.until(() => c.positionOf(c.me) !== undefined, 5000, 'in the field');
        const here = c.positionOf(c.me)!;
        await walk(c, routeNear(field, here.x, here.y, middle.x, middle.y), () => nearest(EntityKind.NPC, wolf, 10, alive) >= 0, 'into the wolf meadow');
      };
      await toMeadow();

      // Fight until a wolf this player killed has left a jerkin on the ground.
      const deadline = Date.now() + 150_000;
      let target = -1;
      let lastMove = 0;
      let loot = -1;
      while (loot < 0) {
        if (Date.now() > deadline) throw new Error(`no jerkin in time: ${c.seen(CombatEvent.DEATH).length} deaths seen`);
        await new Promise((r) => setTimeout(r, 100));
        if (row(c.me) < 0) continue;
        if (c.seen(CombatEvent.DEATH).some((e) => e.source === c.me)) loot = nearest(EntityKind.ITEM, jerkin, 6, () => true);
        if (loot >= 0) break;
        if ((c.view.current.flags[row(c.me)] & EntityFlags.DEAD) !== 0) {
          c.respawn();
          await c.until(() => (c.view.current.flags[row(c.me)] & EntityFlags.DEAD) === 0, 5000, 'respawned');
          target = -1;
          await toMeadow();
          continue;
        }
        if (target < 0 || !alive(target)) {
          target = nearest(EntityKind.NPC, wolf, 16, alive);
          if (target < 0) {
            if (Date.now() - lastMove > 3000) {
              const here = c.positionOf(c.me)!;
              const path = routeNear(field, here.x, here.y, meadow.x + Math.random() * meadow.width, meadow.y + Math.random() * meadow.height);
              await walk(c, path.slice(0, 6), () => nearest(EntityKind.NPC, wolf, 10, alive) >= 0, 'through the meadow').catch(() => {});
              lastMove = Date.now();
            }
            continue;
          }
          c.attack(target);
        }
        const me = c.positionOf(c.me)!;
        const w = at(target);
        if (Math.hypot(w.x - me.x, w.y - me.y) > 1.3 && Date.now() - lastMove > 250) {
          c.moveTo(w.x, w.y);
          lastMove = Date.now();
        }
      }

      // Pick it up: within reach of the corpse already, or a step towards it.
      const spot = at(loot);
      if (!near(c.positionOf(c.me), spot.x, spot.y, 2.5)) {
        c.moveTo(spot.x, spot.y);
        await c.until(() => near(c.positionOf(c.me), spot.x, spot.y, 2), 5000, 'at the loot');
      }
      const pick = c.item(ItemOp.PICKUP, loot);
      await c.until(() => c.itemResult(pick) !== undefined, 10_000, 'the pick-up answered');
      expect(c.itemResult(pick)).toBe(0);
      await c.until(() => row(loot) < 0, 5000, 'the jerkin gone from the ground');
      const got = [...c.itemsNow().values()].find((it) => it.template === jerkin)!;
      expect(got).toMatchObject({ container: Container.BAG, count: 1 });

      // Equip it: the armor in the self record rises by the jerkin's.
      const armorBefore = c.view.self!.stat('armor');
      const eq = c.item(ItemOp.EQUIP, got.id, got.version);
      await c.until(() => c.itemResult(eq) !== undefined, 10_000, 'the equip answered');
      expect(c.itemResult(eq)).toBe(0);
      expect(c.itemsNow().get(got.id)).toMatchObject({ container: Container.EQUIPMENT, slot: 3 });
      await c.until(() => c.view.self!.stat('armor') === armorBefore + 12, 5000, 'armor with the jerkin');
      // The draught: picked up, drunk; the heal lands on the player after the commit.
      const potionNumber = cat.items.findIndex((it) => it.id === 'item.health_potion') + 1;
      const potionSkill = cat.skills.findIndex((k) => k.id === 'skill.potion_heal') + 1;
      const draught = nearest(EntityKind.ITEM, potionNumber, 6, () => true);
      expect(draught).toBeGreaterThanOrEqual(0);
      // Within reach first: the fight may have drifted from the corpse.
      const flask = at(draught);
      if (!near(c.positionOf(c.me), flask.x, flask.y, 2.5)) {
        c.moveTo(flask.x, flask.y);
        await c.until(() => near(c.positionOf(c.me), flask.x, flask.y, 2), 5000, 'at the draught');
      }
      const take = c.item(ItemOp.PICKUP, draught);
      await c.until(() => c.itemResult(take) !== undefined, 10_000, 'the draught picked up');
      expect(c.itemResult(take)).toBe(0);
      const potion = [...c.itemsNow().values()].find((it) => it.template === potionNumber)!;
      const drink = c.item(ItemOp.USE, potion.id, potion.version);
      await c.until(() => c.itemResult(drink) !== undefined, 10_000, 'the draught drunk');
      expect(c.itemResult(drink)).toBe(0);
      expect([...c.itemsNow().values()].filter((it) => it.template === potionNumber).reduce((n, it) => n + it.count, 0)).toBe(potion.count - 1);
      await c.until(() => c.seen(CombatEvent.HEAL).some((e) => e.source === c.me && e.target === c.me && e.skill === potionSkill), 5000, 'the heal of the draught');
      const gold = c.inventories.reduce((g, i) => (i.gold >= 0 ? i.gold : g), 0);
      worn = { id: got.id, armor: c.view.self!.stat('armor'), gold, items: c.itemsNow().size };
      expect(c.errors).toEqual([]);
    } finally {
      c.close();
    }
    await c.waitClosed();

    // Log in again: the jerkin is still worn (its armor too), with the rest of the loot and the gold.
    const again = await TestClient.connect(url, await login(base, player), AuthKind.TOKEN, player.characterId, server.contentHash ?? '');
    try {
      await again.until(() => again.inventories.some((i) => i.full), 10_000, 'the first INVENTORY after login');
      const full = again.inventories.find((i) => i.full)!;
      expect(full.gold).toBe(worn.gold);
      expect(full.items).toHaveLength(worn.items);
      expect(full.items.find((it) => it.id === worn.id)).toMatchObject({ template: jerkin, container: Container.EQUIPMENT, slot: 3 });
      await again.until(() => again.view.self != null && again.view.self.stat('armor') === worn.armor, 5000, 'armor with the jerkin after login');
    } finally {
      again.close();
    }
  }, 300_000);
});
