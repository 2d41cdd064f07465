import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cpuBetween,
  descendants,
  judgeRepresentative,
  MachineProbe,
  otherCpuLimit,
  parsePidStat,
  parseSystemStat,
  stepLoad,
  type MachineSample,
  type StepLoad,
} from '../../../bench/lib/machine-load.ts';

const load = (o: Partial<StepLoad>): StepLoad => ({ load1Before: 0.1, load1After: 0.2, otherCpuCores: 0, ownCpuCores: 1, stealCores: 0, seconds: 30, ...o });

describe('the representative rule', () => {
  it('with /proc: other processes may use a tenth of a core on a small machine, 5 % of a big one', () => {
    expect(otherCpuLimit(2)).toBe(0.1);
    expect(otherCpuLimit(64)).toBeCloseTo(3.2);
    expect(judgeRepresentative(load({ otherCpuCores: 0.08 }), 2, 1.5)).toEqual({ representative: true, basis: 'proc', reason: '' });
    const busy = judgeRepresentative(load({ otherCpuCores: 0.4 }), 2, 1.5);
    expect(busy).toMatchObject({ representative: false, basis: 'proc' });
    expect(busy.reason).toMatch(/other processes used 0\.40 cores \(> 0\.10\)/);
    // The load average does not count when the CPU was measured: the bench's own load raises it.
    expect(judgeRepresentative(load({ otherCpuCores: 0.05, load1After: 9 }), 2, 1.8).representative).toBe(true);
  });

  it('without /proc: the load average beyond what the bench itself kept busy', () => {
    const noProc = { otherCpuCores: null, ownCpuCores: null, stealCores: null };
    expect(judgeRepresentative(load({ ...noProc, load1After: 2.1 }), 2, 1.8)).toMatchObject({ representative: true, basis: 'load-average' });
    const v = judgeRepresentative(load({ ...noProc, load1After: 6 }), 2, 1.8);
    expect(v).toMatchObject({ representative: false, basis: 'load-average' });
    expect(v.reason).toMatch(/load average 6/);
  });
});

describe('/proc parsing', () => {
  it('reads busy and steal ticks from /proc/stat, leaving idle, iowait, irq and softirq out', () => {
    expect(parseSystemStat('cpu  100 5 50 9000 30 7 11 3 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n')).toEqual({ busyTicks: 155, stealTicks: 3 });
    expect(parseSystemStat('intr 1 2 3\n')).toBeNull();
    expect(parseSystemStat('cpu  1 2\n')).toBeNull();
  });

  it('reads the parent and CPU ticks of a process, whatever its name holds', () => {
    const stat = '4242 (node (bench) x) S 17 4242 4242 0 -1 4194304 100 0 0 0 250 75 0 0 20 0 12 0 1000 1 1 18446744073709551615';
    expect(parsePidStat(stat)).toEqual({ ppid: 17, ticks: 325 });
    expect(parsePidStat('garbage')).toBeNull();
    expect(parsePidStat(readFileSync('/proc/self/stat', 'utf8'))?.ppid).toBe(process.ppid);
  });

  it('finds every descendant of the roots and nothing else', () => {
    const parents = new Map([
      [1, 0],
      [10, 1],
      [11, 10],
      [12, 11],
      [20, 1],
      [21, 20],
      [30, 1],
    ]);
    expect([...descendants(parents, [10])].sort()).toEqual([10, 11, 12]);
    expect([...descendants(parents, [10, 21, 99])].sort()).toEqual([10, 11, 12, 21]);
  });

  it('splits the machine busy time into ours and the rest, a new process of ours counted from zero', () => {
    const a = { busyTicks: 1000, stealTicks: 0, ours: new Map([[1, 100], [2, 50]]) };
    const b = { busyTicks: 1600, stealTicks: 20, ours: new Map([[1, 300], [2, 150], [3, 100]]) };
    // 600 ticks busy in 2 s: ours 200 + 100 + 100 = 400 (2 cores), the rest 200 (1 core).
    expect(cpuBetween(a, b, 2)).toEqual({ other: 1, own: 2, steal: 0.1 });
  });

  it('records the load before and after and the CPU between two readings', () => {
    const at = (t: number, l: number, busy: number): MachineSample => ({ at: t, load: [l, 0, 0], proc: { busyTicks: busy, stealTicks: 0, ours: new Map([[1, busy / 2]]) } });
    expect(stepLoad(at(0, 0.5, 1000), at(10_000, 1.5, 2000))).toEqual({ load1Before: 0.5, load1After: 1.5, otherCpuCores: 0.5, ownCpuCores: 0.5, stealCores: 0, seconds: 10 });
    expect(stepLoad({ at: 0, load: [1, 1, 1], proc: null }, { at: 1000, load: [2, 1, 1], proc: null }).otherCpuCores).toBeNull();
  });
});

describe('MachineProbe on this machine', () => {
  const started: number[] = [];
  afterEach(() => {
    for (const pid of started.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  const ticksOf = (pid: number): number => parsePidStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))!.ticks;
  /** Waits (bounded) until process `pid` has used `ticks` more CPU ticks than `from`. */
  const burn = async (pid: number, from: number, ticks: number): Promise<void> => {
    for (let i = 0; i < 300 && ticksOf(pid) < from + ticks; i++) await new Promise((r) => setTimeout(r, 50));
    expect(ticksOf(pid)).toBeGreaterThanOrEqual(from + ticks);
  };
  const spin = 'const end = Date.now() + 60000; while (Date.now() < end) {}';

  it('counts a busy child of the bench as its own, not as other work', async () => {
    const child = spawn(process.execPath, ['-e', spin], { stdio: 'ignore' });
    started.push(child.pid!);
    const probe = new MachineProbe();
    const a = await probe.sample();
    expect(a.proc!.ours.has(child.pid!)).toBe(true);
    const t0 = a.proc!.ours.get(child.pid!)!;
    await burn(child.pid!, t0, 30);
    const b = await probe.sample();
    const seconds = (b.at - a.at) / 1000;
    const cpu = cpuBetween(a.proc!, b.proc!, seconds);
    expect(cpu.own * seconds * 100).toBeGreaterThanOrEqual(30 * 0.9);
  });

  it('counts a busy process outside the bench (detached from it) as other work, and an extra root as its own', async () => {
    // A double fork: the spinner's parent shell exits, so it is nobody's descendant here.
    const pid = Number(execFileSync('sh', ['-c', `"${process.execPath}" -e '${spin}' >/dev/null 2>&1 & echo $!`], { encoding: 'utf8' }).trim());
    started.push(pid);
    const probe = new MachineProbe();
    const a = await probe.sample();
    expect(a.proc!.ours.has(pid)).toBe(false);
    const t0 = ticksOf(pid);
    await burn(pid, t0, 30);
    const b = await probe.sample();
    const seconds = (b.at - a.at) / 1000;
    // Whatever else runs on the box is other work too: at least the spinner's ticks are.
    expect(cpuBetween(a.proc!, b.proc!, seconds).other * seconds * 100).toBeGreaterThanOrEqual(30 * 0.9);
    // Named as a root (the bench's PostgreSQL is found this way), it is the bench's own.
    const withRoot = new MachineProbe(() => [pid]);
    expect((await withRoot.sample()).proc!.ours.has(pid)).toBe(true);
  });
});
