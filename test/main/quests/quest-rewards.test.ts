/**
 * A turn-in's experience as a stored row (migrations/007), over a real
 * database (PGlite, migrated) with a stand-in gate: the row is written in
 * the turn-in's own transaction (plain, or the items' grant), numbered per
 * character, and paid with its number; it is paid again at the next entry
 * (a new service: a restarted process) until the character's saved
 * experience includes it, and never after; a transaction whose COMMIT
 * landed though it was reported failed finds its row when retried.
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
import { saveStates } from '../../../src/main/persistence/store.ts';
import { QuestService } from '../../../src/main/quests/quest-service.ts';
import { QuestAction, QuestRefusal, QuestState } from '../../../src/protocol/quest-codes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { EntityKind } from '../../../src/shared/layout.ts';
import { QuestFact } from '../../../src/shared/messages/cell-to-gate.ts';
import { Npc, Q, questDefs } from './fixture.ts';
import { GatedDb, Host, newCharacter, questWorld, until } from './service-harness.ts';

describe('experience owed by a turn-in', () => {
  const defs = questDefs();
  let dir: string;
  let pg: Db;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quest-rewards-'));
    // From the initdb-only template (helpers/pglite-template.ts): no initdb per file.
    await seedPglite(join(dir, 'pg'));
    pg = await openPglite(join(dir, 'pg'));
    await migrate(pg);
  });
  afterAll(async () => {
    await pg.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const owedRows = (p: QuestPlayer) =>
    pg.query<{ seq: number; amount: number; reason: string }>('SELECT seq::int AS seq, amount::int AS amount, reason FROM experience_owed WHERE character_id = $1 ORDER BY seq', [p.characterId]);

  /** Enters, takes Wolves at the Gate and kills its three wolves; the log shows it ready. */
  async function readyWolves(w: ReturnType<typeof questWorld>, p: QuestPlayer): Promise<void> {
    w.quests.entered(p);
    await until(() => w.host.logs().length === 1);
    w.quests.request(p, { op: 'quest', action: QuestAction.ACCEPT, quest: Q.WOLVES, npc: w.elder });
    for (let i = 0; i < 3; i++) w.quests.fact(p, 'field', QuestFact.KILL, Npc.WOLF);
    await until(() => w.host.logs().at(-1)?.entries.find((e) => e.quest === Q.WOLVES)?.state === QuestState.READY);
  }

  /** Takes the scout quest, reaches its area, and turns it in to the scout (brought next to the player). */
  function scoutAndTurnIn(w: ReturnType<typeof questWorld>, p: QuestPlayer): void {
    w.quests.request(p, { op: 'quest', action: QuestAction.ACCEPT, quest: Q.SCOUT, npc: w.elder });
    w.quests.fact(p, 'field', QuestFact.REACH, 0);
    w.host.store.f.x[indexOf(w.scout)] = 11;
    w.quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.SCOUT, npc: w.scout });
  }

  /** Saves the character's experience as including the stored rewards up to `rewardSeq` (the write-behind save). */
  const saveIncluding = (p: QuestPlayer, xp: number, rewardSeq: number) =>
    pg.tx((q) => saveStates(q, [{ characterId: p.characterId, state: { zone: 'field', x: 1, y: 1, hp: 10, level: 1, xp, rewardSeq }, at: Date.now() }]));

  it('stores the experience in the turn-in\'s transaction, numbered per character, and pays it with its number', async () => {
    const w = questWorld(pg, defs);
    const p = await newCharacter(pg);
    const other = await newCharacter(pg);
    await readyWolves(w, p);
    w.quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.WOLVES, npc: w.elder });
    await until(() => w.host.rewards.length === 1);
    expect(w.host.results().at(-1)!.reason).toBe(QuestRefusal.OK);
    expect(w.host.rewards).toEqual([{ xp: 250, seq: 1 }]);
    expect(await owedRows(p)).toEqual([{ seq: 1, amount: 250, reason: 'quest:quest.wolves' }]);
    // The scout's quest, in the same way: the next number.
    scoutAndTurnIn(w, p);
    await until(() => w.host.rewards.length === 2);
    expect(w.host.rewards[1]).toEqual({ xp: 100, seq: 2 });
    // Another character numbers its own from 1.
    const w2 = questWorld(pg, defs);
    await readyWolves(w2, other);
    w2.quests.request(other, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.WOLVES, npc: w2.elder });
    await until(() => w2.host.rewards.length === 1);
    expect(w2.host.rewards).toEqual([{ xp: 250, seq: 1 }]);
  });

  it('pays a stored row again at the next entry until a save of the experience includes it, and then never, its row cleaned up', async () => {
    const p = await newCharacter(pg);
    const w = questWorld(pg, defs);
    await readyWolves(w, p);
    w.quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.WOLVES, npc: w.elder });
    await until(() => w.host.rewards.length === 1);
    // The process dies before the reward's experience reached a save: the next one pays it on entering.
    const again = questWorld(pg, defs);
    again.quests.entered(p);
    await until(() => again.host.rewards.length === 1);
    expect(again.host.logs()[0].entries).toEqual([{ quest: Q.WOLVES, state: QuestState.DONE, completions: 1, counts: [] }]);
    expect(again.host.rewards).toEqual([{ xp: 250, seq: 1 }]);
    // Its experience saved, with the rewards it includes: the row goes, and nothing is paid any more.
    expect(await saveIncluding(p, 250, 1)).toBe(1);
    expect(await owedRows(p)).toEqual([]);
    const third = questWorld(pg, defs);
    third.quests.entered(p);
    await until(() => third.host.logs().length === 1);
    expect(third.host.rewards).toEqual([]);
    // Numbering goes on past the saved reward_seq though its rows are gone.
    await pg.query('UPDATE characters SET reward_seq = 7 WHERE id = $1', [p.characterId]);
    scoutAndTurnIn(third, p);
    await until(() => third.host.rewards.length === 1);
    expect(third.host.rewards).toEqual([{ xp: 100, seq: 8 }]);
  });

  it('a save of an older state (below the row) leaves the row owed; one that keeps the row\'s reward_seq removes only what it covers', async () => {
    const p = await newCharacter(pg);
    const w = questWorld(pg, defs);
    await readyWolves(w, p);
    w.quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.WOLVES, npc: w.elder });
    await until(() => w.host.rewards.length === 1);
    expect(await saveIncluding(p, 0, 0)).toBe(1);
    expect(await owedRows(p)).toHaveLength(1);
    // A state from before rewards were numbered (no rewardSeq) keeps the row's.
    await pg.tx((q) => saveStates(q, [{ characterId: p.characterId, state: { zone: 'field', x: 2, y: 1, hp: 10, level: 1, xp: 5 }, at: Date.now() + 1 }]));
    expect(await owedRows(p)).toHaveLength(1);
    const [row] = await pg.query<{ xp: number; reward_seq: number }>('SELECT xp::int AS xp, reward_seq::int AS reward_seq FROM characters WHERE id = $1', [p.characterId]);
    expect(row).toEqual({ xp: 5, reward_seq: 0 });
  });

  it('a write whose COMMIT landed though it was reported failed is retried with its key: one row, paid once', async () => {
    const db = new GatedDb(pg);
    const w = questWorld(db, defs);
    const p = await newCharacter(pg);
    await readyWolves(w, p);
    db.failAfterCommit = 1;
    w.quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.WOLVES, npc: w.elder });
    await until(() => w.host.rewards.length === 1);
    expect(w.host.rewards).toEqual([{ xp: 250, seq: 1 }]);
    expect(await owedRows(p)).toEqual([{ seq: 1, amount: 250, reason: 'quest:quest.wolves' }]);
  });

  it('a turn-in with items and gold stores its experience in the items\' transaction; a refused one stores none', async () => {
    const w = questWorld(pg, defs);
    const p = await newCharacter(pg);
    w.quests.entered(p);
    await until(() => w.host.logs().length === 1);
    w.quests.bag(p, new Map([['item.tusk', 3]]));
    w.quests.request(p, { op: 'quest', action: QuestAction.ACCEPT, quest: Q.TUSKS, npc: w.elder });
    await until(() => w.host.logs().at(-1)?.entries[0]?.state === QuestState.READY);
    w.host.refuse = 'bag_full';
    w.quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.TUSKS, npc: w.elder });
    await until(() => w.host.results().length === 2);
    expect(await owedRows(p)).toEqual([]);
    w.host.refuse = null;
    w.quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.TUSKS, npc: w.elder });
    await until(() => w.host.rewards.length === 1);
    expect(w.host.rewards).toEqual([{ xp: 40, seq: 1 }]);
    expect(await owedRows(p)).toEqual([{ seq: 1, amount: 40, reason: 'quest:quest.tusks' }]);
  });

  it('a turn-in with items whose COMMIT landed though it was reported failed is not granted again when the player turns it in again', async () => {
    const db = new GatedDb(pg);
    const w = questWorld(db, defs);
    const p = await newCharacter(pg);
    w.quests.entered(p);
    await until(() => w.host.logs().length === 1);
    w.quests.bag(p, new Map([['item.tusk', 3]]));
    w.quests.request(p, { op: 'quest', action: QuestAction.ACCEPT, quest: Q.TUSKS, npc: w.elder });
    await until(() => w.host.logs().at(-1)?.entries[0]?.state === QuestState.READY);
    db.failAfterCommit = 1;
    w.quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.TUSKS, npc: w.elder });
    // Told to try later: the service cannot know the commit landed.
    await until(() => w.host.results().length === 2);
    expect(w.host.results()[1].reason).toBe(QuestRefusal.TRY_LATER);
    expect(w.host.granted).toHaveLength(1);
    w.quests.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.TUSKS, npc: w.elder });
    await until(() => w.host.results().length === 3 && w.host.rewards.length === 1);
    expect(w.host.results()[2].reason).toBe(QuestRefusal.OK);
    // One grant (the lost commit's), one row, paid once with its number.
    expect(w.host.granted).toHaveLength(1);
    expect(w.host.rewards).toEqual([{ xp: 40, seq: 1 }]);
    expect(await owedRows(p)).toEqual([{ seq: 1, amount: 40, reason: 'quest:quest.tusks' }]);
    const [row] = await pg.query<{ completions: number; done: boolean }>("SELECT completions, done FROM character_quests WHERE character_id = $1 AND quest = 'quest.tusks'", [p.characterId]);
    expect(row).toEqual({ completions: 1, done: true });
  });

  it('a guest (no character) and a server without a database pay as before, with no row', async () => {
    const w = questWorld(pg, defs);
    const guest: QuestPlayer = { id: 1, characterId: 0, log: (await newCharacter(pg)).log };
    await readyWolves(w, guest);
    w.quests.request(guest, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.WOLVES, npc: w.elder });
    await until(() => w.host.rewards.length === 1);
    expect(w.host.rewards).toEqual([{ xp: 250, seq: 0 }]);
    const host = new Host();
    host.me = host.spawn(EntityKind.PLAYER, 1, 10, 10, 3);
    const elder = host.spawn(EntityKind.NPC, Npc.ELDER, 12, 10);
    const memory = new QuestService(defs, null, host);
    const p = await newCharacter(pg);
    memory.entered(p);
    await until(() => host.logs().length === 1);
    memory.request(p, { op: 'quest', action: QuestAction.ACCEPT, quest: Q.WOLVES, npc: elder });
    for (let i = 0; i < 3; i++) memory.fact(p, 'field', QuestFact.KILL, Npc.WOLF);
    memory.request(p, { op: 'quest', action: QuestAction.TURN_IN, quest: Q.WOLVES, npc: elder });
    await until(() => host.rewards.length === 1);
    expect(host.rewards).toEqual([{ xp: 250, seq: 0 }]);
  });
});
