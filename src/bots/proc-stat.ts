/**
 * One line of Linux's /proc/PID/stat (or /proc/PID/task/TID/stat): the
 * fields the bots and benches read. The command name may hold spaces and
 * parentheses, so the fields are counted from the last ')'.
 */
export interface ProcStat {
  comm: string;
  ppid: number;
  /** utime and stime (fields 14 and 15), in clock ticks. */
  userTicks: number;
  systemTicks: number;
}

/** The fields of a stat line, or null for text that is not one. */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // After "pid (comm) ": f[0] state (field 3), f[1] ppid (4), f[11] utime (14), f[12] stime (15).
  const f = text.slice(close + 2).split(' ');
  const ppid = Number(f[1]);
  const userTicks = Number(f[11]);
  const systemTicks = Number(f[12]);
  if (f.length < 13 || !Number.isSafeInteger(ppid) || !Number.isSafeInteger(userTicks) || !Number.isSafeInteger(systemTicks) || userTicks < 0 || systemTicks < 0) return null;
  return { comm: text.slice(open + 1, close), ppid, userTicks, systemTicks };
}
