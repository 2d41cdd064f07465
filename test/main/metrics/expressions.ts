import { readFileSync } from 'node:fs';

const ROOT = new URL('../../../', import.meta.url);
export const DASHBOARD_PATH = new URL('grafana/dashboards/tessera.json', ROOT);
export const RULES_PATH = new URL('grafana/alerts/tessera-rules.yml', ROOT);
export const PROMETHEUS_CONFIG_PATH = new URL('grafana/prometheus.yml', ROOT);

interface Target {
  expr?: string;
}
interface Panel {
  type: string;
  title: string;
  targets?: Target[];
  panels?: Panel[];
}

/** Every PromQL expression of the dashboard: panel targets and template-variable queries, with the panel's title. */
export function dashboardExpressions(): { title: string; expr: string }[] {
  const dash = JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8')) as { panels: Panel[]; templating: { list: { name: string; definition?: string }[] } };
  const out: { title: string; expr: string }[] = [];
  const walk = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) if (t.expr) out.push({ title: p.title, expr: t.expr });
      if (p.panels) walk(p.panels);
    }
  };
  walk(dash.panels);
  return out;
}

/** The dashboard's panels other than rows. */
export function dashboardPanels(): Panel[] {
  const dash = JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8')) as { panels: Panel[] };
  return dash.panels.filter((p) => p.type !== 'row');
}

/** The dashboard's template-variable queries (label_values(...)). */
export function dashboardVariableQueries(): { name: string; definition: string }[] {
  const dash = JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8')) as { templating: { list: { name: string; type: string; definition?: string }[] } };
  return dash.templating.list.filter((v) => v.type === 'query' && v.definition).map((v) => ({ name: v.name, definition: v.definition! }));
}

/**
 * Replaces Grafana's variables with what Grafana would send for "All" over a
 * short range: $zone → .* (the variable's allValue), $__rate_interval → `rate`.
 */
export function substituteGrafanaVariables(expr: string, rate = '15s'): string {
  return expr.replaceAll('$__rate_interval', rate).replaceAll('${zone}', '.*').replaceAll('$zone', '.*');
}

/** Metric names with Tessera's or Node's prefixes found in a text. */
export function metricNamesIn(text: string): Set<string> {
  return new Set(text.match(/\b(?:tessera|process|nodejs)_[a-z0-9_]+\b/g) ?? []);
}

/** Every metric name the dashboard's expressions or the alert rules mention. */
export function referencedMetricNames(): Set<string> {
  const names = new Set<string>();
  for (const { expr } of dashboardExpressions()) for (const n of metricNamesIn(expr)) names.add(n);
  for (const { definition } of dashboardVariableQueries()) for (const n of metricNamesIn(definition)) names.add(n);
  for (const n of metricNamesIn(readFileSync(RULES_PATH, 'utf8'))) names.add(n);
  return names;
}

const COMPARISON = /^(==|!=|>=|<=|>|<)/;
const SET_OPERATOR = /^(and|or|unless)\b/;

/**
 * Turns an alert expression into one that returns a series whether or not
 * the alert fires: `bool` after the last top-level comparison of each operand
 * of a top-level and/or/unless. `a > 1 and b > 0` → `a > bool 1 and b > bool 0`.
 * A series missing from the result then means the expression matches
 * nothing, not that all is well.
 */
export function withBool(expr: string): string {
  const parts: string[] = [];
  const joiners: string[] = [];
  let depth = 0;
  let start = 0;
  let quote = '';
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    else if (depth === 0 && /\s/.test(expr[i - 1] ?? ' ')) {
      const m = SET_OPERATOR.exec(expr.slice(i));
      if (m && /\s/.test(expr[i + m[0].length] ?? '')) {
        parts.push(expr.slice(start, i));
        joiners.push(m[0]);
        i += m[0].length;
        start = i;
      }
    }
  }
  parts.push(expr.slice(start));
  const fixed = parts.map((p) => boolLastComparison(p.trim()));
  return fixed.reduce((acc, p, k) => `${acc} ${joiners[k - 1]} ${p}`);
}

function boolLastComparison(expr: string): string {
  let depth = 0;
  let quote = '';
  let at = -1;
  let len = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    else if (depth === 0) {
      const m = COMPARISON.exec(expr.slice(i));
      if (m) {
        at = i;
        len = m[0].length;
        i += len - 1;
      }
    }
  }
  if (at < 0) return expr;
  return `${expr.slice(0, at + len)} bool${expr.slice(at + len)}`;
}
