import { describe, expect, it } from 'vitest';
import {
  ACK_LAG_BUCKETS_SECONDS,
  AOI_BUCKETS,
  ENTITY_KIND_COUNT,
  ENTITY_KINDS,
  FRAME_INTERVAL_BUCKETS_SECONDS,
  histogramWords,
  layoutWords,
  MAX_SYSTEMS,
  StatSlot,
  systemHistogram,
  TICK_BUCKETS_SECONDS,
} from '../../src/shared/layout.ts';
import { histogramQuantile, observe, readHistogram } from '../../src/shared/stats.ts';

describe('shared histograms', () => {
  it('stat slots do not overlap: every block is derived from its size', () => {
    const hw = histogramWords(TICK_BUCKETS_SECONDS);
    expect(StatSlot.entitiesByKind + ENTITY_KIND_COUNT).toBeLessThanOrEqual(StatSlot.histSimulate);
    expect(StatSlot.histSimulate + hw).toBe(StatSlot.histReplicate);
    expect(StatSlot.histReplicate + hw).toBe(StatSlot.histTick);
    expect(StatSlot.histTick + hw).toBe(StatSlot.histAoi);
    expect(StatSlot.histAoi + histogramWords(AOI_BUCKETS)).toBe(StatSlot.histAckLag);
    expect(StatSlot.histAckLag + histogramWords(ACK_LAG_BUCKETS_SECONDS)).toBe(StatSlot.histFrameInterval);
    expect(StatSlot.histFrameInterval + histogramWords(FRAME_INTERVAL_BUCKETS_SECONDS)).toBe(StatSlot.histSystems);
    expect(systemHistogram(MAX_SYSTEMS - 1) + hw).toBe(StatSlot.words);
    // Every named slot starts where the previous block ends: sorted offsets never collide.
    const offsets = Object.entries(StatSlot).filter(([k]) => k !== 'words').map(([, v]) => v).sort((a, b) => a - b);
    expect(new Set(offsets).size).toBe(offsets.length);
  });

  it('a fifth entity kind gets its own slot instead of overwriting a histogram', () => {
    expect(ENTITY_KIND_COUNT).toBe(ENTITY_KINDS.length);
    expect(ENTITY_KINDS.length).toBeGreaterThanOrEqual(5);
    expect(StatSlot.entitiesByKind + ENTITY_KINDS.length).toBe(StatSlot.npcsByState);
  });

  it('layoutWords lays blocks end to end and refuses empty ones', () => {
    expect(layoutWords({ a: 1, b: 4, c: 2 })).toEqual({ a: 0, b: 1, c: 5, words: 7 });
    expect(() => layoutWords({ a: 0 })).toThrow(/positive/);
  });

  it('counts values into le-buckets, +Inf, sum and count', () => {
    const b = [1, 2, 5] as const;
    const s = new Float64Array(3 + histogramWords(b));
    for (const v of [0.5, 1, 1.5, 2, 4, 9]) observe(s, 3, b, v);
    const h = readHistogram(s, 3, b);
    expect(h.cumulative).toEqual([2, 4, 5, 6]);
    expect(h.count).toBe(6);
    expect(h.sum).toBeCloseTo(18);
    expect(s[0] + s[1] + s[2]).toBe(0); // wrote only its block
  });

  it('estimates quantiles by interpolating within a bucket', () => {
    const b = [1, 2, 4] as const;
    const s = new Float64Array(histogramWords(b));
    expect(histogramQuantile(readHistogram(s, 0, b), b, 0.5)).toBe(0);
    for (let i = 0; i < 100; i++) observe(s, 0, b, 1.5);
    const h = readHistogram(s, 0, b);
    expect(histogramQuantile(h, b, 0.5)).toBeCloseTo(1.5);
    expect(histogramQuantile(h, b, 1)).toBe(2);
    observe(s, 0, b, 100);
    expect(histogramQuantile(readHistogram(s, 0, b), b, 1)).toBe(4); // +Inf reports the top bound
  });
});
