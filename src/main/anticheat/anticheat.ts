import { encodeNotice } from '../../protocol/encode.ts';
import { CloseCode } from '../../protocol/errors.ts';
import { NoticeCode } from '../../protocol/notices.ts';
import type { AnticheatConfig } from '../anticheat-config.ts';
import type { Logger } from '../log.ts';
import type { AnticheatMetrics } from '../metrics/anticheat.ts';
import { keyOf, type BanTarget } from '../moderation/bans.ts';
import { LogBudget } from './log-budget.ts';
import { OffenderWindows, type Verdict } from './offender-window.ts';

/** A player as the anti-cheat sees it: a gate Connection has all of this. */
export interface Suspect {
  readonly id: number;
  /** 0 for a guest: counted and banned by its address. */
  readonly accountId: number;
  readonly characterId: number;
  readonly remote: string;
  readonly name: string;
}

/** What the anti-cheat asks of the gate and the moderation module. */
export interface AnticheatHost<S extends Suspect = Suspect> {
  send(s: S, bytes: Uint8Array): void;
  /**
   * Ends the suspect's session with `code` and `reason`: its connection is
   * closed (its character saved as on any close the server makes), or, when
   * it dropped and waits for a resume, its grace ends (gate-host.ts).
   */
  close(s: S, code: number, reason: string): void;
  /**
   * The live connections a ban of `target` covers (every one of the
   * account, or of the address), the suspect's among them or not: all are
   * closed with CHEAT_BANNED. Without it only the suspect's is.
   */
  covered?(target: BanTarget): Iterable<S>;
  /** Bans a target until `untilMs` (moderation/bans.ts: persisted, then in force at the handshake and the account API's login); none without storage. */
  ban?(target: BanTarget, reason: string, untilMs: number): Promise<unknown>;
}

/** Where a violation was found: the cells count theirs in their stat slots (the metric reads those), the coordinator's are counted here. */
export type ViolationSource = 'cell' | 'coordinator';

/**
 * The coordinator's anti-cheat: every violation a check finds (a cell's,
 * reported with its player, or the coordinator's own: items, quests, chat,
 * the gate) is counted by check in tessera_anticheat_violations_total,
 * logged with ids (rate-limited per player: LogBudget), and weighed per
 * player (OffenderWindows): a warning NOTICE, a close (CHEATING), then a
 * temporary ban (CHEAT_BANNED) persisted through the moderation bans, so a
 * new login is refused until it ends. A ban is the account's (a guest's:
 * its address's): every connection it covers is closed, its other
 * characters and one waiting for a resume too, not only the one that
 * cheated; a kick ends the cheating character's session. Only impossible actions reach here:
 * each check has its tolerance for lag and honest mistakes (docs/operations.md).
 */
export class Anticheat<S extends Suspect = Suspect> {
  private readonly cfg: AnticheatConfig;
  private readonly host: AnticheatHost<S>;
  private readonly metrics: AnticheatMetrics | undefined;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly windows: OffenderWindows;
  private readonly logBudget: LogBudget;
  /** Connections this closed: what they still send (queued in rings) is counted, not acted on again. */
  private readonly closed = new WeakSet<S>();
  private readonly exempt: (address: string) => boolean;

  /**
   * `exempt`: addresses whose guests are counted and logged but never
   * warned, kicked or banned (GATE_IP_LIMIT_EXEMPT: a load generator or a
   * fuzzer, whose one address many clients share); accounts from them are.
   */
  constructor(cfg: AnticheatConfig, host: AnticheatHost<S>, log: Logger, o: { metrics?: AnticheatMetrics; now?: () => number; exempt?: (address: string) => boolean } = {}) {
    this.cfg = cfg;
    this.host = host;
    this.metrics = o.metrics;
    this.log = log.child({ part: 'anticheat' });
    this.now = o.now ?? Date.now;
    this.windows = new OffenderWindows(cfg);
    this.logBudget = new LogBudget(cfg.logPerMinute);
    this.exempt = o.exempt ?? (() => false);
  }

  /** Offenders with violations in the window now. */
  get offenders(): number {
    return this.windows.count;
  }

  /**
   * One violation of check `check` by `s`; `detail` (ids and numbers, never
   * text the player wrote) goes in the log line. Returns what was done.
   */
  report(s: S, check: string, source: ViolationSource = 'coordinator', detail?: Record<string, number | string>): Verdict {
    if (source === 'coordinator') this.metrics?.violation(check);
    const now = this.now();
    const key = offenderKey(s);
    if (this.closed.has(s) || (s.accountId === 0 && this.exempt(s.remote))) {
      this.line(key, now, s, check, this.closed.has(s) ? 'closed' : 'exempt', detail);
      return 'count';
    }
    const verdict = this.windows.record(key, now);
    this.line(key, now, s, check, verdict, detail);
    switch (verdict) {
      case 'warn':
        this.host.send(s, encodeNotice(NoticeCode.CHEAT_WARNING, `impossible actions refused (${check}); more will disconnect you`));
        break;
      case 'kick':
        this.closed.add(s);
        this.host.close(s, CloseCode.CHEATING, `too many impossible actions (${check})`);
        break;
      case 'ban':
        this.closed.add(s);
        this.ban(s, check, now);
        break;
    }
    return verdict;
  }

  private ban(s: S, check: string, now: number): void {
    const until = now + this.cfg.banMs;
    const reason = `anti-cheat: too many impossible actions (${check})`;
    const target: BanTarget = s.accountId !== 0 ? { accountId: s.accountId } : { address: s.remote };
    const close = () => this.closeCovered(s, target, `banned until ${new Date(until).toISOString().slice(0, 16).replace('T', ' ')} UTC: ${reason}`);
    if (!this.host.ban) {
      this.log.warn({ conn: s.id, account: s.accountId }, 'anti-cheat ban not stored: no moderation storage; closing only');
      return close();
    }
    // Stored before the close: the client's next login must meet it.
    this.host.ban(target, reason, until).then(close, (err: unknown) => {
      this.log.error({ err, conn: s.id, account: s.accountId }, 'anti-cheat ban could not be stored; closing only');
      close();
    });
  }

  /**
   * Closes (CHEAT_BANNED) the suspect and every connection the ban covers
   * as it stands now, after the ban is stored: a login that got past the
   * handshake's ban check before it was stored is among them, any later
   * one meets the ban.
   */
  private closeCovered(s: S, target: BanTarget, told: string): void {
    const all = new Set<S>([s]);
    for (const c of this.host.covered?.(target) ?? []) all.add(c);
    for (const c of all) {
      this.closed.add(c);
      this.host.close(c, CloseCode.CHEAT_BANNED, told);
    }
    if (all.size > 1) this.log.warn({ conn: s.id, account: s.accountId, closed: all.size }, 'anti-cheat ban closed every connection it covers');
  }

  private line(key: string, now: number, s: S, check: string, action: Verdict | 'closed' | 'exempt', detail?: Record<string, number | string>): void {
    const skipped = this.logBudget.take(key, now);
    if (skipped < 0 && (action === 'count' || action === 'closed' || action === 'exempt')) return;
    // A warning, kick or ban is always logged; ids only (no name, token or text).
    const ids = { conn: s.id, account: s.accountId, character: s.characterId, address: s.accountId === 0 ? keyOf(s.remote) : undefined };
    const fields = { ...ids, check, action, ...(skipped > 0 ? { skipped } : {}), ...detail };
    if (action === 'count' || action === 'closed' || action === 'exempt') this.log.info(fields, 'anti-cheat violation');
    else this.log.warn(fields, `anti-cheat violation: ${action}`);
  }
}

/** Whom violations are counted against: the account, or a guest's address (its /64 for IPv6, as bans key it). */
export function offenderKey(s: Pick<Suspect, 'accountId' | 'remote'>): string {
  return s.accountId !== 0 ? `account:${s.accountId}` : `address:${keyOf(s.remote)}`;
}
