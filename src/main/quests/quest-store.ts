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

/**
 * Characters' quest logs in PostgreSQL: a row per quest taken (by content
 * id) and a row per objective counter (migrations/004_quests.sql). A write
 * stores a quest's whole state, so writing it again is harmless: a failed
 * write is retried with whatever the state is by then.
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

  /** Stores the given quests' states (undefined: gone from the log) in one transaction. */
  async write(characterId: number, states: ReadonlyMap<number, QuestEntry | undefined>): Promise<void> {
    try {
      await this.db.tx((q) => this.writeIn(q, characterId, states));
    } catch (err) {
      throw new UnavailableError('quest log unavailable', { cause: err });
    }
  }

  /** write()'s statements inside a transaction the caller runs (a turn-in's rewards share it). */
  async writeIn(q: Queryable, characterId: number, states: ReadonlyMap<number, QuestEntry | undefined>): Promise<void> {
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
  }
}
