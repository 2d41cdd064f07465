/**
 * /proc/PID/smaps_rollup, the kernel's totals over a process's mappings:
 * what its RSS is made of. RSS counts every page the process maps, also
 * the pages of the node binary and the libraries that every other process
 * mapping the same files shares, and counts them once for each mapping (V8
 * maps its embedded builtins again for each isolate). PSS divides each
 * shared page among the processes that map it; private pages are the
 * process's own memory, what stopping it would give back.
 */
export interface SmapsRollup {
  rssBytes: number;
  pssBytes: number;
  /** Private_Clean + Private_Dirty: pages no other process maps. */
  privateBytes: number;
  /** Shared_Clean + Shared_Dirty: pages other processes map too. */
  sharedBytes: number;
}

const FIELDS = { Rss: 'rssBytes', Pss: 'pssBytes', Private_Clean: 'privateBytes', Private_Dirty: 'privateBytes', Shared_Clean: 'sharedBytes', Shared_Dirty: 'sharedBytes' } as const;

/** Parses smaps_rollup's text; throws when a field it needs is missing or not a kB count. */
export function parseSmapsRollup(text: string): SmapsRollup {
  const out: SmapsRollup = { rssBytes: 0, pssBytes: 0, privateBytes: 0, sharedBytes: 0 };
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d{1,15}) kB$/.exec(line.trim());
    if (!m || !(m[1] in FIELDS)) continue;
    const name = m[1] as keyof typeof FIELDS;
    if (seen.has(name)) throw new Error(`smaps_rollup: ${name} given twice`);
    seen.add(name);
    out[FIELDS[name]] += Number(m[2]) * 1024;
  }
  const missing = Object.keys(FIELDS).filter((f) => !seen.has(f));
  if (missing.length > 0) throw new Error(`smaps_rollup: no ${missing.join(', ')}`);
  return out;
}
