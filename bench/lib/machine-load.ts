/**
 * How busy the machine was with work other than the bench's own, around
 * each step: the load average, and (on Linux) the CPU time of every other
 * process, from /proc. The bench's own processes are this one (the bots'
 * worker threads are its threads), its descendants (the server and its
 * threads) and any extra roots it names (a PostgreSQL it started, which
 * detaches from its launcher). Other CPU = the machine's busy time
 * (user + nice + system in /proc/stat) minus ours: interrupt and softirq
 * time is left out on both sides, since loopback TCP between the bots and
 * the server is counted there and is ours; steal is kept apart.
 */
import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { parseProcStat } from '../../src/bots/proc-stat.ts';

/** USER_HZ: the unit of /proc's CPU times (100 on every Linux build that matters). */
export const CLOCK_TICKS = 100;

/** One reading of the machine. */
export interface MachineSample {
  at: number;
  /** 1, 5 and 15 min load averages. */
  load: [number, number, number];
  /** Null where /proc cannot be read (not Linux). */
  proc: ProcReading | null;
}

export interface ProcReading {
  /** user + nice + system over all CPUs, ticks. */
  busyTicks: number;
  stealTicks: number;
  /** utime + stime of each live process of ours, ticks, by pid. */
  ours: Map<number, number>;
}

/** The step's view of the machine, as the JSON and the table record it. */
export interface StepLoad {
  /** 1-minute load average before the step (its ramp) and after its window. */
  load1Before: number;
  load1After: number;
  /** Cores used by other processes over the step (ramp to end of window); null without /proc. */
  otherCpuCores: number | null;
  /** Cores used by the bench's own processes (bots, server, its database) over the step; null without /proc. */
  ownCpuCores: number | null;
  /** Cores the hypervisor gave to others (steal); null without /proc. */
  stealCores: number | null;
  seconds: number;
}

/** The representative rule's verdict. */
export interface Verdict {
  representative: boolean;
  /** 'proc': other processes' CPU measured; 'load-average': estimated from the load average. */
  basis: 'proc' | 'load-average';
  /** Why not (empty when representative). */
  reason: string;
}

/** The most other processes may use during a step: a tenth of a core, or 5 % of the machine on a big one. */
export function otherCpuLimit(cores: number): number {
  return Math.max(0.1, 0.05 * cores);
}

/** Without /proc: load beyond the bench's own CPU that marks other work (half a core, or a quarter of the machine). */
export function excessLoadLimit(cores: number): number {
  return Math.max(0.5, 0.25 * cores);
}

/**
 * Was the step measured on a machine doing nothing else? With /proc: other
 * processes used at most otherCpuLimit() cores over the step. Without it:
 * the 1-minute load average after the step exceeds what the bench itself
 * kept busy (`ownCpuCoresEstimate`: server + bots) by at most
 * excessLoadLimit() (coarse: the load average lags by a minute and counts
 * waiting threads).
 */
export function judgeRepresentative(s: StepLoad, cores: number, ownCpuCoresEstimate: number | null): Verdict {
  if (s.otherCpuCores !== null) {
    const limit = otherCpuLimit(cores);
    return s.otherCpuCores > limit
      ? { representative: false, basis: 'proc', reason: `other processes used ${s.otherCpuCores.toFixed(2)} cores (> ${limit.toFixed(2)})` }
      : { representative: true, basis: 'proc', reason: '' };
  }
  const excess = s.load1After - (ownCpuCoresEstimate ?? 0);
  const limit = excessLoadLimit(cores);
  return excess > limit
    ? { representative: false, basis: 'load-average', reason: `load average ${s.load1After} exceeds the bench's own ${(ownCpuCoresEstimate ?? 0).toFixed(2)} cores by more than ${limit}` }
    : { representative: true, basis: 'load-average', reason: '' };
}

/** Ticks of user + nice + system, and steal, from the machine's /proc/stat (its first line). */
export function parseSystemStat(text: string): { busyTicks: number; stealTicks: number } | null {
  const line = text.split('\n', 1)[0];
  if (!line.startsWith('cpu ')) return null;
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 8 || f.slice(0, 8).some((x) => !Number.isFinite(x))) return null;
  return { busyTicks: f[0] + f[1] + f[2], stealTicks: f[7] };
}

/** Parent pid and utime + stime (ticks) from a /proc/<pid>/stat text. */
export function parsePidStat(text: string): { ppid: number; ticks: number } | null {
  const s = parseProcStat(text);
  return s ? { ppid: s.ppid, ticks: s.userTicks + s.systemTicks } : null;
}

/** The pids of `roots` and all their descendants, from a pid → parent table. */
export function descendants(parents: ReadonlyMap<number, number>, roots: readonly number[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out = new Set<number>();
  const stack = roots.filter((r) => parents.has(r));
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (out.has(pid)) continue;
    out.add(pid);
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return out;
}

/**
 * Cores used between two readings: the machine's busy time, ours, and the
 * rest. A process of ours that started in between counts from zero; one that
 * ended in between is lost from ours (its time shows as other work), which
 * the bench avoids by starting nothing during a step.
 */
export function cpuBetween(a: ProcReading, b: ProcReading, seconds: number, ticksPerSecond = CLOCK_TICKS): { other: number; own: number; steal: number } {
  let own = 0;
  for (const [pid, t] of b.ours) own += t - (a.ours.get(pid) ?? 0);
  const busy = b.busyTicks - a.busyTicks;
  const cores = (ticks: number): number => Math.round((ticks / ticksPerSecond / seconds) * 100) / 100;
  return { other: cores(Math.max(0, busy - own)), own: cores(own), steal: cores(b.stealTicks - a.stealTicks) };
}

/** Reads the machine: load average always, /proc where there is one. `roots()` names the extra root pids (called at each reading). */
export class MachineProbe {
  private readonly roots: () => number[];
  readonly cores = availableParallelism();

  constructor(roots: () => number[] = () => []) {
    this.roots = roots;
  }

  async sample(): Promise<MachineSample> {
    const l = loadavg();
    const load: [number, number, number] = [round2(l[0]), round2(l[1]), round2(l[2])];
    return { at: Date.now(), load, proc: await this.readProc() };
  }

  private async readProc(): Promise<ProcReading | null> {
    let stat: { busyTicks: number; stealTicks: number } | null;
    let names: string[];
    try {
      stat = parseSystemStat(await readFile('/proc/stat', 'utf8'));
      names = await readdir('/proc');
    } catch {
      return null;
    }
    if (!stat) return null;
    const parents = new Map<number, number>();
    const ticks = new Map<number, number>();
    await Promise.all(
      names.map(async (name) => {
        if (!/^[0-9]+$/.test(name)) return;
        try {
          const p = parsePidStat(await readFile(`/proc/${name}/stat`, 'utf8'));
          if (!p) return;
          parents.set(Number(name), p.ppid);
          ticks.set(Number(name), p.ticks);
        } catch {
          // gone meanwhile
        }
      }),
    );
    const ours = new Map<number, number>();
    for (const pid of descendants(parents, [process.pid, ...this.roots()])) ours.set(pid, ticks.get(pid) ?? 0);
    return { ...stat, ours };
  }
}

/** What a step records from the readings taken before its ramp and after its window. */
export function stepLoad(before: MachineSample, after: MachineSample): StepLoad {
  const seconds = (after.at - before.at) / 1000;
  const cpu = before.proc && after.proc && seconds > 0 ? cpuBetween(before.proc, after.proc, seconds) : null;
  return {
    load1Before: before.load[0],
    load1After: after.load[0],
    otherCpuCores: cpu?.other ?? null,
    ownCpuCores: cpu?.own ?? null,
    stealCores: cpu?.steal ?? null,
    seconds: Math.round(seconds * 10) / 10,
  };
}

/**
 * The pid of the PostgreSQL server listening on `port` (its postmaster,
 * whose backends are its children), from /proc/<pid>/cmdline; null when
 * none is found. It runs detached from the launcher, so it is not among the
 * bench's descendants.
 */
export async function postmasterPid(port: number): Promise<number | null> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    return null;
  }
  for (const name of names) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const args = (await readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0');
      if (!args[0]?.endsWith('postgres')) continue;
      const p = args.indexOf('-p');
      if (p >= 0 && args[p + 1] === String(port)) return Number(name);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
