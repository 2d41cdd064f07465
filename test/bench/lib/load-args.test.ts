import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLoadArgs, LoadArgsError, MAX_REPEAT, parseLoadArgs, variantOf } from '../../../bench/lib/load-args.ts';
import { tickBudgetMs } from '../../../bench/lib/load-sweep.ts';

const ROOT = process.cwd();
const parse = (...argv: string[]) => parseLoadArgs(argv, ROOT);

describe('parseLoadArgs', () => {
  it('keeps the defaults with no arguments: the generated world, PGlite, one run', () => {
    const a = parse();
    expect(a).toEqual(defaultLoadArgs(ROOT));
    expect(a).toMatchObject({ world: 'generated', postgres: false, repeat: 1, start: null, behavior: 'wander', content: join(ROOT, 'data') });
  });

  it('reads the new options', () => {
    const a = parse('--world', 'default', '--behavior', 'fight', '--postgres', '--repeat', '3', '--start', 'town', '--content', 'data', '--steps', '50,100');
    expect(a).toMatchObject({ world: 'default', behavior: 'fight', postgres: true, repeat: 3, start: 'town', content: join(ROOT, 'data'), steps: [50, 100] });
  });

  it('refuses bad values, naming the option', () => {
    expect(() => parse('--world', 'moon')).toThrow(/--world must be one of generated, default/);
    expect(() => parse('--repeat', '0')).toThrow(/--repeat must be an integer >= 1/);
    expect(() => parse('--repeat', '1.5')).toThrow(/--repeat must be an integer/);
    expect(() => parse('--repeat', String(MAX_REPEAT + 1))).toThrow(/--repeat/);
    expect(() => parse('--repeat')).toThrow(/--repeat needs a value/);
    expect(() => parse('--repeat', '--postgres')).toThrow(/--repeat needs a value/);
    expect(() => parse('--world', 'default', '--content', 'no/such/dir')).toThrow(/--content must name a content folder with a world\.json/);
    expect(() => parse('--world', 'default', '--start', 'a b')).toThrow(/--start must be a zone name/);
    expect(() => parse('--behavior', 'dance')).toThrow(/--behavior must be one of/);
    expect(() => parse('--steps', '100,50')).toThrow(/--steps must grow/);
    expect(() => parse('--steps', '10,,20')).toThrow(/--steps must be a comma-separated list/);
    expect(() => parse('--frobnicate')).toThrow(LoadArgsError);
  });

  it('keeps each world to its own options', () => {
    expect(() => parse('--world', 'default', '--zone', '256')).toThrow(/--zone: the default world brings its own zones and NPCs/);
    expect(() => parse('--world', 'default', '--npcs', '10', '--npc-template', 'npc.boar')).toThrow(/--npcs, --npc-template/);
    expect(() => parse('--start', 'town')).toThrow(/--start: only with --world default/);
    expect(() => parse('--content', 'data')).toThrow(/--content: only with --world default/);
    // The generated world's options still work there, in any order with --world.
    expect(parse('--zone', '256', '--world', 'generated').zone).toBe(256);
  });
});

describe('variantOf', () => {
  it('is empty for the recorded default run and names every departure from it', () => {
    expect(variantOf(parse())).toBe('');
    expect(variantOf(parse('--repeat', '3'))).toBe('');
    expect(variantOf(parse('--behavior', 'fight', '--npc-template', 'npc.boar'))).toBe('-fight-boar');
    expect(variantOf(parse('--world', 'default', '--behavior', 'fight', '--postgres'))).toBe('-fight-default-postgres');
    expect(variantOf(parse('--world', 'default'))).toBe('-default');
  });
});

describe('--npc-scale', () => {
  it('is a positive factor for the default world only, and names the results file', () => {
    expect(parse('--world', 'default', '--npc-scale', '10').npcScale).toBe(10);
    expect(parse().npcScale).toBe(1);
    expect(() => parse('--world', 'default', '--npc-scale', '0')).toThrow(/--npc-scale must be a number >= 0\.1/);
    expect(() => parse('--npc-scale', '10')).toThrow(/--npc-scale: only with --world default/);
    expect(variantOf(parse('--world', 'default', '--behavior', 'fight', '--npc-scale', '10'))).toBe('-fight-default-npcx10');
  });
});

describe('--hunt', () => {
  it('spreads fight bots by default; `nearest` (the crowded case) is asked for, named in the file, and only for the default world', () => {
    expect(parse().hunt).toBe('spread');
    expect(parse('--world', 'default', '--behavior', 'fight', '--hunt', 'nearest').hunt).toBe('nearest');
    expect(variantOf(parse('--world', 'default', '--behavior', 'fight', '--npc-scale', '10', '--hunt', 'nearest'))).toBe('-fight-default-npcx10-hunt-nearest');
    expect(() => parse('--world', 'default', '--hunt', 'camp')).toThrow(/--hunt must be one of spread, nearest \(got "camp"\)/);
    expect(() => parse('--hunt', 'nearest')).toThrow(/--hunt: only with --world default/);
  });
});

describe('--tick-hz and --send-hz', () => {
  it('run the server at other rates: snapshots at 20 Hz or the tick rate when lower, never above it, named in the file', () => {
    expect(parse()).toMatchObject({ tickHz: 20, sendHz: 20 });
    expect(parse('--tick-hz', '60')).toMatchObject({ tickHz: 60, sendHz: 20 });
    expect(parse('--tick-hz', '10')).toMatchObject({ tickHz: 10, sendHz: 10 });
    expect(parse('--tick-hz', '60', '--send-hz', '60')).toMatchObject({ tickHz: 60, sendHz: 60 });
    expect(variantOf(parse('--tick-hz', '60'))).toBe('-tick60-send20');
    expect(variantOf(parse('--tick-hz', '20', '--send-hz', '20'))).toBe('');
    expect(() => parse('--tick-hz', '30', '--send-hz', '40')).toThrow(/--send-hz 40 is above --tick-hz 30/);
    expect(() => parse('--tick-hz', '61')).toThrow(/--tick-hz/);
    expect(() => parse('--send-hz', '0')).toThrow(/--send-hz/);
  });

  it('budget one tick, at most 50 ms', () => {
    expect([10, 20, 30, 60].map(tickBudgetMs)).toEqual([50, 50, 33, 16]);
  });
});

describe('--input-hz', () => {
  it('sets how often a moving bot sends its input (10 by default), named in the file, refused out of 1..60', () => {
    expect(parse()).toMatchObject({ inputHz: 10 });
    expect(parse('--input-hz', '30')).toMatchObject({ inputHz: 30 });
    expect(variantOf(parse('--input-hz', '30'))).toBe('-input30');
    expect(variantOf(parse('--input-hz', '10'))).toBe('');
    expect(variantOf(parse('--tick-hz', '60', '--input-hz', '20'))).toBe('-tick60-send20-input20');
    for (const bad of ['0', '61', '2.5', 'x']) expect(() => parse('--input-hz', bad)).toThrow(/--input-hz must be an integer >= 1 and <= 60/);
    expect(() => parse('--input-hz')).toThrow(/--input-hz needs a value/);
  });
});

describe('--server-node-arg', () => {
  it('passes node or V8 flags to the server process only, one per option, named in the file', () => {
    const a = parse('--server-node-arg', '--max-semi-space-size=4', '--server-node-arg', '--no-opt');
    expect(a.serverNodeArgs).toEqual(['--max-semi-space-size=4', '--no-opt']);
    expect(parse().serverNodeArgs).toEqual([]);
    expect(variantOf(a)).toBe('-node-args');
  });

  it('refuses what is not one flag: a missing value, a plain word, spaces, a script', () => {
    expect(() => parse('--server-node-arg')).toThrow(/--server-node-arg needs one node or V8 flag/);
    expect(() => parse('--server-node-arg', 'max-semi-space-size=4')).toThrow(/--server-node-arg needs one node or V8 flag/);
    expect(() => parse('--server-node-arg', '--a=1 --b')).toThrow(/--server-node-arg/);
    expect(() => parse('--server-node-arg', 'evil.js')).toThrow(/--server-node-arg/);
    expect(() => parse('--server-node-arg', '--')).toThrow(/--server-node-arg/);
  });
});
