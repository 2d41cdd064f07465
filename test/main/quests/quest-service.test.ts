/**
 * The quest service over a real database (PGlite, migrated) with a stand-in
 * gate: changes are stored before the player hears of them or is paid, a
 * failed write is retried, a relog waits for the last writes, and NPCs are
 * found in a real entity store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuestPlayer } from '../../../src/main/gate/quests-port.ts';
import { migrate } from '../../../src/main/persistence/migrate.ts';
import { openPglite } from '../../../src/main/persistence/pglite-local.ts';
import type { Db } from '../../../src/main/persistence/db.ts';
import { seedPglite } from '../../helpers/pglite-template.ts';
import { QuestAction, QuestRefusal, QuestState } from '../../../src/protocol/quest-codes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { EntityFlags } from '../../../src/shared/layout.ts';
import { QuestFact } from '../../../src/shared/messages/cell-to-gate.ts';
import { Npc, Q, questDefs } from './fixture.ts';
import { GatedDb, newCharacter as newCharacterIn, questWorld, settle, until } from './service-harness.ts';

describe('QuestService', () => {
  const defs = questDefs();
  let dir: string;
  let pg: Db;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quests-'));
    // From the initdb-only template (helpers/pglite-template.ts): no initdb per file.
    await seedPglite(join(dir, 'pg'));
    pg = await openPglite(join(dir, 'pg'));
    await migrate(pg);
  });
  afterAll(async () => {
    await pg.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const newCharacter = (): Promise<QuestPlayer> => newCharacterIn(pg);
  const world = (db: Db) => questWorld(db, defs);

  it('tells of a change only once it is stored, and keeps it across a relog', async () => {
    const db = new GatedDb(pg);
    const { host, elder, quests } = world(db);
    const p = await newCharacter();
    quests.entered(p);
    await until(() => host.logs().length === 1);
    expect(host.logs()[0]).toEqual({ op: 'questLog', full: true, entries: [] });
    db.hold();
    quests.request(p, { op: 'quest', action: QuestAction.ACCEPT, quest: Q.WOLVES, npc: elder });
    quests.fact(p, 'field', QuestFact.KILL, Npc.WOLF);
    await settle();
    expect(host.sent).toHaveLength(1); // nothing told while the write is held
    db.release();
    await until(() => host.results().length === 1);
    expect(host.logs()[1].entries).toEqual([{ quest: Q.WOLVES, state: QuestState.ACTIVE, completions: 0, counts: [expect.any(Number)] }]);
    expect(host.results()[0]).toEqual({ op: 'questResult', action: QuestAction.ACCEPT, quest: Q.WOLVES, reason: QuestRefusal.OK });
    await until(() => host.logs().at(-1)!.entries[0].counts[0] === 1);
    quests.left(p);
    expect(await quests.settled(5000)).toBe(true);
    const rows = await pg.query<{ objective: number; count: number }>('SELECT objective, count FROM quest_objectives WHERE character_id = $1', [p.characterId]);
    expect(rows).toEqual([{ objective: 0, count: 1 }]);
    // A new process (a new service) finds the log as it was.
    const again = world(pg);
    again.quests.entered(p);
    await until(() => again.host.logs().length === 1);
    expect(again.host.logs()[0].entries).toEqual([{ quest: Q.WOLVES, state: QuestState.ACTIVE, completions: 0, counts: [1] }]);
  });

  it('refuses at once, writing nothing, what cannot be done', async () => {
    const db = new GatedDb(pg);
    const { host, elder, scout, quests, notEarned } = world(db);
    const p = await newCharacter();
    quests.entered(p);
    await until(() => host.logs().length === 1);
    const ask = (action: number, quest: number, npc: number) => quests.request(p, { op: 'quest', action: action as 1, quest, npc });
    ask(QuestAction.ACCEPT, 999, elder);
    ask(QuestAction.ACCEPT, Q.WOLVES, scout); // too far (15 tiles)
    ask(QuestAction.ACCEPT, Q.SCOUT, elder); // prerequisites
    ask(QuestAction.ACCEPT, Q.HIGH, elder); // level 3 < 5
    ask(QuestAction.TURN_IN, Q.WOLVES, elder); // not taken
    ask(QuestAction.ABANDON, Q.WOLVES, 0);
    ask(QuestAction.TALK, Q.WOLVES, host.me); // itself is no NPC
    host.store.f.x[indexOf(scout)] = 11;
    ask(QuestAction.ACCEPT, Q.WOLVES, scout); // in range, but not its giver
    host.store.f.flags[indexOf(host.me)] = EntityFlags.DEAD;
    ask(QuestAction.ACCEPT, Q.WOLVES, elder);
    expect(host.results().map((r) => r.reason)).toEqual([
      QuestRefusal.UNKNOWN_QUEST,
      QuestRefusal.TOO_FAR,
      QuestRefusal.PREREQUISITES,
      QuestRefusal.LEVEL_TOO_LOW,
      QuestRefusal.NOT_ACTIVE,
      QuestRefusal.NOT_ACTIVE,
      QuestRefusal.TOO_FAR,
      QuestRefusal.WRONG_NPC,
      QuestRefusal.NOT_NOW,
    ]);
    expect(db.txCount).toBe(0);
    // Only the turn-in of a quest never taken is one no client offers (the anti-cheat's quest_not_earned); the rest are honest.
    expect(notEarned).toEqual([Q.WOLVES]);
    ask(QuestAction.TURN_IN, Q.WOLVES, scout); // dead, too: not earned wherever and however the player is
    expect(notEarned).toEqual([Q.WOLVES, Q.WOLVES]);
  });

  it('retries a write the database refused, and pays a turn-in only after it is stored', async () => {
    const db = new GatedDb(pg);
    const { host, elder, quests } = world(db);
    const p = await newCharacter();
    quests.entered(p);
    await until(() => host.logs().length === 1);
    db.failNext = 2;
    quests.request(p, { op: 'quest', action: QuestAction.ACCEPT, quest: Q.WOLVES, npc: elder });
    for (let i = 0; i < 3; i++) quests.fact(p, 'field', QuestFact.KILL, Npc.WOLF);
    await until(() => host.results().length === 1);
    expect(db.txCount).toBeGreaterThanOrEqual(3);
    await until(() => host.logs().at(-1)!.entries[0].state === QuestState.READY);
    db.hold();
    quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.WOLVES, npc: elder });
    await settle();
    expect(host.paid).toEqual([]);
    db.release();
    await until(() => host.paid.length === 1);
    expect(host.paid).toEqual([250]);
    expect(host.logs().at(-1)!.entries).toEqual([{ quest: Q.WOLVES, state: QuestState.DONE, completions: 1, counts: [] }]);
    expect(host.results().at(-1)!.reason).toBe(QuestRefusal.OK);
    const [row] = await pg.query<{ done: boolean; completions: number }>('SELECT done, completions FROM character_quests WHERE character_id = $1', [p.characterId]);
    expect(row).toEqual({ done: true, completions: 1 });
  });

  it('makes a relog wait for the last writes, and pays a turn-in stored after its player left when it comes back', async () => {
    const db = new GatedDb(pg);
    const { host, elder, quests } = world(db);
    const p = await newCharacter();
    quests.entered(p);
    await until(() => host.logs().length === 1);
    quests.request(p, { op: 'quest', action: QuestAction.ACCEPT, quest: Q.WOLVES, npc: elder });
    for (let i = 0; i < 3; i++) quests.fact(p, 'field', QuestFact.KILL, Npc.WOLF);
    await until(() => host.logs().at(-1)?.entries[0]?.state === QuestState.READY);
    db.hold();
    quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.WOLVES, npc: elder });
    await settle();
    quests.left(p);
    const back = { ...p, id: p.id + 500 };
    quests.entered(back);
    await settle(50);
    const before = host.logs().length;
    db.release();
    await until(() => host.logs().length > before);
    // The log it loads has the turn-in, and the experience is paid on entering.
    expect(host.logs().at(-1)).toEqual({ op: 'questLog', full: true, entries: [{ quest: Q.WOLVES, state: QuestState.DONE, completions: 1, counts: [] }] });
    await until(() => host.paid.length === 1);
    expect(host.paid).toEqual([250]);
  });

  it('counts a step into the right area of the right zone and a talk with the right NPC', async () => {
    const { host, elder, scout, quests } = world(pg);
    const p = await newCharacter();
    await pg.query("INSERT INTO character_quests (character_id, quest, done, completions) VALUES ($1, 'quest.wolves', true, 1)", [p.characterId]);
    quests.entered(p);
    await until(() => host.logs().length === 1);
    quests.request(p, { op: 'quest', action: QuestAction.ACCEPT, quest: Q.SCOUT, npc: elder });
    await until(() => host.results().length === 1);
    quests.fact(p, 'town', QuestFact.REACH, 0);
    quests.fact(p, 'field', QuestFact.REACH, 0);
    await until(() => host.logs().at(-1)!.entries[0].counts[0] === 1);
    host.store.f.x[indexOf(scout)] = 13;
    quests.request(p, { op: 'quest', action: QuestAction.TALK, quest: 0xffff, npc: scout });
    await until(() => host.logs().at(-1)!.entries[0].state === QuestState.READY);
    quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.SCOUT, npc: elder });
    await until(() => host.results().length === 3);
    expect(host.results()[2].reason).toBe(QuestRefusal.WRONG_NPC); // Scout takes it, not the elder
    quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.SCOUT, npc: scout });
    await until(() => host.paid.length === 1);
    expect(host.paid).toEqual([100]);
  });

  it('counts what the bag holds for collect objectives, from the moment the quest is taken, up and down', async () => {
    const { host, elder, quests } = world(pg);
    const p = await newCharacter();
    quests.entered(p);
    await until(() => host.logs().length === 1);
    quests.bag(p, new Map([['item.tusk', 2]]));
    quests.request(p, { op: 'quest', action: QuestAction.ACCEPT, quest: Q.TUSKS, npc: elder });
    await until(() => host.results().length === 1);
    expect(host.logs().at(-1)!.entries).toEqual([{ quest: Q.TUSKS, state: QuestState.ACTIVE, completions: 0, counts: [2] }]);
    quests.bag(p, new Map([['item.tusk', 5]]));
    await until(() => host.logs().at(-1)!.entries[0].state === QuestState.READY);
    expect(host.logs().at(-1)!.entries[0].counts).toEqual([3]);
    quests.bag(p, new Map([['item.potion', 1]]));
    await until(() => host.logs().at(-1)!.entries[0].counts[0] === 0);
    expect(host.logs().at(-1)!.entries[0].state).toBe(QuestState.ACTIVE);
  });

  it('turns in a quest with item and gold rewards in one transaction with its rewards, or not at all', async () => {
    const { host, elder, quests } = world(pg);
    const p = await newCharacter();
    quests.entered(p);
    await until(() => host.logs().length === 1);
    quests.bag(p, new Map([['item.tusk', 3]]));
    quests.request(p, { op: 'quest', action: QuestAction.ACCEPT, quest: Q.TUSKS, npc: elder });
    await until(() => host.logs().at(-1)?.entries[0]?.state === QuestState.READY);
    host.refuse = 'bag_full';
    quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.TUSKS, npc: elder });
    await until(() => host.results().length === 2);
    expect(host.results()[1].reason).toBe(QuestRefusal.BAG_FULL);
    expect(host.paid).toEqual([]);
    const stored = () => pg.query<{ done: boolean; completions: number }>('SELECT done, completions FROM character_quests WHERE character_id = $1', [p.characterId]);
    expect(await stored()).toEqual([{ done: false, completions: 0 }]);
    host.refuse = 'unavailable';
    quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.TUSKS, npc: elder });
    await until(() => host.results().length === 3);
    expect(host.results()[2].reason).toBe(QuestRefusal.TRY_LATER);
    host.refuse = null;
    quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.TUSKS, npc: elder });
    await until(() => host.paid.length === 1);
    expect(host.results()[3].reason).toBe(QuestRefusal.OK);
    expect(host.granted).toEqual([{ items: [{ template: 'item.boots', count: 1 }, { template: 'item.potion', count: 2 }], gold: 5, reason: 'quest:quest.tusks' }]);
    expect(host.paid).toEqual([40]);
    expect(await stored()).toEqual([{ done: true, completions: 1 }]);
    expect(host.logs().at(-1)!.entries).toEqual([{ quest: Q.TUSKS, state: QuestState.DONE, completions: 1, counts: [] }]);
  });
});
