/**
 * The load bench's command line (bench/load.bench.ts, docs/benchmarks.md):
 * every option validated when read, with a message that names it.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Behaviors, DEFAULT_INPUT_HZ, Hunts, type Behavior, type Hunt } from '../../src/bots/options.ts';

/** The worlds the bench plays: a generated square zone with guests, or the content's world with characters. */
export const BenchWorlds = ['generated', 'default'] as const;
export type BenchWorld = (typeof BenchWorlds)[number];

/** Most sweeps `--repeat` runs (each is a fresh server). */
export const MAX_REPEAT = 20;

export interface LoadBenchArgs {
  steps: number[];
  steadyS: number;
  settleS: number;
  joinRate: number;
  zone: number;
  workers: number;
  maxMinutes: number;
  profile: boolean;
  retries: number;
  out: string;
  behavior: Behavior;
  npcs: number;
  npcTemplate: string | undefined;
  /** `generated`: one square zone of `zone` units, guests; `default`: the content's zones and NPCs, account bots. */
  world: BenchWorld;
  /** The content folder the `default` world is played from (absolute). */
  content: string;
  /**
   * The zone new characters start in (`default` world), at its centre:
   * null picks one by behaviour (the world's start for `quest`, else the
   * first zone with spawn areas: default-world.ts).
   */
  start: string | null;
  /** The default world's spawn areas hold this many times their NPCs (npc-scale.ts); 1: the world as it is. */
  npcScale: number;
  /** Where fight bots hunt (bots/options.ts): over the zone's grounds, or at the nearest (the crowded case). */
  hunt: Hunt;
  /** The server's simulation and snapshot rates (TICK_HZ, SEND_HZ): the tick budget is one tick (at most 50 ms), the snapshot budget 90 % of sendHz. */
  tickHz: number;
  sendHz: number;
  /**
   * Inputs each moving bot sends a second (a standing bot acks at the same
   * period), as the bots' --input-hz: what a game's client sends shapes the
   * gate's load as much as the snapshots do (docs/benchmarks.md).
   */
  inputHz: number;
  /** A throwaway PostgreSQL server (DATABASE_URL) instead of the embedded PGlite. */
  postgres: boolean;
  /** Sweeps run one after the other, each on a fresh server. */
  repeat: number;
  /** Node or V8 flags for the server's process only (not the bots'), e.g. `--max-semi-space-size=4`: experiments with a process-wide setting. */
  serverNodeArgs: string[];
}

export class LoadArgsError extends Error {
  override name = 'LoadArgsError';
}

export const LOAD_USAGE = `usage: npm run bench -- [--steps 250,500,...] [--steady S] [--settle S] [--join-rate N] [--workers N]
  [--max-minutes M] [--retries N] [--profile] [--out DIR] [--behavior wander|fight|mixed|quest]
  [--world generated|default] [--repeat N] [--postgres] [--tick-hz 1..60] [--send-hz 1..TICK] [--input-hz 1..60]
  [--server-node-arg --FLAG[=VALUE]]... (node/V8 flags for the server process only)
  generated world only: [--zone UNITS] [--npcs N] [--npc-template npc.ID]
  default world only:   [--content DIR] [--start ZONE] [--npc-scale K] [--hunt spread|nearest]`;

/** The bench's defaults; `root` is the repository (bench/results and data/ under it). */
export function defaultLoadArgs(root: string): LoadBenchArgs {
  return {
    steps: [250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000, 16000],
    steadyS: 25,
    settleS: 3,
    joinRate: 200,
    zone: 384,
    workers: availableParallelism(),
    maxMinutes: 14,
    profile: false,
    retries: 1,
    out: join(root, 'bench', 'results'),
    behavior: 'wander',
    npcs: 100,
    npcTemplate: undefined,
    world: 'generated',
    content: join(root, 'data'),
    start: null,
    npcScale: 1,
    hunt: 'spread',
    tickHz: 20,
    sendHz: 20,
    inputHz: DEFAULT_INPUT_HZ,
    postgres: false,
    repeat: 1,
    serverNodeArgs: [],
  };
}

/** Options that shape the generated zone; the default world brings its own zones and NPCs. */
const GENERATED_ONLY = ['--zone', '--npcs', '--npc-template'];
/** Options about the content's world. */
const DEFAULT_ONLY = ['--content', '--start', '--npc-scale', '--hunt'];

/** Parses the bench's arguments (without node and the script). Throws LoadArgsError naming the option. */
export function parseLoadArgs(argv: readonly string[], root: string): LoadBenchArgs {
  const a = defaultLoadArgs(root);
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    seen.add(k);
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined || x.startsWith('--')) throw new LoadArgsError(`${k} needs a value`);
      return x;
    };
    const n = (min: number, max = Infinity, integer = false): number => {
      const raw = v();
      const x = Number(raw);
      if (raw === '' || !Number.isFinite(x) || x < min || x > max || (integer && !Number.isInteger(x))) {
        throw new LoadArgsError(`${k} must be ${integer ? 'an integer' : 'a number'} >= ${min}${max < Infinity ? ` and <= ${max}` : ''} (got ${JSON.stringify(raw)})`);
      }
      return x;
    };
    switch (k) {
      case '--steps':
        a.steps = v()
          .split(',')
          .map((s) => {
            const x = Number(s);
            if (s === '' || !Number.isInteger(x) || x < 1) throw new LoadArgsError('--steps must be a comma-separated list of positive integers');
            return x;
          });
        for (let j = 1; j < a.steps.length; j++) if (a.steps[j] <= a.steps[j - 1]) throw new LoadArgsError('--steps must grow from one step to the next');
        break;
      case '--steady':
        a.steadyS = n(3);
        break;
      case '--settle':
        a.settleS = n(0);
        break;
      case '--join-rate':
        a.joinRate = n(1);
        break;
      case '--zone':
        a.zone = n(48);
        break;
      case '--workers':
        a.workers = n(1, 64, true);
        break;
      case '--max-minutes':
        a.maxMinutes = n(1);
        break;
      case '--profile':
        a.profile = true;
        break;
      case '--retries':
        a.retries = n(0, 10, true);
        break;
      case '--out':
        a.out = resolve(v());
        break;
      case '--behavior': {
        const b = v();
        if (!Behaviors.includes(b as Behavior)) throw new LoadArgsError(`--behavior must be one of ${Behaviors.join(', ')} (got ${JSON.stringify(b)})`);
        a.behavior = b as Behavior;
        break;
      }
      case '--npcs':
        a.npcs = n(0, 100_000, true);
        break;
      case '--npc-template': {
        const t = v();
        if (!/^npc\.[a-z0-9_.-]{1,60}$/.test(t)) throw new LoadArgsError('--npc-template must be a content NPC id such as npc.boar');
        a.npcTemplate = t;
        break;
      }
      case '--world': {
        const w = v();
        if (!BenchWorlds.includes(w as BenchWorld)) throw new LoadArgsError(`--world must be one of ${BenchWorlds.join(', ')} (got ${JSON.stringify(w)})`);
        a.world = w as BenchWorld;
        break;
      }
      case '--content': {
        const d = resolve(v());
        if (!existsSync(join(d, 'world.json'))) throw new LoadArgsError(`--content must name a content folder with a world.json (got ${JSON.stringify(d)})`);
        a.content = d;
        break;
      }
      case '--start': {
        const z = v();
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(z)) throw new LoadArgsError(`--start must be a zone name (got ${JSON.stringify(z)})`);
        a.start = z;
        break;
      }
      case '--npc-scale':
        a.npcScale = n(0.1, 50);
        break;
      case '--hunt': {
        const h = v();
        if (!Hunts.includes(h as Hunt)) throw new LoadArgsError(`--hunt must be one of ${Hunts.join(', ')} (got ${JSON.stringify(h)})`);
        a.hunt = h as Hunt;
        break;
      }
      case '--tick-hz':
        a.tickHz = n(1, 60, true);
        break;
      case '--send-hz':
        a.sendHz = n(1, 60, true);
        break;
      case '--input-hz':
        a.inputHz = n(1, 60, true);
        break;
      case '--postgres':
        a.postgres = true;
        break;
      case '--repeat':
        a.repeat = n(1, MAX_REPEAT, true);
        break;
      case '--server-node-arg': {
        // Taken as it is, so a flag (which starts with --) is its value; one flag per option, no spaces.
        const f = argv[++i];
        if (f === undefined || !/^--[a-z0-9][a-z0-9-]*(=[^\s]+)?$/.test(f)) {
          throw new LoadArgsError(`--server-node-arg needs one node or V8 flag such as --max-semi-space-size=4 (got ${JSON.stringify(f ?? '')})`);
        }
        a.serverNodeArgs.push(f);
        break;
      }
      case '--help':
        throw new LoadArgsError(LOAD_USAGE);
      default:
        throw new LoadArgsError(`unknown option ${JSON.stringify(k)}\n${LOAD_USAGE}`);
    }
  }
  // The server's own default: snapshots at 20 Hz, or at the tick rate when that is lower.
  if (!seen.has('--send-hz')) a.sendHz = Math.min(20, a.tickHz);
  if (a.sendHz > a.tickHz) throw new LoadArgsError(`--send-hz ${a.sendHz} is above --tick-hz ${a.tickHz}: a snapshot goes out on a tick`);
  const wrong = a.world === 'default' ? GENERATED_ONLY.filter((o) => seen.has(o)) : DEFAULT_ONLY.filter((o) => seen.has(o));
  if (wrong.length > 0) {
    throw new LoadArgsError(
      a.world === 'default'
        ? `${wrong.join(', ')}: the default world brings its own zones and NPCs (only with --world generated)`
        : `${wrong.join(', ')}: only with --world default`,
    );
  }
  return a;
}

/** The results file's variant (`-fight-default-postgres`...): empty for the recorded default run (wander, generated world, PGlite). */
export function variantOf(a: LoadBenchArgs): string {
  const parts: string[] = [];
  if (a.behavior !== 'wander' || a.npcTemplate) parts.push(a.behavior);
  if (a.npcTemplate) parts.push(a.npcTemplate.replace(/^npc\./, ''));
  if (a.world !== 'generated') parts.push(a.world);
  if (a.npcScale !== 1) parts.push(`npcx${a.npcScale}`);
  if (a.hunt !== 'spread') parts.push(`hunt-${a.hunt}`);
  if (a.postgres) parts.push('postgres');
  if (a.tickHz !== 20 || a.sendHz !== 20) parts.push(`tick${a.tickHz}-send${a.sendHz}`);
  if (a.inputHz !== DEFAULT_INPUT_HZ) parts.push(`input${a.inputHz}`);
  if (a.serverNodeArgs.length > 0) parts.push('node-args');
  return parts.length === 0 ? '' : `-${parts.join('-')}`;
}
