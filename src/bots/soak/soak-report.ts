/**
 * The soak's report: every fault injected and every check, each with a
 * pass or a fail, as JSON (for tests and tools) and as a markdown table
 * (for bench/results and reviews).
 */
import type { FaultRecord } from './faults.ts';

export interface SoakCheck {
  name: string;
  pass: boolean;
  detail: string;
  /** A failure with a known, documented cause (the report still fails). */
  known?: string;
  /** Every finding behind a failure (the detail names the first few), in the JSON only. */
  findings?: string[];
}

export interface SoakReport {
  startedAt: string;
  minutes: number;
  bots: number;
  zones: string;
  behavior: string;
  /** The box while it ran: cores and the load average at the start and end. */
  box: { cores: number; loadStart: number[]; loadEnd: number[] };
  faults: FaultRecord[];
  checks: SoakCheck[];
  /** What the bots did, summed. */
  activity: Record<string, number>;
  pass: boolean;
}

/** The report as markdown: a summary, the faults table and the checks table. */
export function soakMarkdown(r: SoakReport): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const lines = [
    `# Soak ${r.startedAt}: ${r.pass ? 'PASS' : 'FAIL'}`,
    '',
    `${r.minutes} min, ${r.bots} bots (${r.behavior}), zones ${r.zones}; ${r.box.cores} cores, load average (1/5/15 min) ${load(r.box.loadStart)} at the start, ${load(r.box.loadEnd)} at the end.`,
    '',
    `Activity: ${Object.entries(r.activity)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    '## Faults',
    '',
    '| at (s) | fault | target | recovered | in (ms) | detail |',
    '|---:|---|---|---|---:|---|',
    ...r.faults.map((f) => `| ${(f.at / 1000).toFixed(1)} | ${f.fault} | ${cell(f.target)} | ${f.ok ? 'pass' : 'FAIL'} | ${f.recoveredMs ?? '—'} | ${cell(f.detail)} |`),
    '',
    '## Checks',
    '',
    '| check | result | detail |',
    '|---|---|---|',
    ...r.checks.map((c) => `| ${cell(c.name)} | ${c.pass ? 'pass' : c.known ? 'FAIL (known)' : 'FAIL'} | ${cell(c.detail)}${!c.pass && c.known ? ` — known: ${cell(c.known)}` : ''} |`),
    '',
  ];
  return lines.join('\n');
}
