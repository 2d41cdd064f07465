import { describe, expect, it } from 'vitest';
import { parseSoakArgs, SoakOptionError } from '../../../src/bots/soak/soak-options.ts';

describe('npm run soak arguments', () => {
  it('reads every option, with defaults for the rest', () => {
    const o = parseSoakArgs(['--minutes', '30', '--bots=20', '--cells', '2x2', '--behavior', 'fight', '--seed', '9', '--out', 'x/y'], new Date('2026-01-02T03:04:05Z'));
    expect(o).toEqual({ minutes: 30, bots: 20, cells: '2x2', behavior: 'fight', seed: 9, outDir: 'x/y' });
    expect(parseSoakArgs([], new Date('2026-01-02T03:04:05Z'))).toMatchObject({ minutes: 10, bots: 12, cells: '2x1', behavior: 'mixed', outDir: 'bench/results/soak-2026-01-02T03-04-05-000Z' });
  });

  it.each([
    [['--minutes', '0'], '--minutes must be a number from 0.5 to 1440'],
    [['--minutes', 'NaN'], '--minutes must be'],
    [['--minutes', ''], '--minutes must be'],
    [['--bots', '2.5'], '--bots must be an integer from 1 to 500'],
    [['--bots', '1e9'], '--bots must be'],
    [['--cells', '1x1'], '--cells must be COLSxROWS'],
    [['--cells', '9x1'], '--cells must be COLSxROWS'],
    [['--behavior', 'wander'], '--behavior must be one of fight, mixed'],
    [['--out', ''], '--out must be a folder path'],
    [['--out', 'a'.repeat(600)], '--out must be a folder path'],
    [['--minutes'], '--minutes needs a value'],
    [['--nope', '1'], 'unknown option --nope'],
    [['stray'], 'unexpected argument'],
  ])('refuses %j, naming the option', (argv, message) => {
    expect(() => parseSoakArgs(argv)).toThrow(SoakOptionError);
    expect(() => parseSoakArgs(argv)).toThrow(message);
  });
});
