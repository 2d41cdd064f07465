/** docs/game.md states the formula's constants as formula.ts has them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Formula } from '../../../src/workers/combat/formula.ts';
import { Regen } from '../../../src/workers/combat/regen.ts';
import { IMPOSSIBLE_RANGE, RANGE_SLACK } from '../../../src/workers/combat/targeting.ts';
import { COMBAT_LINGER_S } from '../../../src/workers/combat/state.ts';

const doc = readFileSync(new URL('../../../docs/game.md', import.meta.url), 'utf8');

describe('docs/game.md', () => {
  it('has a row for every constant of the formula, with its value', () => {
    for (const [name, value] of Object.entries(Formula)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, `${name} is not in docs/game.md`).toBeDefined();
      expect(row!.split('|')[2].trim()).toBe(String(value));
    }
  });

  it('says the other numbers as the code has them', () => {
    expect(doc).toContain(`\`RANGE_SLACK\` (${RANGE_SLACK} tiles`);
    expect(doc).toContain(`range + \`IMPOSSIBLE_RANGE\`, ${IMPOSSIBLE_RANGE} tiles`);
    expect(doc).toContain(`in the last ${COMBAT_LINGER_S} s`);
    expect(doc).toContain(`${Regen.REST_HEALTH * 100} % of its maximum health`);
    expect(doc).toContain(`refills ${Regen.ENERGY_PER_S} a second`);
    expect(doc).toContain(`decays ${Regen.RAGE_DECAY_PER_S} a second`);
  });
});
