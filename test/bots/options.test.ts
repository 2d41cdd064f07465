import { describe, expect, it } from 'vitest';
import { httpBase, OptionError, parseBotArgs, playUrl } from '../../src/bots/options.ts';

describe('parseBotArgs', () => {
  it('reads every option', () => {
    const o = parseBotArgs(['--url', 'http://127.0.0.1:9000', '--count', '40', '--duration=12', '--ramp', '3', '--behavior', 'mixed', '--guests', '--report', 'r.json', '--workers', '2', '--input-hz', '5', '--seed', '7', '--local-address', '127.0.0.2', '--hunt', 'nearest']);
    expect(o).toMatchObject({ hunt: 'nearest', url: 'http://127.0.0.1:9000', count: 40, duration: 12, ramp: 3, behavior: 'mixed', guests: true, report: 'r.json', workers: 2, inputHz: 5, seed: 7, localAddress: '127.0.0.2' });
  });

  it('names the option in every error', () => {
    const bad: [string[], RegExp][] = [
      [['--count', '5'], /--url is required/],
      [['--url', 'http://x'], /--count is required/],
      [['--url', 'ftp://x', '--count', '1'], /--url must be/],
      [['--url', 'http://x', '--count', '0'], /--count must be an integer/],
      [['--url', 'http://x', '--count', '2.5'], /--count must be an integer/],
      [['--url', 'http://x', '--count', '1', '--behavior', 'dance'], /--behavior must be one of wander, fight, mixed, quest/],
      [['--url', 'http://x', '--count', '1', '--hunt', 'camp'], /--hunt must be one of spread, nearest/],
      [['--url', 'http://x', '--count', '1', '--duration', '5', '--ramp', '5'], /--ramp .* shorter than --duration/],
      [['--url', 'http://x', '--count', '1', '--bogus'], /unknown option "--bogus"/],
      [['--url', 'http://x', '--count', '1', '--local-address', 'localhost'], /--local-address must be an IP address/],
    ];
    for (const [argv, re] of bad) {
      expect(() => parseBotArgs(argv)).toThrow(OptionError);
      expect(() => parseBotArgs(argv)).toThrow(re);
    }
  });

  it('never uses more workers than bots', () => {
    expect(parseBotArgs(['--url', 'http://x', '--count', '1', '--workers', '4']).workers).toBe(1);
  });

  it('derives the WebSocket and HTTP endpoints', () => {
    expect(playUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/play');
    expect(playUrl('ws://127.0.0.1:8080/play')).toBe('ws://127.0.0.1:8080/play');
    expect(httpBase('ws://127.0.0.1:8080/play')).toBe('http://127.0.0.1:8080');
    expect(httpBase('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
  });
});
