import type { Db } from '../persistence/db.ts';
import { addressKey, normaliseIp } from '../net/ip.ts';
import { insertBan, liftBan, liveBans, type BanRow } from './moderation-store.ts';

/** What a ban is on: an account, or an address (an IPv6 address is banned with its /64). */
export type BanTarget = { accountId: number } | { address: string };

/**
 * The bans in force: persisted in the bans table and held in memory, so the
 * gate's handshake and the account API's login check them without a query.
 * One coordinator owns a database (docs/operations.md); a ban made through
 * its console is in force at once.
 */
export class BanList {
  private readonly db: Db;
  private readonly byAccount = new Map<number, BanRow>();
  private readonly byAddress = new Map<string, BanRow>();

  private constructor(db: Db) {
    this.db = db;
  }

  static async load(db: Db, now = Date.now()): Promise<BanList> {
    const list = new BanList(db);
    for (const b of await liveBans(db, now)) list.remember(b);
    return list;
  }

  /**
   * Why an account (0: none, a guest) or an address may not enter, or
   * undefined: the text the player is shown.
   */
  refusal(accountId: number, address: string, now = Date.now()): string | undefined {
    const b = (accountId !== 0 ? this.live(this.byAccount, accountId, now) : undefined) ?? this.live(this.byAddress, keyOf(address), now);
    return b ? describeBan(b) : undefined;
  }

  /** Bans an account or address, saved first; returns the ban as listed. `by`: the operator's account, null for the server's own (the anti-cheat). */
  async ban(target: BanTarget, reason: string, untilMs: number | null, by: number | null): Promise<BanRow> {
    const row = await insertBan(this.db, {
      accountId: 'accountId' in target ? target.accountId : null,
      address: 'address' in target ? keyOf(target.address) : null,
      reason,
      untilMs,
      createdBy: by,
    });
    this.remember(row);
    return row;
  }

  /** Lifts a ban in force; undefined when there is none with that id. */
  async lift(id: number, by: number): Promise<BanRow | undefined> {
    const row = await liftBan(this.db, id, by);
    if (!row) return undefined;
    if (row.accountId !== null && this.byAccount.get(row.accountId)?.id === id) this.byAccount.delete(row.accountId);
    if (row.address !== null && this.byAddress.get(row.address)?.id === id) this.byAddress.delete(row.address);
    // Another ban of the same target may still be in force.
    for (const b of await liveBans(this.db, Date.now())) this.remember(b);
    return row;
  }

  /** The bans in force, from the database (the console's list). */
  list(now = Date.now()): Promise<BanRow[]> {
    return liveBans(this.db, now);
  }

  private remember(b: BanRow): void {
    const map = b.accountId !== null ? this.byAccount : this.byAddress;
    const key = b.accountId ?? b.address!;
    const old = (map as Map<number | string, BanRow>).get(key);
    // The ban that lasts longest wins.
    if (!old || outlasts(b, old)) (map as Map<number | string, BanRow>).set(key, b);
  }

  private live<K>(map: Map<K, BanRow>, key: K, now: number): BanRow | undefined {
    const b = map.get(key);
    if (!b) return undefined;
    if (b.untilMs !== null && b.untilMs <= now) {
      map.delete(key);
      return undefined;
    }
    return b;
  }
}

/** The key an address is banned under: its normal form, an IPv6 address's /64. */
export function keyOf(address: string): string {
  const ip = normaliseIp(address);
  return ip === undefined ? address : addressKey(ip);
}

function outlasts(a: BanRow, b: BanRow): boolean {
  if (a.untilMs === null) return true;
  return b.untilMs !== null && a.untilMs > b.untilMs;
}

/** What a banned player is told. */
export function describeBan(b: Pick<BanRow, 'reason' | 'untilMs'>): string {
  const until = b.untilMs === null ? 'for good' : `until ${new Date(b.untilMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `banned ${until}: ${b.reason}`.slice(0, 120);
}
