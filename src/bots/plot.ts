/**
 * The load benchmark's plot as a self-contained SVG (no charting library):
 * four small panels against player count, each with its budget line.
 */

/** One point of the plot: a bench step. */
export interface PlotStep {
  players: number;
  held: boolean;
  tickP99Ms: number | null;
  rttPingP99Ms: number | null;
  rttInputP99Ms: number | null;
  serverCpuCores: number | null;
  botCpuCores: number | null;
  bytesInPerSecondPerBot: number | null;
}

interface Series {
  label: string;
  color: string;
  values: (number | null)[];
}

interface Panel {
  title: string;
  unit: string;
  series: Series[];
  /** A horizontal budget line. */
  budget?: { value: number; label: string };
}

const W = 960;
const H = 720;
const PANEL_W = 440;
const PANEL_H = 290;
const M = { left: 60, right: 16, top: 34, bottom: 40 };

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** A round grid step that splits 0..v into at most about four parts. */
function niceStep(v: number): number {
  if (!(v > 0)) return 0.25;
  const raw = v / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1).replace(/\.0$/, '');
  return v.toFixed(2).replace(/0$/, '').replace(/\.0$/, '');
}

function panel(p: Panel, steps: PlotStep[], x0: number, y0: number): string {
  const iw = PANEL_W - M.left - M.right;
  const ih = PANEL_H - M.top - M.bottom;
  const xs = steps.map((s) => s.players);
  // Player counts double per step: a log2 axis spaces them evenly.
  const lx = xs.map((x) => Math.log2(Math.max(1, x)));
  const lmin = Math.min(...lx) - 0.3;
  const lmax = Math.max(...lx) + 0.3;
  const px = (i: number): number => x0 + M.left + ((lx[i] - lmin) / (lmax - lmin || 1)) * iw;
  let vmax = 0;
  for (const s of p.series) for (const v of s.values) if (v !== null && v > vmax) vmax = v;
  // Keep the budget line readable: values past 4× the budget are drawn at the top edge, labelled.
  if (p.budget) vmax = Math.min(Math.max(vmax, p.budget.value * 1.15), p.budget.value * 4);
  const step = niceStep(vmax);
  const ticks = Math.max(1, Math.ceil(vmax / step - 1e-9));
  vmax = ticks * step;
  const py = (v: number): number => y0 + M.top + ih - (Math.min(v, vmax) / vmax) * ih;
  const out: string[] = [];
  out.push(`<g font-family="sans-serif" font-size="11">`);
  out.push(`<text x="${x0 + M.left}" y="${y0 + 20}" font-size="14" font-weight="bold">${esc(p.title)}</text>`);
  out.push(`<rect x="${x0 + M.left}" y="${y0 + M.top}" width="${iw}" height="${ih}" fill="#fafafa" stroke="#999"/>`);
  for (let k = 0; k <= ticks; k++) {
    const v = k * step;
    const y = py(v);
    out.push(`<line x1="${x0 + M.left}" x2="${x0 + M.left + iw}" y1="${y}" y2="${y}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${x0 + M.left - 6}" y="${y + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  out.push(`<text x="${x0 + 14}" y="${y0 + M.top + ih / 2}" transform="rotate(-90 ${x0 + 14} ${y0 + M.top + ih / 2})" text-anchor="middle">${esc(p.unit)}</text>`);
  steps.forEach((s, i) => {
    out.push(`<text x="${px(i)}" y="${y0 + M.top + ih + 16}" text-anchor="middle">${s.players}</text>`);
  });
  out.push(`<text x="${x0 + M.left + iw / 2}" y="${y0 + PANEL_H - 6}" text-anchor="middle">players</text>`);
  if (p.budget) {
    const y = py(p.budget.value);
    out.push(`<line x1="${x0 + M.left}" x2="${x0 + M.left + iw}" y1="${y}" y2="${y}" stroke="#d33" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${x0 + M.left + iw - 4}" y="${y - 4}" text-anchor="end" fill="#d33">${esc(p.budget.label)}</text>`);
  }
  p.series.forEach((s, si) => {
    const pts = s.values.map((v, i) => (v === null ? null : `${px(i).toFixed(1)},${py(v).toFixed(1)}`));
    const path = pts.filter((q): q is string => q !== null);
    if (path.length > 1) out.push(`<polyline points="${path.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    s.values.forEach((v, i) => {
      if (v === null) return;
      // Filled marker: the step held; hollow: it missed a budget.
      const fill = steps[i].held ? s.color : '#fff';
      out.push(`<circle cx="${px(i).toFixed(1)}" cy="${py(v).toFixed(1)}" r="4" fill="${fill}" stroke="${s.color}" stroke-width="2"><title>${esc(`${s.label} at ${steps[i].players}: ${fmt(v)} ${p.unit}`)}</title></circle>`);
      if (v > vmax) out.push(`<text x="${(px(i) - 6).toFixed(1)}" y="${(py(v) + 14 + si * 12).toFixed(1)}" text-anchor="end" fill="${s.color}">↑ ${fmt(v)}</text>`);
    });
    const ly = y0 + M.top + 14 + si * 14;
    out.push(`<line x1="${x0 + M.left + 8}" x2="${x0 + M.left + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`);
    out.push(`<text x="${x0 + M.left + 28}" y="${ly}">${esc(s.label)}</text>`);
  });
  out.push('</g>');
  return out.join('\n');
}

/** Renders the four-panel plot; `title` and `subtitle` head it (machine, date, result). */
export function renderLoadPlot(steps: PlotStep[], title: string, subtitle: string): string {
  const panels: Panel[] = [
    {
      title: 'Server tick p99 (worst cell)',
      unit: 'ms',
      series: [{ label: 'tick p99', color: '#1f77b4', values: steps.map((s) => s.tickP99Ms) }],
      budget: { value: 50, label: 'budget 50 ms' },
    },
    {
      title: 'Bot round trip p99',
      unit: 'ms',
      series: [
        { label: 'ping → pong', color: '#2ca02c', values: steps.map((s) => s.rttPingP99Ms) },
        { label: 'input → ack (includes tick wait)', color: '#9467bd', values: steps.map((s) => s.rttInputP99Ms) },
      ],
      budget: { value: 100, label: 'limit 100 ms (ping)' },
    },
    {
      title: 'CPU',
      unit: 'cores',
      series: [
        { label: 'server process', color: '#ff7f0e', values: steps.map((s) => s.serverCpuCores) },
        { label: 'bot process', color: '#8c564b', values: steps.map((s) => s.botCpuCores) },
        { label: 'both', color: '#7f7f7f', values: steps.map((s) => (s.serverCpuCores === null ? null : s.serverCpuCores + (s.botCpuCores ?? 0))) },
      ],
      budget: { value: 2, label: 'machine: 2 cores' },
    },
    {
      title: 'Bytes per client (server → client)',
      unit: 'KB/s',
      series: [{ label: 'mean per bot', color: '#17becf', values: steps.map((s) => (s.bytesInPerSecondPerBot === null ? null : s.bytesInPerSecondPerBot / 1024)) }],
      budget: { value: 4, label: 'target 4 KB/s' },
    },
  ];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="24" y="28" font-family="sans-serif" font-size="18" font-weight="bold">${esc(title)}</text>`,
    `<text x="24" y="48" font-family="sans-serif" font-size="12" fill="#444">${esc(subtitle)}</text>`,
    panel(panels[0], steps, 24, 60),
    panel(panels[1], steps, 24 + PANEL_W + 24, 60),
    panel(panels[2], steps, 24, 60 + PANEL_H + 30),
    panel(panels[3], steps, 24 + PANEL_W + 24, 60 + PANEL_H + 30),
    `<text x="24" y="${H - 8}" font-family="sans-serif" font-size="11" fill="#666">Filled markers: the step held every budget; hollow: it missed one (the bench stops there).</text>`,
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}
