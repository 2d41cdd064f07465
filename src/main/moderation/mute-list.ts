import type { Db } from '../persistence/db.ts';
import { deleteMute, liveMutes, upsertMute, type MuteRow } from './moderation-store.ts';

/**
 * Who may not speak, and until when. Persisted in the mutes table and held
 * in memory, so a chat system asks synchronously on every message:
 * `mutedUntil(id) > Date.now()` means muted.
 *
 * ```ts
 * const mutes = await MuteList.load(db);
 * if (mutes.mutedUntil(characterId) > Date.now()) refuse();
 * ```
 */
export class MuteList {
  private readonly db: Db;
  private readonly until = new Map<number, number>();

  private constructor(db: Db) {
    this.db = db;
  }

  /** Reads the mutes in force. */
  static async load(db: Db, now = Date.now()): Promise<MuteList> {
    const list = new MuteList(db);
    for (const m of await liveMutes(db, now)) list.until.set(m.characterId, m.untilMs);
    return list;
  }

  /** When the character's mute ends (ms since the epoch), or 0 when it is not muted. */
  mutedUntil(characterId: number): number {
    const t = this.until.get(characterId);
    if (t === undefined) return 0;
    if (t <= Date.now()) {
      this.until.delete(characterId);
      return 0;
    }
    return t;
  }

  /** Mutes (or re-mutes) a character until `untilMs`, saved first; false when no such character exists. */
  async mute(characterId: number, untilMs: number, reason: string, by: number): Promise<boolean> {
    if (!(await upsertMute(this.db, characterId, untilMs, reason, by))) return false;
    this.until.set(characterId, untilMs);
    return true;
  }

  /** Lifts a mute; false when there was none. */
  async unmute(characterId: number): Promise<boolean> {
    this.until.delete(characterId);
    return deleteMute(this.db, characterId);
  }

  /** The mutes in force, from the database (the console's list). */
  list(now = Date.now()): Promise<MuteRow[]> {
    return liveMutes(this.db, now);
  }
}
