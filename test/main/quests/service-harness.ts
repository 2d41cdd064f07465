/**
 * The quest service's test harness: a real database (PGlite, migrated) whose
 * transactions can be held back or made to fail, and a stand-in gate with a
 * real entity store holding the player and the NPCs.
 */
import type { GrantResult, TxQueries } from '../../../src/main/gate/items-port.ts';
import type { QuestHost, QuestPlayer } from '../../../src/main/gate/quests-port.ts';
import { log } from '../../../src/main/log.ts';
import type { Db, Queryable } from '../../../src/main/persistence/db.ts';
import type { QuestDefs } from '../../../src/main/quests/quest-defs.ts';
import { QuestService } from '../../../src/main/quests/quest-service.ts';
import { QuestStore } from '../../../src/main/quests/quest-store.ts';
import { decodeServerMessage } from '../../../src/protocol/decode.ts';
import type { QuestLogMessage, QuestResultMessage } from '../../../src/protocol/quest-messages.ts';
import { EntityStore, indexOf } from '../../../src/shared/entity-store.ts';
import { EntityKind } from '../../../src/shared/layout.ts';
import { Npc } from './fixture.ts';

/** A database whose transactions can be held back or made to fail. */
export class GatedDb implements Db {
  readonly kind = 'pglite' as const;
  private readonly inner: Db;
  failNext = 0;
  /** Transactions to commit and then report failed (the reply lost after COMMIT). */
  failAfterCommit = 0;
  private held: (() => void)[] | null = null;
  txCount = 0;
  constructor(inner: Db) {
    this.inner = inner;
  }
  hold(): void {
    this.held ??= [];
  }
  release(): void {
    const waiting = this.held ?? [];
    this.held = null;
    for (const go of waiting) go();
  }
  query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.inner.query<T>(sql, params);
  }
  exec(sql: string): Promise<void> {
    return this.inner.exec(sql);
  }
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    this.txCount++;
    if (this.held) await new Promise<void>((go) => this.held!.push(go));
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('connection refused (test)');
    }
    const out = await this.inner.tx(fn);
    if (this.failAfterCommit > 0) {
      this.failAfterCommit--;
      throw new Error('connection lost after COMMIT (test)');
    }
    return out;
  }
  session<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.inner.session(fn);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A stand-in gate: a real entity store with the player and NPCs in it, and what was sent and paid. */
export class Host implements QuestHost {
  readonly store = EntityStore.create(64);
  readonly sent: (QuestLogMessage | QuestResultMessage)[] = [];
  readonly paid: number[] = [];
  /** What was paid with the stored row it pays (0: none). */
  readonly rewards: { xp: number; seq: number }[] = [];
  me = 0;
  send(_p: QuestPlayer, bytes: Uint8Array): void {
    this.sent.push(decodeServerMessage(bytes) as QuestLogMessage | QuestResultMessage);
  }
  where() {
    return { store: this.store, handle: this.me };
  }
  reward(_p: QuestPlayer, xp: number, seq = 0): void {
    this.paid.push(xp);
    this.rewards.push({ xp, seq });
  }
  /** Rewards granted (as items/ would, in one transaction with the quest's write); `refuse` answers without storing anything. */
  readonly granted: { items: { template: string; count: number }[]; gold: number; reason: string }[] = [];
  refuse: GrantResult | null = null;
  db: Db | null = null;
  async grant(_p: QuestPlayer, items: readonly { template: string; count: number }[], gold: number, reason: string, alsoInTx: (q: TxQueries) => Promise<void>): Promise<GrantResult> {
    if (this.refuse) return this.refuse;
    await this.db!.tx(async (q) => {
      await alsoInTx(q);
      // Recorded once the quest's writes went through: a turn-in that throws in them grants nothing.
      this.granted.push({ items: [...items], gold, reason });
    });
    return 'ok';
  }
  spawn(kind: number, template: number, x: number, y: number, level = 1): number {
    const h = this.store.allocate();
    const i = indexOf(h);
    const f = this.store.f;
    f.kind[i] = kind;
    f.template[i] = template;
    f.x[i] = x;
    f.y[i] = y;
    f.level[i] = level;
    f.flags[i] = 0;
    this.store.publish(h);
    return h;
  }
  results() {
    return this.sent.filter((m): m is QuestResultMessage => m.op === 'questResult');
  }
  logs() {
    return this.sent.filter((m): m is QuestLogMessage => m.op === 'questLog');
  }
}

/** Lets every pending promise and timer of `ms` run. */
export const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));
export async function until(what: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error('condition not reached');
    await settle(5);
  }
}

let made = 0;

/** A new account and character in `db`, as the quest service's player. */
export async function newCharacter(db: Db): Promise<QuestPlayer> {
  const n = ++made;
  const [a] = await db.query<{ id: number }>("INSERT INTO accounts (username, password_hash) VALUES ($1, 'x') RETURNING id", [`acct${n}-${process.pid}`]);
  const [c] = await db.query<{ id: number }>(
    "INSERT INTO characters (account_id, name, name_key, class_id, zone, x, y, hp) VALUES ($1, $2, $2, 1, 'field', 1, 1, 10) RETURNING id",
    [a.id, `hero${n}-${process.pid}`],
  );
  return { id: 1000 + n, characterId: c.id, log };
}

/** A quest service over `db` (a process of its own), its stand-in gate with the player at 10,10 (level 3), the elder next to it and the scout far off. */
export function questWorld(db: Db, defs: QuestDefs) {
  const host = new Host();
  host.db = db;
  host.me = host.spawn(EntityKind.PLAYER, 1, 10, 10, 3);
  const elder = host.spawn(EntityKind.NPC, Npc.ELDER, 12, 10);
  const scout = host.spawn(EntityKind.NPC, Npc.SCOUT, 25, 10);
  const notEarned: number[] = [];
  const quests = new QuestService(defs, new QuestStore(db, defs), host, { retryMs: 20, notEarned: (_p, quest) => notEarned.push(quest) });
  return { host, elder, scout, quests, notEarned };
}
