import { describe, expect, it } from 'vitest';
import { COLLAPSE_LIMIT, collapseCheck, collapseLine } from '../../../bench/lib/collapse.ts';

const step = (players: number, held: boolean, bytesInPerSecondPerBot: number | null, entitiesInView: number | null = 20) => ({ players, held, bytesInPerSecondPerBot, entitiesInView });

describe('the no-collapse check', () => {
  it('compares the first step missed with the last step held', () => {
    const c = collapseCheck([step(500, true, 2000), step(1000, true, 2200, 20), step(1500, false, 1540, 28), step(2000, false, 9000)]);
    expect(c).toEqual({
      heldPlayers: 1000,
      missedPlayers: 1500,
      heldBytesPerSecond: 2200,
      missedBytesPerSecond: 1540,
      heldInView: 20,
      missedInView: 28,
      ratio: 0.7,
      perEntityRatio: 0.5,
      withinLimit: true,
    });
    expect(collapseLine(c)).toBe(
      'No collapse: at 1500 players (missed) each player received 1.50 KB/s with 28.0 in view, against 2.15 KB/s with 20.0 in view at 1000 (held): 0.7× the bytes, 0.5× per entity in view (at most 1.5×).',
    );
  });

  it('judges by the bytes per entity in view: more entities in each view are more bytes, not a collapse', () => {
    // 1.5 times the entities and 1.6 times the bytes: each entity cost about the same.
    const denser = collapseCheck([step(1000, true, 2000, 18), step(1500, false, 3200, 27)]);
    expect(denser?.ratio).toBe(1.6);
    expect(denser?.perEntityRatio).toBe(1.07);
    expect(denser?.withinLimit).toBe(true);
    // The same entities and twice the bytes (full snapshots instead of deltas): a collapse.
    expect(collapseCheck([step(1000, true, 2000, 27), step(1500, false, 4000, 27)])?.withinLimit).toBe(false);
    // Without the views measured, the bytes alone decide.
    const blind = collapseCheck([step(1000, true, 2000, null), step(1500, false, 3200, 27)]);
    expect(blind?.perEntityRatio).toBeNull();
    expect(blind?.withinLimit).toBe(false);
    expect(collapseLine(blind)).toContain('1.6× the bytes (at most 1.5×)');
  });

  it('flags a missed step whose players got more than the limit times the bytes', () => {
    const c = collapseCheck([step(1500, true, 2000), step(2000, false, 2000 * COLLAPSE_LIMIT + 1)]);
    expect(c?.withinLimit).toBe(false);
    expect(collapseLine(c)).toMatch(/^\*\*Collapse\*\*: at 2000 players/);
    // At the limit exactly is within it.
    expect(collapseCheck([step(1500, true, 2000), step(2000, false, 3000)])?.withinLimit).toBe(true);
  });

  it('cannot be made without a held step before a missed one, or without byte counts', () => {
    expect(collapseCheck([])).toBeNull();
    expect(collapseCheck([step(1000, true, 2000), step(1500, true, 2100)])).toBeNull();
    expect(collapseCheck([step(2000, false, 1500)])).toBeNull();
    expect(collapseCheck([step(1500, true, null), step(2000, false, 1500)])).toBeNull();
    expect(collapseCheck([step(1500, true, 0), step(2000, false, 1500)])).toBeNull();
    expect(collapseCheck([step(1500, true, 2000), step(2000, false, null)])).toBeNull();
    expect(collapseLine(null)).toBe('No collapse check: no step was missed after a step held.');
  });
});
