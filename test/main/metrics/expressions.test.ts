import { describe, expect, it } from 'vitest';
import { dashboardExpressions, dashboardPanels, substituteGrafanaVariables, withBool } from './expressions.ts';

describe('dashboard and rule expression helpers', () => {
  it('puts bool after the last top-level comparison of each and/or operand', () => {
    expect(withBool('tessera_cell_up == 0')).toBe('tessera_cell_up == bool 0');
    expect(withBool('a{x=">"} > on (zone) group_left () (0.8 / b)')).toBe('a{x=">"} > bool on (zone) group_left () (0.8 / b)');
    expect(withBool('q > 100 and deriv(q[10m]) > 0')).toBe('q > bool 100 and deriv(q[10m]) > bool 0');
    expect(withBool('sum(rate(x[5m])) > 0.5 * sum(y) + 0.1')).toBe('sum(rate(x[5m])) > bool 0.5 * sum(y) + 0.1');
    expect(withBool('x >= 1')).toBe('x >= bool 1');
  });

  it('substitutes the Grafana variables the dashboard uses', () => {
    expect(substituteGrafanaVariables('rate(a{zone=~"$zone"}[$__rate_interval])')).toBe('rate(a{zone=~".*"}[15s])');
  });

  it('finds at least 12 panels, each with a query', () => {
    const panels = dashboardPanels();
    expect(panels.length).toBeGreaterThanOrEqual(12);
    for (const p of panels) expect(p.targets?.length, p.title).toBeGreaterThan(0);
    expect(dashboardExpressions().length).toBeGreaterThanOrEqual(panels.length);
  });
});
