import { describe, expect, it } from 'vitest';
import { renderLoadPlot, type PlotStep } from '../../src/bots/plot.ts';

describe('renderLoadPlot', () => {
  it('draws four panels with budget lines, and marks the missed step hollow', () => {
    const steps: PlotStep[] = [
      { players: 250, held: true, tickP99Ms: 3, rttPingP99Ms: 4, rttInputP99Ms: 90, serverCpuCores: 0.2, botCpuCores: 0.2, bytesInPerSecondPerBot: 1500 },
      { players: 500, held: true, tickP99Ms: 6, rttPingP99Ms: 8, rttInputP99Ms: 95, serverCpuCores: 0.4, botCpuCores: 0.4, bytesInPerSecondPerBot: 2500 },
      { players: 1000, held: false, tickP99Ms: null, rttPingP99Ms: 180, rttInputP99Ms: 900, serverCpuCores: 1.1, botCpuCores: 0.9, bytesInPerSecondPerBot: 3500 },
    ];
    const svg = renderLoadPlot(steps, 'Tessera load: 500 players held', 'a <machine> & date');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('a &lt;machine&gt; &amp; date');
    for (const t of ['Server tick p99', 'Bot round trip p99', 'CPU', 'Bytes per client', 'budget 50 ms', 'limit 100 ms', 'target 4 KB/s']) expect(svg).toContain(t);
    expect((svg.match(/<polyline/g) ?? []).length).toBe(7);
    // 900 ms is past 4× the 100 ms limit: drawn at the top edge with its value.
    expect(svg).toContain('↑ 900');
    expect(svg).not.toContain('↑ 180');
    expect(svg).toContain('fill="#fff" stroke="#2ca02c"');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });
});
