/**
 * Where a load-bench step's tick time went: the cells whose ticks were
 * slowest and the systems that took the most time, from the difference of
 * the server's tick and system histograms over the step's window. A step
 * that misses its tick budget then names its cause (one crowded cell, one
 * system) instead of leaving it to a second run with a profiler.
 */
import { bucketsDelta, bucketsQuantile, bucketsTotal, type Scrape } from '../../src/bots/prom-parse.ts';

const TICK = 'tessera_tick_duration_seconds';
const SYSTEM = 'tessera_system_duration_seconds';

/** A cell's whole ticks (simulate and replicate, barrier waits excluded) over the window. */
export interface HotCell {
  zone: string;
  cell: string;
  ticks: number;
  p99Ms: number | null;
  meanMs: number;
}

/** A system of one cell over the window. */
export interface HotSystem {
  zone: string;
  cell: string;
  system: string;
  runs: number;
  /** Mean time per run, ms. */
  meanMs: number;
  p99Ms: number | null;
  /** Share of that cell's tick time. */
  shareOfCell: number;
}

export interface HotSpots {
  /** The slowest cells by tick p99 (then mean), at most `limit`. */
  cells: HotCell[];
  /** The systems with the most total time, at most `limit`, across all cells. */
  systems: HotSystem[];
}

const round = (v: number): number => Math.round(v * 1000) / 1000;
const ms = (s: number | null): number | null => (s === null ? null : round(s * 1000));

function sumDelta(a: Scrape | null, b: Scrape, name: string, labels: Record<string, string>): number {
  return (b.sum(name, labels) ?? 0) - (a?.sum(name, labels) ?? 0);
}

/** The window's hot spots between scrapes `a` and `b`; empty when the server exports no cell histograms. */
export function windowHotSpots(a: Scrape | null, b: Scrape | null, limit = 5): HotSpots {
  if (!b || !b.has(`${TICK}_bucket`)) return { cells: [], systems: [] };
  const cells: HotCell[] = [];
  const cellSeconds = new Map<string, number>();
  for (const s of b.byName.get(`${TICK}_count`) ?? []) {
    if (s.labels.phase !== 'total') continue;
    const labels = { zone: s.labels.zone, cell: s.labels.cell, phase: 'total' };
    const later = b.histogram(TICK, labels);
    if (!later) continue;
    const h = bucketsDelta(later, a?.histogram(TICK, labels) ?? null);
    const ticks = bucketsTotal(h);
    if (ticks <= 0) continue;
    const seconds = sumDelta(a, b, `${TICK}_sum`, labels);
    cellSeconds.set(`${labels.zone}/${labels.cell}`, seconds);
    cells.push({ zone: labels.zone, cell: labels.cell, ticks, p99Ms: ms(bucketsQuantile(h, 0.99)), meanMs: round((seconds / ticks) * 1000) });
  }
  cells.sort((x, y) => (y.p99Ms ?? 0) - (x.p99Ms ?? 0) || y.meanMs - x.meanMs);

  const systems: (HotSystem & { seconds: number })[] = [];
  for (const s of b.byName.get(`${SYSTEM}_count`) ?? []) {
    const labels = { zone: s.labels.zone, cell: s.labels.cell, system: s.labels.system };
    const runs = s.value - (a?.sum(`${SYSTEM}_count`, labels) ?? 0);
    if (runs <= 0) continue;
    const seconds = sumDelta(a, b, `${SYSTEM}_sum`, labels);
    const later = b.histogram(SYSTEM, labels);
    const h = later ? bucketsDelta(later, a?.histogram(SYSTEM, labels) ?? null) : null;
    const ofCell = cellSeconds.get(`${labels.zone}/${labels.cell}`) ?? 0;
    systems.push({
      ...labels,
      runs,
      meanMs: round((seconds / runs) * 1000),
      p99Ms: h ? ms(bucketsQuantile(h, 0.99)) : null,
      shareOfCell: ofCell > 0 ? round(seconds / ofCell) : 0,
      seconds,
    });
  }
  systems.sort((x, y) => y.seconds - x.seconds);
  return {
    cells: cells.slice(0, limit),
    systems: systems.slice(0, limit).map(({ seconds: _, ...rest }) => rest),
  };
}

/** One line for the bench log: the slowest cell and the costliest systems. */
export function hotSpotsLine(h: HotSpots): string {
  if (h.cells.length === 0) return 'hot spots: none exported';
  const c = h.cells[0];
  const systems = h.systems.slice(0, 3).map((s) => `${s.system}@${s.zone}/${s.cell} ${s.meanMs} ms mean, p99 ${s.p99Ms ?? '–'} ms (${Math.round(s.shareOfCell * 100)}% of its cell)`);
  return `hot spots: slowest cell ${c.zone}/${c.cell} tick p99 ${c.p99Ms ?? '–'} ms, mean ${c.meanMs} ms | ${systems.join(' | ')}`;
}
