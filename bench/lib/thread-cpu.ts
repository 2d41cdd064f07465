/**
 * Where a load step's CPU went, per thread and split into user and kernel
 * time: the server's coordinator (login, accounts and the gate), its cells,
 * its other threads (PGlite, V8's helpers), and the bots' process. Read
 * from Linux's /proc/PID/task/TID/stat; elsewhere there is no split.
 *
 * The cells' tick figures are wall time: on a full box a cell thread
 * waits to be scheduled inside its replicate phase, which then looks
 * twice as dear as the CPU it used (docs/benchmarks.md, 2026-12-04). This
 * is the CPU.
 */
import { readdir, readFile } from 'node:fs/promises';
import { parseProcStat } from '../../src/bots/proc-stat.ts';

/** Cores used over a window: user mode and kernel (system calls: the sockets). */
export interface CpuSplit {
  userCores: number;
  kernelCores: number;
}

export interface WindowCpu {
  /** The server's main thread: the coordinator, which runs the gate. */
  coordinator: CpuSplit;
  /** The cell threads together, and how many there were. */
  cells: CpuSplit & { threads: number };
  /** The server's other threads: PGlite's, the hashing pool's, V8's and libuv's helpers. */
  serverOther: CpuSplit;
  /** The bots' whole process. */
  bots: CpuSplit;
}

/** One thread's CPU so far, in seconds. */
export interface ThreadTimes {
  comm: string;
  userSeconds: number;
  systemSeconds: number;
}

/** Every thread of a process at one moment, by thread id. */
export interface ProcessThreads {
  pid: number;
  /** When it was read (Date.now()). */
  at: number;
  threads: Map<number, ThreadTimes>;
}

/** A cell host thread's name (main/zones: `zone<id>-cell<n>`, or a spare's `cell-spare-<n>`), as the kernel keeps it (15 bytes). */
const CELL_THREAD = /^(zone\d+-cell\d*|cell-spare)/;

/** Every thread of `pid` now; null when /proc cannot be read (not Linux, or the process is gone). */
export async function readProcessThreads(pid: number, clockTicksPerSecond = 100): Promise<ProcessThreads | null> {
  const at = Date.now();
  let tids: string[];
  try {
    tids = await readdir(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const threads = new Map<number, ThreadTimes>();
  await Promise.all(
    tids.map(async (tid) => {
      // A thread may end between the listing and the read: it is left out.
      const text = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
      const s = parseProcStat(text);
      if (s) threads.set(Number(tid), { comm: s.comm, userSeconds: s.userTicks / clockTicksPerSecond, systemSeconds: s.systemTicks / clockTicksPerSecond });
    }),
  );
  return { pid, at, threads };
}

const zero = (): CpuSplit => ({ userCores: 0, kernelCores: 0 });

/**
 * The server's CPU between readings `a` and `b` of its threads, by role; a
 * thread that started in between counts from zero, one that ended is
 * missing from `b` and lost. `bots` is the bot process's own split over
 * the same window (BotFleet.windowCpuSplit).
 */
export function windowCpu(a: ProcessThreads, b: ProcessThreads, bots: CpuSplit): WindowCpu {
  const out: WindowCpu = { coordinator: zero(), cells: { ...zero(), threads: 0 }, serverOther: zero(), bots: { ...bots } };
  const seconds = (b.at - a.at) / 1000;
  if (!(seconds > 0)) return out;
  for (const [tid, t] of b.threads) {
    const before = a.threads.get(tid);
    const user = (t.userSeconds - (before?.userSeconds ?? 0)) / seconds;
    const kernel = (t.systemSeconds - (before?.systemSeconds ?? 0)) / seconds;
    const into = tid === b.pid ? out.coordinator : CELL_THREAD.test(t.comm) ? out.cells : out.serverOther;
    into.userCores += user;
    into.kernelCores += kernel;
    if (into === out.cells) out.cells.threads++;
  }
  for (const s of [out.coordinator, out.cells, out.serverOther, out.bots]) {
    s.userCores = Math.round(s.userCores * 100) / 100;
    s.kernelCores = Math.round(s.kernelCores * 100) / 100;
  }
  return out;
}

const cores = (s: CpuSplit): string => `${s.userCores.toFixed(2)} + ${s.kernelCores.toFixed(2)} kernel`;

/** One line: each part's user + kernel cores. */
export function windowCpuLine(c: WindowCpu): string {
  return (
    `coordinator ${cores(c.coordinator)}, cells ${cores(c.cells)} (${c.cells.threads} threads), ` +
    `other server threads ${cores(c.serverOther)}, bots ${cores(c.bots)}`
  );
}
