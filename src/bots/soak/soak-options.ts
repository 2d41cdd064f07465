/**
 * `npm run soak` arguments: --minutes N, --bots N, --cells COLSxROWS,
 * --behavior fight|mixed, --seed N, --out DIR. Each bad value throws a
 * SoakOptionError naming the option.
 */
import type { SoakOptions } from './run-soak.ts';

export class SoakOptionError extends Error {
  override name = 'SoakOptionError';
}

export const SOAK_USAGE = 'usage: npm run soak -- [--minutes N] [--bots N] [--cells COLSxROWS] [--behavior fight|mixed] [--seed N] [--out DIR]';

const BEHAVIORS = ['fight', 'mixed'] as const;

export function parseSoakArgs(argv: readonly string[], now = new Date()): SoakOptions {
  const o: SoakOptions = { minutes: 10, bots: 12, cells: '2x1', behavior: 'mixed', seed: 1, outDir: `bench/results/soak-${now.toISOString().replace(/[:.]/g, '-')}` };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new SoakOptionError(`unexpected argument ${JSON.stringify(arg)}; ${SOAK_USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new SoakOptionError(`--${name} needs a value; ${SOAK_USAGE}`);
    switch (name) {
      case 'minutes':
        o.minutes = num(name, value, 0.5, 1440, false);
        break;
      case 'bots':
        o.bots = num(name, value, 1, 500, true);
        break;
      case 'seed':
        o.seed = num(name, value, 0, 2 ** 31 - 1, true);
        break;
      case 'cells': {
        const m = /^([1-8])x([1-8])$/.exec(value);
        if (!m || Number(m[1]) * Number(m[2]) < 2) throw new SoakOptionError(`--cells must be COLSxROWS with 1..8 each and at least 2 cells (got ${JSON.stringify(value)})`);
        o.cells = value;
        break;
      }
      case 'behavior':
        if (!(BEHAVIORS as readonly string[]).includes(value)) throw new SoakOptionError(`--behavior must be one of ${BEHAVIORS.join(', ')} (got ${JSON.stringify(value)})`);
        o.behavior = value as SoakOptions['behavior'];
        break;
      case 'out':
        if (value.length === 0 || value.length > 512) throw new SoakOptionError('--out must be a folder path (1..512 characters)');
        o.outDir = value;
        break;
      default:
        throw new SoakOptionError(`unknown option --${name}; ${SOAK_USAGE}`);
    }
  }
  return o;
}

function num(name: string, raw: string, min: number, max: number, integer: boolean): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new SoakOptionError(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  }
  return n;
}
