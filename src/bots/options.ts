import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';

/** The content folder fighting bots read when none is named: the repository's, run from its root. */
const DEFAULT_CONTENT = './data';

// The cheat bot is not a fleet behaviour: one client, one cheat at a time (src/bots/cheat.ts runs on its own).
export const Behaviors = ['wander', 'fight', 'mixed', 'quest'] as const;
export type Behavior = (typeof Behaviors)[number];

/**
 * Where fight bots that know the world hunt (prowler.ts): `spread` over all
 * of a zone's hunting grounds, as many as each holds prey, the way players
 * fill a zone; `nearest`: one of the two nearest, so a fleet gathers at the
 * spawns nearest its way in (the crowded case).
 */
export const Hunts = ['spread', 'nearest'] as const;
export type Hunt = (typeof Hunts)[number];

/** What `npm run bots` accepts; every field validated by parseBotArgs(). */
export interface BotOptions {
  /** Server base URL, http(s):// (the WebSocket URL is derived: /play). */
  url: string;
  count: number;
  /** Seconds the whole run lasts, ramp included. */
  duration: number;
  /** Seconds over which the bots connect, evenly spread. */
  ramp: number;
  behavior: Behavior;
  /** Guest HELLO instead of register + log in + create a character. */
  guests: boolean;
  report: string | null;
  /** Worker threads driving the bots. */
  workers: number;
  /** Inputs per bot per second while moving (ACKs at the same rate while idle). */
  inputHz: number;
  /** Pings per bot per second (RTT probes). */
  pingHz: number;
  /** Prefix of bot names and account usernames. */
  prefix: string;
  /** Print the live progress line (off when stdout is not a terminal unless forced). */
  progress: boolean;
  /** Seed of the bots' random choices (directions, timings), for repeatable runs. */
  seed: number;
  /**
   * Local address the bots' WebSockets connect from (e.g. 127.0.0.2), so a
   * load test's bots count as one address of their own at the gate's
   * per-address limits; undefined: the system's choice. Account logins
   * (HTTP) still go from the default address.
   */
  localAddress?: string;
  /**
   * Chat messages per bot per minute, on say and zone (--chat-per-minute);
   * null: the behaviour's default, 0.6 (1 % of the bots a second) for
   * `mixed` and none otherwise, so the load bench's other runs stay as they were.
   */
  chatPerMinute: number | null;
  /**
   * The content folder the server plays (its JSON files): fighting bots read
   * which NPCs are hostile and how their skills are used from it; with a
   * world.json, questers and looters read the maps, quests and items
   * (world-book.ts). Null: they fight any NPC with a template and use skills
   * as melee strikes, and neither quest nor loot.
   */
  content: string | null;
  /** Where fight bots hunt (Hunts). */
  hunt: Hunt;
}

export const USAGE = `usage: npm run bots -- --url http://127.0.0.1:8080 --count N --duration S
  [--ramp S] [--behavior wander|fight|mixed|quest] [--hunt spread|nearest] [--guests] [--report FILE.json]
  [--workers N] [--input-hz N] [--ping-hz N] [--prefix NAME] [--seed N] [--no-progress]
  [--chat-per-minute N]  (chat on say and zone; default 0.6 with mixed, else 0)
  [--content DIR]  (the server's content folder, for fight, quest and mixed bots: NPCs, skills, and with
                    its world.json the maps, quests and items questers and looters need; default ./data when it exists)
  [--local-address IP]  (connect from this address, e.g. 127.0.0.2; see GATE_IP_LIMIT_EXEMPT)
  [--server-pid PID]  (CPU and RSS from /proc when the server has no /metrics)`;

/** Inputs a moving bot sends a second (a standing one acks at the same period). */
export const DEFAULT_INPUT_HZ = 10;

/** Defaults for every option but url. */
export function defaultBotOptions(count = 1): BotOptions {
  return {
    url: 'http://127.0.0.1:8080',
    count,
    duration: 30,
    ramp: 0,
    behavior: 'wander',
    hunt: 'spread',
    guests: false,
    report: null,
    workers: defaultWorkers(count),
    inputHz: DEFAULT_INPUT_HZ,
    pingHz: 1,
    prefix: `bot${Date.now().toString(36).slice(-5)}`,
    progress: true,
    seed: 1,
    chatPerMinute: null,
    content: existsSync(DEFAULT_CONTENT) ? DEFAULT_CONTENT : null,
  };
}

/** Chat messages per bot per minute for these options (BotOptions.chatPerMinute). */
export function chatRateOf(o: Pick<BotOptions, 'chatPerMinute' | 'behavior'>): number {
  return o.chatPerMinute ?? (o.behavior === 'mixed' ? 0.6 : 0);
}

/** One worker per core, but no more than one per 250 bots. */
export function defaultWorkers(count: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(count / 250)));
}

export class OptionError extends Error {
  override name = 'OptionError';
}

function num(name: string, raw: string | undefined, min: number, max: number, integer: boolean): number {
  const v = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) {
    const what = integer ? 'an integer' : 'a number';
    throw new OptionError(`--${name} must be ${what} from ${min} to ${max} (got ${raw === undefined ? 'nothing' : JSON.stringify(raw)})`);
  }
  return v;
}

/** Parses CLI arguments (without node and the script). Throws OptionError naming the option. */
export function parseBotArgs(argv: readonly string[]): BotOptions {
  const o = defaultBotOptions();
  let workersSet = false;
  let sawUrl = false;
  let sawCount = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const key = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : '';
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (key) {
      case 'url': {
        const v = value() ?? '';
        let u: URL;
        try {
          u = new URL(v);
        } catch {
          throw new OptionError(`--url must be an http:// or ws:// URL (got ${JSON.stringify(v)})`);
        }
        if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) throw new OptionError(`--url must be an http:// or ws:// URL (got ${JSON.stringify(v)})`);
        o.url = v;
        sawUrl = true;
        break;
      }
      case 'count':
        o.count = num('count', value(), 1, 100_000, true);
        sawCount = true;
        break;
      case 'duration':
        o.duration = num('duration', value(), 1, 86_400, false);
        break;
      case 'ramp':
        o.ramp = num('ramp', value(), 0, 3_600, false);
        break;
      case 'behavior': {
        const v = value();
        if (!Behaviors.includes(v as Behavior)) throw new OptionError(`--behavior must be one of ${Behaviors.join(', ')} (got ${JSON.stringify(v)})`);
        o.behavior = v as Behavior;
        break;
      }
      case 'hunt': {
        const v = value();
        if (!Hunts.includes(v as Hunt)) throw new OptionError(`--hunt must be one of ${Hunts.join(', ')} (got ${JSON.stringify(v)})`);
        o.hunt = v as Hunt;
        break;
      }
      case 'guests':
        o.guests = true;
        break;
      case 'report': {
        const v = value();
        if (!v) throw new OptionError('--report needs a file name');
        o.report = v;
        break;
      }
      case 'workers':
        o.workers = num('workers', value(), 1, 64, true);
        workersSet = true;
        break;
      case 'input-hz':
        o.inputHz = num('input-hz', value(), 0, 60, false);
        break;
      case 'chat-per-minute':
        o.chatPerMinute = num('chat-per-minute', value(), 0, 60, false);
        break;
      case 'ping-hz':
        o.pingHz = num('ping-hz', value(), 0, 10, false);
        break;
      case 'prefix': {
        const v = value() ?? '';
        if (!/^[A-Za-z][A-Za-z0-9_]{0,11}$/.test(v)) throw new OptionError('--prefix must be a letter then up to 11 letters, digits or _');
        o.prefix = v;
        break;
      }
      case 'seed':
        o.seed = num('seed', value(), 0, 2 ** 31, true);
        break;
      case 'local-address': {
        const v = value() ?? '';
        if (isIP(v) === 0) throw new OptionError(`--local-address must be an IP address (got ${JSON.stringify(v)})`);
        o.localAddress = v;
        break;
      }
      case 'content': {
        const v = value() ?? '';
        if (!v || !existsSync(v)) throw new OptionError(`--content must name an existing folder (got ${JSON.stringify(v)})`);
        o.content = v;
        break;
      }
      case 'no-progress':
        o.progress = false;
        break;
      case 'help':
        throw new OptionError(USAGE);
      default:
        throw new OptionError(`unknown option ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  if (!sawUrl) throw new OptionError(`--url is required\n${USAGE}`);
  if (!sawCount) throw new OptionError(`--count is required\n${USAGE}`);
  if (o.ramp >= o.duration) throw new OptionError(`--ramp (${o.ramp}) must be shorter than --duration (${o.duration})`);
  if (!workersSet) o.workers = defaultWorkers(o.count);
  o.workers = Math.min(o.workers, o.count);
  return o;
}

/** The WebSocket endpoint for a server base URL. */
export function playUrl(base: string): string {
  const u = new URL(base);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/play';
  return u.toString();
}

/** The HTTP base for a server URL given as ws:// or http://. */
export function httpBase(base: string): string {
  const u = new URL(base);
  if (u.protocol === 'ws:') u.protocol = 'http:';
  else if (u.protocol === 'wss:') u.protocol = 'https:';
  u.pathname = '/';
  u.search = '';
  return u.toString().replace(/\/$/, '');
}
