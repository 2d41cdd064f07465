import type { Db, Queryable } from '../persistence/db.ts';
import { UnavailableError } from '../persistence/errors.ts';
import type { QuestEntry } from './quest-book.ts';
import type { QuestDefs } from './quest-defs.ts';

interface QuestRow {
  quest: string;
  done: boolean;
  completions: number;
  completed_ms: number | null;
}
interface ObjectiveRow {
  quest: string;
  objective: number;
  count: number;
}

/** Experience to store with a turn-in: its row is what pays it (migrations/007). */
export interface Owing {
  experience: number;
  /** What it is for ('quest:<content id>'), for the record. */
  reason: string;
  /** One per turn-in: the same turn-in written again (a retry) finds its row instead of adding one. */
  key: string;
}

/** A stored reward the character's saved experience does not include yet. */
export interface OwedRow {
  seq: number;
  amount: number;
}

/**
 * Characters' quest logs in PostgreSQL: a row per quest taken (by content
 * id) and a row per objective counter (migrations/004_quests.sql). A write
 * stores a quest's whole state, so writing it again is harmless: a failed
 * write is retried with whatever the state is by then. A turn-in's
 * experience is stored in the same transaction as the turn-in, as a row of
 * experience_owed numbered per character (migrations/007): the REWARD that
 * pays it carries that number, and the row stays owed until a save of the
 * character's experience includes it.
 */
export class QuestStore {
  private readonly db: Db;
  private readonly defs: QuestDefs;

  constructor(db: Db, defs: QuestDefs) {
    this.db = db;
    this.defs = defs;
  }

  /** A character's log; quests the content no longer has are left in the table and out of the log. */
  async load(characterId: number): Promise<[number, QuestEntry][]> {
    try {
      const quests = await this.db.query<QuestRow>(
        'SELECT quest, done, completions, (extract(epoch FROM completed_at) * 1000)::float8 AS completed_ms FROM character_quests WHERE character_id = $1',
        [characterId],
      );
      const objectives = await this.db.query<ObjectiveRow>('SELECT quest, objective, count FROM quest_objectives WHERE character_id = $1', [characterId]);
      const out: [number, QuestEntry][] = [];
      for (const r of quests) {
        const q = this.defs.byContentId(r.quest);
        if (!q) continue;
        const counts = r.done ? [] : q.objectives.map(() => 0);
        for (const o of objectives) if (o.quest === r.quest && !r.done && o.objective < counts.length) counts[o.objective] = Math.min(o.count, q.objectives[o.objective].count);
        out.push([q.number, { done: r.done, completions: r.completions, completedAt: r.completed_ms ?? 0, counts }]);
      }
      return out;
    } catch (err) {
      throw new UnavailableError('quest log unavailable', { cause: err });
    }
  }

  /** The stored rewards a character's saved experience does not include, oldest first. */
  async owed(characterId: number): Promise<OwedRow[]> {
    try {
      return await this.db.query<OwedRow>(
        `SELECT o.seq::float8 AS seq, o.amount::float8 AS amount FROM experience_owed AS o JOIN characters AS c ON c.id = o.character_id
          WHERE o.character_id = $1 AND o.seq > c.reward_seq ORDER BY o.seq`,
        [characterId],
      );
    } catch (err) {
      throw new UnavailableError('quest log unavailable', { cause: err });
    }
  }

  /**
   * Stores the given quests' states (undefined: gone from the log) and the
   * experience `owing` in one transaction; the owed rows' seqs, in `owing`'s order.
   */
  async write(characterId: number, states: ReadonlyMap<number, QuestEntry | undefined>, owing: readonly Owing[] = []): Promise<number[]> {
    try {
      return await this.db.tx((q) => this.writeIn(q, characterId, states, owing));
    } catch (err) {
      throw new UnavailableError('quest log unavailable', { cause: err });
    }
  }

  /**
   * Whether quest `number`'s stored row already counts `completions` turn-ins
   * (locked for the rest of the caller's transaction): a turn-in whose
   * commit landed although its answer was lost (the database went away
   * after COMMIT) is not stored, nor rewarded, a second time.
   */
  async turnedIn(q: Queryable, characterId: number, number: number, completions: number): Promise<boolean> {
    const rows = await q.query<{ completions: number }>('SELECT completions FROM character_quests WHERE character_id = $1 AND quest = $2 FOR UPDATE', [
      characterId,
      this.defs.get(number)!.id,
    ]);
    return rows.length > 0 && rows[0].completions >= completions;
  }

  /** write()'s statements inside a transaction the caller runs (a turn-in's rewards share it). */
  async writeIn(q: Queryable, characterId: number, states: ReadonlyMap<number, QuestEntry | undefined>, owing: readonly Owing[] = []): Promise<number[]> {
    for (const [number, e] of states) {
      const id = this.defs.get(number)!.id;
      if (!e) {
        await q.query('DELETE FROM character_quests WHERE character_id = $1 AND quest = $2', [characterId, id]);
        continue;
      }
      await q.query(
        `INSERT INTO character_quests (character_id, quest, done, completions, completed_at, updated_at)
         VALUES ($1, $2, $3, $4, CASE WHEN $5::float8 > 0 THEN to_timestamp($5::float8 / 1000) END, now())
         ON CONFLICT (character_id, quest) DO UPDATE SET done = EXCLUDED.done, completions = EXCLUDED.completions,
           completed_at = EXCLUDED.completed_at, updated_at = now()`,
        [characterId, id, e.done, e.completions, e.completedAt],
      );
      await q.query('DELETE FROM quest_objectives WHERE character_id = $1 AND quest = $2', [characterId, id]);
      for (let i = 0; i < e.counts.length; i++) {
        await q.query('INSERT INTO quest_objectives (character_id, quest, objective, count) VALUES ($1, $2, $3, $4)', [characterId, id, i, e.counts[i]]);
      }
    }
    const seqs: number[] = [];
    for (const o of owing) seqs.push(await owe(q, characterId, o));
    return seqs;
  }
}

/**
 * Inserts an owed row numbered one past the character's highest (owed, or
 * included in its saved experience: rows at or below reward_seq may be
 * cleaned up already), or finds the row of the same key. Two transactions
 * numbering the same character at once collide on the primary key and one
 * fails (and is retried): the quest service writes a character's turn-ins
 * one at a time anyway.
 */
async function owe(q: Queryable, characterId: number, o: Owing): Promise<number> {
  const rows = await q.query<{ seq: number }>(
    `WITH next AS (
       SELECT GREATEST(COALESCE((SELECT max(seq) FROM experience_owed WHERE character_id = $1), 0),
                       COALESCE((SELECT reward_seq FROM characters WHERE id = $1), 0)) + 1 AS seq
     ), ins AS (
       INSERT INTO experience_owed (character_id, seq, amount, reason, key)
       SELECT $1, next.seq, $2, $3, $4 FROM next
       ON CONFLICT (character_id, key) DO NOTHING
       RETURNING seq
     )
     SELECT seq::float8 AS seq FROM ins
     UNION ALL
     SELECT seq::float8 AS seq FROM experience_owed WHERE character_id = $1 AND key = $4`,
    [characterId, o.experience, o.reason, o.key],
  );
  if (rows.length !== 1) throw new Error(`experience owed to character ${characterId} not stored (${rows.length} rows)`);
  return rows[0].seq;
}
