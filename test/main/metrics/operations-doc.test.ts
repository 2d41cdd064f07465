import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_PATH, RULES_PATH, dashboardPanels } from './expressions.ts';

const DOC = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string) => heading.trim().toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');

describe('docs/operations.md stays true to grafana/', () => {
  it('explains every dashboard panel', () => {
    const missing = dashboardPanels().filter((p) => !DOC.includes(`*${p.title}*`)).map((p) => p.title);
    expect(missing).toEqual([]);
  });

  it('has a section for every alert, and every runbook link lands on one', () => {
    const rules = readFileSync(RULES_PATH, 'utf8');
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    const anchors = new Set([...DOC.matchAll(/^#+ (.+)$/gm)].map((m) => anchor(m[1])));
    for (const a of alerts) expect(DOC, a).toContain(`### ${a}\n`);
    const runbooks = [...rules.matchAll(/runbook: docs\/operations\.md#([\w-]+)/g)].map((m) => m[1]);
    expect(runbooks).toHaveLength(alerts.length);
    for (const r of runbooks) expect(anchors, r).toContain(r);
  });

  it('lists every tessera_ metric family the dashboard uses in the reference table', () => {
    const dash = readFileSync(DASHBOARD_PATH, 'utf8');
    const families = new Set([...dash.matchAll(/\b(tessera_[a-z0-9_]+?)(?:_bucket|_sum|_count)?\b/g)].map((m) => m[1]));
    const missing = [...families].filter((f) => !DOC.includes(`| \`${f}\` |`));
    expect(missing).toEqual([]);
  });
});

describe('dashboard layout', () => {
  it('has unique panel ids, fits the 24-column grid, and every query uses the datasource variable', () => {
    const dash = JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8')) as {
      panels: { id: number; type: string; gridPos: { x: number; y: number; w: number; h: number }; description?: string; targets?: { datasource?: { uid: string } }[] }[];
    };
    const ids = dash.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const taken = new Set<string>();
    for (const p of dash.panels) {
      const g = p.gridPos;
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          const cell = `${x},${y}`;
          expect(taken.has(cell), `panel ${p.id} overlaps at ${cell}`).toBe(false);
          taken.add(cell);
        }
      }
      if (p.type === 'row') continue;
      expect(p.description, `panel ${p.id}`).toBeTruthy();
      for (const t of p.targets ?? []) expect(t.datasource?.uid).toBe('${datasource}');
    }
  });
});
