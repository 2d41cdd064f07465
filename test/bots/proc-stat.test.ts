import { describe, expect, it } from 'vitest';
import { parseProcStat } from '../../src/bots/proc-stat.ts';

/** A stat line as the kernel writes one, fields 4 (ppid), 14 and 15 (utime, stime) set. */
function statLine(tid: number, comm: string, utime: number, stime: number): string {
  const after = ['S', '1', '1', '1', '0', '-1', '4194560', '100', '0', '0', '0', String(utime), String(stime), '0', '0', '20', '0', '12', '0', '1000'];
  return `${tid} (${comm}) ${after.join(' ')}\n`;
}

describe('parseProcStat', () => {
  it('reads the name, the parent and the user and system ticks, a name with spaces and parentheses included', () => {
    expect(parseProcStat(statLine(42, 'zone1-cell0', 1234, 56))).toEqual({ comm: 'zone1-cell0', ppid: 1, userTicks: 1234, systemTicks: 56 });
    expect(parseProcStat(statLine(43, 'a) (b c) x', 7, 8))).toEqual({ comm: 'a) (b c) x', ppid: 1, userTicks: 7, systemTicks: 8 });
  });

  it('refuses text that is not a stat line', () => {
    for (const bad of ['', 'garbage', '12 (x) S 1 2', statLine(1, 'x', 1, 2).replace(' 1 2 0 0 20', ' -1 2 0 0 20'), '1 (x S 1 1 1 0 -1 0 0 0 0 0 5 6']) {
      expect(parseProcStat(bad), bad).toBeNull();
    }
  });
});
