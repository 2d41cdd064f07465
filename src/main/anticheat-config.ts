import type { ConfigVar, EnvReader } from './env.ts';

/**
 * The anti-cheat's enforcement (ANTICHEAT_*): per player (an account; a
 * guest by its address), the violations counted within a sliding window
 * warn it (a NOTICE), then close its connection (CHEATING), then ban it for
 * a while (CHEAT_BANNED, persisted with the moderation bans).
 */
export interface AnticheatConfig {
  /** The sliding window violations are counted over, ms. */
  windowMs: number;
  /** Violations within the window that warn, kick and ban; 0 turns that step off. Nonzero ones rise: warn < kick < ban. */
  warnAt: number;
  kickAt: number;
  banAt: number;
  /** How long an anti-cheat ban lasts, ms. */
  banMs: number;
  /** Log lines about one player's violations per minute; past it they are counted and summed up in the next line. */
  logPerMinute: number;
}

export const ANTICHEAT_CONFIG_VARS: ConfigVar[] = [
  { name: 'ANTICHEAT_WINDOW_MS', default: '600000', doc: 'Window over which a player\'s impossible actions (anti-cheat violations, docs/operations.md) are counted for ANTICHEAT_WARN_AT, _KICK_AT and _BAN_AT, 1000..86400000 ms. A guest is counted by its address.' },
  { name: 'ANTICHEAT_WARN_AT', default: '5', doc: 'Violations within the window that send the player a CHEAT_WARNING notice (once per window); 0 turns warnings off.' },
  { name: 'ANTICHEAT_KICK_AT', default: '20', doc: 'Violations within the window that close the connection (4040 CHEATING), and every further one while the count stays there; 0 turns kicks off. Must exceed ANTICHEAT_WARN_AT.' },
  { name: 'ANTICHEAT_BAN_AT', default: '40', doc: 'Violations within the window (across reconnects) that ban the account, or a guest\'s address, for ANTICHEAT_BAN_MS (4041 CHEAT_BANNED; stored with the moderation bans, so logins are refused until it ends); 0 turns bans off. Must exceed ANTICHEAT_KICK_AT.' },
  { name: 'ANTICHEAT_BAN_MS', default: '3600000', doc: 'How long an anti-cheat ban lasts, 60000..2592000000 ms (30 days). An operator lifts one early in the console.' },
  { name: 'ANTICHEAT_LOG_PER_MINUTE', default: '6', doc: 'Log lines about one player\'s violations per minute, 1..600; past it they are only counted (the metric counts all) and the next line says how many were left out.' },
];

/** Reads the anti-cheat's thresholds; problems go to `r` (thrown together by loadConfig). */
export function readAnticheatConfig(r: EnvReader): AnticheatConfig {
  const cfg: AnticheatConfig = {
    windowMs: r.int('ANTICHEAT_WINDOW_MS', 600_000, 1000, 86_400_000),
    warnAt: r.int('ANTICHEAT_WARN_AT', 5, 0, 100_000),
    kickAt: r.int('ANTICHEAT_KICK_AT', 20, 0, 100_000),
    banAt: r.int('ANTICHEAT_BAN_AT', 40, 0, 100_000),
    banMs: r.int('ANTICHEAT_BAN_MS', 3_600_000, 60_000, 2_592_000_000),
    logPerMinute: r.int('ANTICHEAT_LOG_PER_MINUTE', 6, 1, 600),
  };
  const steps: [string, number][] = [
    ['ANTICHEAT_WARN_AT', cfg.warnAt],
    ['ANTICHEAT_KICK_AT', cfg.kickAt],
    ['ANTICHEAT_BAN_AT', cfg.banAt],
  ];
  const on = steps.filter(([, n]) => n > 0);
  for (let i = 1; i < on.length; i++) {
    if (on[i][1] <= on[i - 1][1]) r.problem(`${on[i][0]} (${on[i][1]}) must exceed ${on[i - 1][0]} (${on[i - 1][1]}): the steps go warn, kick, ban`);
  }
  return cfg;
}

/** The defaults, for code that runs without a configuration (tests, tools). */
export const DEFAULT_ANTICHEAT_CONFIG: AnticheatConfig = { windowMs: 600_000, warnAt: 5, kickAt: 20, banAt: 40, banMs: 3_600_000, logPerMinute: 6 };
