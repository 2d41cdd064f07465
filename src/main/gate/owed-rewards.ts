import type { Connection } from './connection.ts';
import type { WorldState } from './world.ts';
import type { ZoneLink } from './zone-link.ts';

/**
 * Stored rewards on their way to a player's cell. A quest's experience is
 * a row in the database before anyone hears of it (migrations/007, numbered
 * per character), and reaches the player's entity as a REWARD carrying that
 * number (`seq`). The cell answers REWARDED with the player's report, whose
 * rewardSeq now includes it; from there the experience is made durable with
 * the rest of the character's state (cell-reports.ts), and the row is
 * cleaned up by the save that carries it (persistence/store.ts).
 *
 * Until a report says it is paid, a reward is kept here, by connection, and
 * sent again whenever the player's entity is new or restarted: a zone
 * change (the old zone's cell may have freed the entity before the REWARD
 * came) and a zone restart (it may have died in the ring, or with the cell
 * before its REWARDED was published). Sending one twice is harmless: the
 * cell pays a seq at most once (the store's rewardSeq, which survives a
 * restart with the experience) and answers either way. A process that dies
 * meanwhile pays it at the next entry, from the row.
 *
 * One at a time, in seq order: the next is sent only once a report says the
 * one before is paid. A cell takes a seq at or below the highest it paid
 * for paid already, so no REWARD may overtake a lower one, and two in
 * flight could: one sent to the old owner and forwarded through the peer
 * ring, the next sent straight to the new owner after the handoff.
 *
 * A reward without a row (seq 0: a world event's, a guest's) is sent once,
 * as before: nothing to pay again from.
 */
export class OwedRewards {
  private readonly links: readonly ZoneLink[];
  /** Test only (TESSERA_HOLD_REWARDS): stored rewards are kept, never sent (whole-process tests kill the server with one owed). */
  private readonly hold: boolean;

  constructor(links: readonly ZoneLink[], hold = false) {
    this.links = links;
    this.hold = hold;
  }

  /**
   * Pays `xp` to the player's entity, the stored reward `seq` (0: none, sent
   * at once): after those owed before it; not at all when the player has it
   * or it is owed already.
   */
  owe(c: Connection, xp: number, seq: number): void {
    if (seq === 0) return this.send(c, xp, 0);
    if (seq <= c.rewardSeq || c.rewardsOwed.some((r) => r.seq === seq)) return;
    const owed = c.rewardsOwed;
    let i = owed.length;
    while (i > 0 && owed[i - 1].seq > seq) i--;
    owed.splice(i, 0, { seq, xp });
    // The first owed goes now; the others wait for it (rows are numbered, and owed, in order: this is the last).
    if (i === 0) this.resend(c);
  }

  /**
   * `c` asks for a new entity with the state `at`: its experience and the
   * stored rewards that includes go in together (the JOIN); those owed
   * beyond are sent once it plays.
   */
  joining(c: Connection, at: WorldState): void {
    c.rewardSeq = at.rewardSeq ?? 0;
    this.paid(c, c.rewardSeq);
  }

  /** The player's experience includes every stored reward up to `seq` (a report said so): those are done, and the next owed goes. */
  paid(c: Connection, seq: number): void {
    const owed = c.rewardsOwed;
    if (owed.length === 0 || owed[0].seq > seq) return;
    c.rewardsOwed = owed.filter((r) => r.seq > seq);
    this.resend(c);
  }

  /** Sends the first reward not yet reported paid (again): the one before it was paid, the player's entity is new, or its cells restarted. */
  resend(c: Connection): void {
    const first = c.rewardsOwed[0];
    if (first) this.send(c, first.xp, first.seq);
  }

  /** Rewards sent and not yet reported paid (tests, the operator console). */
  pending(c: Connection): readonly { seq: number; xp: number }[] {
    return c.rewardsOwed;
  }

  private send(c: Connection, xp: number, seq: number): void {
    // Not in the world now (joining, changing zone): kept, and sent once it is (resend).
    if (c.phase !== 'playing' || c.released || (seq !== 0 && this.hold)) return;
    const link = this.links[c.zone];
    link.reward(link.ownerOf(c.handle), c.id, xp, seq);
  }
}
