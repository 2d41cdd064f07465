import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSmapsRollup } from '../../../bench/lib/smaps-rollup.ts';

const SAMPLE = `00400000-7fffcc7e4000 ---p 00000000 00:00 0                              [rollup]
Rss:              259912 kB
Pss:              228626 kB
Pss_Dirty:        196492 kB
Pss_Anon:         196444 kB
Pss_File:          32182 kB
Pss_Shmem:             0 kB
Shared_Clean:      54568 kB
Shared_Dirty:          0 kB
Private_Clean:      8852 kB
Private_Dirty:    196492 kB
Referenced:       259912 kB
Anonymous:        196444 kB
`;

describe('parseSmapsRollup', () => {
  it('reads RSS, PSS, and the private and shared pages, in bytes', () => {
    expect(parseSmapsRollup(SAMPLE)).toEqual({
      rssBytes: 259912 * 1024,
      pssBytes: 228626 * 1024,
      privateBytes: (8852 + 196492) * 1024,
      sharedBytes: 54568 * 1024,
    });
  });

  it('reads this process\'s own rollup: private and shared pages make up its RSS', () => {
    const r = parseSmapsRollup(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    expect(r.rssBytes).toBeGreaterThan(0);
    expect(r.privateBytes + r.sharedBytes).toBe(r.rssBytes);
    expect(r.pssBytes).toBeLessThanOrEqual(r.rssBytes);
  });

  it('refuses a text without the fields it needs, a repeated field, or a count that is not kB', () => {
    expect(() => parseSmapsRollup('')).toThrow(/no Rss, Pss, Private_Clean, Private_Dirty, Shared_Clean, Shared_Dirty/);
    expect(() => parseSmapsRollup(SAMPLE.replace(/^Pss: .*$/m, 'Pss: lots'))).toThrow(/no Pss$/);
    expect(() => parseSmapsRollup(SAMPLE.replace(/^Rss: .*$/m, 'Rss: 12 MB'))).toThrow(/no Rss$/);
    expect(() => parseSmapsRollup(`${SAMPLE}Rss: 1 kB\n`)).toThrow(/Rss given twice/);
  });
});
