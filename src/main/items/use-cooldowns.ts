import { ItemReason, type ItemReasonValue } from '../../protocol/item-codes.ts';
import type { ItemTemplate } from './catalogue.ts';

/**
 * The cooldowns of item uses (a potion, a meal), kept by the coordinator so
 * that a use is refused before anything is consumed: a use of the same skill
 * within its template's use.cooldownMs is ON_COOLDOWN, and a dead player's
 * use is DEAD. A use is marked when it is let through, so two requests in
 * flight cannot both pass; a use that then fails to commit is unmarked.
 * Per connection: a relog starts afresh.
 */
export class UseCooldowns {
  private readonly readyAt = new Map<number, Map<string, number>>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** 0 when `conn` may use `t` now (and marks it), or why not. Templates without a use or a cooldown always pass. */
  take(conn: number, t: ItemTemplate | undefined, dead: boolean): 0 | ItemReasonValue {
    if (!t || t.useSkill === '') return 0;
    if (dead) return ItemReason.DEAD;
    if (t.useCooldownMs <= 0) return 0;
    let mine = this.readyAt.get(conn);
    const now = this.now();
    if ((mine?.get(t.useSkill) ?? 0) > now) return ItemReason.ON_COOLDOWN;
    if (!mine) this.readyAt.set(conn, (mine = new Map()));
    mine.set(t.useSkill, now + t.useCooldownMs);
    return 0;
  }

  /** The use `take` let through did not happen (refused or not stored): its cooldown does not start. */
  undo(conn: number, t: ItemTemplate | undefined): void {
    if (t && t.useSkill !== '') this.readyAt.get(conn)?.delete(t.useSkill);
  }

  forget(conn: number): void {
    this.readyAt.delete(conn);
  }
}
