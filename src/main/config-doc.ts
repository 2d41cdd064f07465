/**
 * The README's configuration table, generated from the variables the code
 * reads (`npm run docs:config` rewrites it; a test checks it is current).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CONFIG_VARS, type ConfigVar } from './config.ts';
import { TUNING_VARS } from './tuning.ts';

const BEGIN = '<!-- config-table:begin -->';
const END = '<!-- config-table:end -->';

export function configTable(vars: ConfigVar[] = [...CONFIG_VARS, ...TUNING_VARS]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = vars.map((v) => `| \`${v.name}\` | ${esc(v.default)} | ${esc(v.doc)} |`);
  return [BEGIN, '| Variable | Default | What it does |', '|---|---|---|', ...rows, END].join('\n');
}

/** The README with its table replaced by the current one. */
export function withCurrentTable(readme: string): string {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md lacks the ${BEGIN} ... ${END} markers`);
  return readme.slice(0, a) + configTable() + readme.slice(b + END.length);
}

if (import.meta.main) {
  const path = new URL('../../README.md', import.meta.url);
  writeFileSync(path, withCurrentTable(readFileSync(path, 'utf8')));
  console.log('README.md configuration table updated');
}
