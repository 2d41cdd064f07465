import { describe, expect, it } from 'vitest';
import { dashboardExpressions } from './expressions.ts';

/**
 * The send pacing is watched on the dashboard: the per-client histograms
 * the cells fold per cell (ack lag, frame interval) each have a panel with
 * their p50 and p99, and the pacing changes theirs. (names.test.ts checks
 * that these names are exported; prometheus.test.ts that the expressions
 * run and return series.)
 */
describe('dashboard: client pacing', () => {
  const exprs = dashboardExpressions();

  for (const family of ['tessera_client_ack_lag_seconds', 'tessera_client_frame_interval_seconds']) {
    it(`shows ${family} at p50 and p99 in one panel`, () => {
      const quantiles = (q: string) => exprs.filter((e) => e.expr.includes(`histogram_quantile(${q},`) && e.expr.includes(`${family}_bucket`)).map((e) => e.title);
      const p50 = quantiles('0.5');
      expect(p50).toHaveLength(1);
      expect(quantiles('0.99')).toEqual(p50);
    });
  }

  it('shows backoffs and recoveries', () => {
    expect(exprs.filter((e) => /by \([^)]*\bchange\b[^)]*\) \(rate\(tessera_client_pacing_changes_total\b/.test(e.expr))).toHaveLength(1);
  });
});
