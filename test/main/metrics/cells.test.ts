import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMetrics, type Metrics } from '../../../src/main/metrics/registry.ts';
import { CellSupervisor } from '../../../src/main/zones/supervisor.ts';
import { ENTITY_KINDS, StatSlot, TICK_BUCKETS_SECONDS } from '../../../src/shared/layout.ts';
import { DEFAULT_RING_SIZES } from '../../../src/shared/zone-memory.ts';
import { silentLog, testZone } from '../../helpers/zone.ts';
import { FakeGate } from './fake-gate.ts';
import { one, parseExposition, select, type ParsedSample } from './parse.ts';

const PLAYERS = 40;
const WANDERERS = 30;
const CELLS = 2;

/** Bucket samples of one series, sorted by upper bound (+Inf last). */
function buckets(samples: ParsedSample[], name: string, match: Record<string, string>): { le: number; value: number }[] {
  return select(samples, `${name}_bucket`, match)
    .map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), value: s.value }))
    .sort((a, b) => a.le - b.le);
}

describe('cell metrics from the shared slots of a running zone', () => {
  let sup: CellSupervisor;
  let metrics: Metrics;
  let gate: FakeGate;
  let stopGate: () => void;
  let first: ParsedSample[];
  let second: ParsedSample[];
  let stopped = false;

  beforeAll(async () => {
    sup = new CellSupervisor(silentLog);
    metrics = createMetrics({ supervisor: sup });
    await sup.start([testZone({ name: 'meadow', cellCols: CELLS, cellRows: 1 }, { wanderers: WANDERERS })]);
    gate = new FakeGate(sup.zones[0]);
    expect(gate.join(PLAYERS)).toBe(PLAYERS);
    stopGate = gate.run(10, 300);
    const scrape = async (): Promise<ParsedSample[]> => parseExposition(await metrics.registry.metrics()).samples;
    const ticksOf = (samples: ParsedSample[], cell: number): number => select(samples, 'tessera_ticks_total', { zone: 'meadow', cell: String(cell) })[0]?.value ?? 0;
    const cells = Array.from({ length: CELLS }, (_, c) => c);
    // Until every cell has published its once-a-second tick-rate figure and ticked a good few times
    // (waiting on the figures, not a fixed time: a start on a loaded box is slow).
    await vi.waitFor(
      async () => {
        first = await scrape();
        for (const c of cells) {
          const rate = select(first, 'tessera_tick_rate_hertz', { zone: 'meadow', cell: String(c) })[0]?.value ?? 0;
          if (rate === 0 || ticksOf(first, c) <= 25) throw new Error(`cell ${c} has not ticked enough yet`);
        }
      },
      { timeout: 20_000, interval: 100 },
    );
    // A later scrape, once every cell has ticked again.
    await vi.waitFor(
      async () => {
        second = await scrape();
        if (cells.some((c) => ticksOf(second, c) <= ticksOf(first, c))) throw new Error('not every cell has ticked since');
      },
      { timeout: 20_000, interval: 50 },
    );
  });

  afterAll(async () => {
    stopGate?.();
    metrics?.close();
    if (!stopped) await sup?.stop();
  });

  it('renders tick duration histograms per zone, cell and phase that are cumulative and agree with _count', () => {
    for (let cell = 0; cell < CELLS; cell++) {
      for (const phase of ['simulate', 'replicate', 'total']) {
        const match = { zone: 'meadow', cell: String(cell), phase };
        const b = buckets(first, 'tessera_tick_duration_seconds', match);
        expect(b.map((x) => x.le)).toEqual([...TICK_BUCKETS_SECONDS, Infinity]);
        for (let i = 1; i < b.length; i++) expect(b[i].value).toBeGreaterThanOrEqual(b[i - 1].value);
        const count = one(first, 'tessera_tick_duration_seconds_count', match);
        expect(b[b.length - 1].value).toBe(count);
        expect(count).toBeGreaterThan(20);
        const sum = one(first, 'tessera_tick_duration_seconds_sum', match);
        expect(sum).toBeGreaterThan(0);
        // A mean phase far inside the 50 ms budget of 20 Hz on an idle small zone.
        expect(sum / count).toBeLessThan(0.05);
        // Counters only grow between scrapes.
        const later = buckets(second, 'tessera_tick_duration_seconds', match);
        for (let i = 0; i < b.length; i++) expect(later[i].value).toBeGreaterThanOrEqual(b[i].value);
        expect(later[later.length - 1].value).toBeGreaterThan(count);
      }
    }
  });

  it('renders each bucket as the running sum of the raw per-bucket slots', async () => {
    // Stop-free check: read the slots, scrape, read again; the scrape lies between.
    const stats = sup.zones[0].views.stats(0);
    const before = Array.from({ length: TICK_BUCKETS_SECONDS.length + 1 }, (_, i) => stats[StatSlot.histTick + i]);
    const samples = parseExposition(await metrics.registry.metrics()).samples;
    const after = Array.from({ length: TICK_BUCKETS_SECONDS.length + 1 }, (_, i) => stats[StatSlot.histTick + i]);
    const b = buckets(samples, 'tessera_tick_duration_seconds', { zone: 'meadow', cell: '0', phase: 'total' });
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < b.length; i++) {
      lo += before[i];
      hi += after[i];
      expect(b[i].value).toBeGreaterThanOrEqual(lo);
      expect(b[i].value).toBeLessThanOrEqual(hi);
    }
  });

  it('counts ticks, the achieved and target tick rate', () => {
    for (let cell = 0; cell < CELLS; cell++) {
      const match = { zone: 'meadow', cell: String(cell) };
      const ticks = one(first, 'tessera_ticks_total', match);
      const count = one(first, 'tessera_tick_duration_seconds_count', { ...match, phase: 'total' });
      expect(Math.abs(ticks - count)).toBeLessThanOrEqual(1);
      expect(one(second, 'tessera_ticks_total', match)).toBeGreaterThan(ticks);
      const rate = one(first, 'tessera_tick_rate_hertz', match);
      expect(rate).toBeGreaterThan(14);
      expect(rate).toBeLessThan(23);
      expect(one(first, 'tessera_tick_overruns_total', match)).toBeGreaterThanOrEqual(0);
    }
    expect(one(first, 'tessera_tick_target_hertz', { zone: 'meadow' })).toBe(20);
  });

  it('counts entities by kind per cell and the players online', () => {
    const sumOf = (kind: string) => select(second, 'tessera_entities', { zone: 'meadow', kind }).reduce((a, s) => a + s.value, 0);
    expect(select(second, 'tessera_entities', { zone: 'meadow' })).toHaveLength(CELLS * (ENTITY_KINDS.length - 1)); // every kind but NONE
    // An entity in mid-handoff may be counted by neither cell for a moment.
    // Whatever the cells' spawn rule, players and NPCs are every live entity.
    const npcs = sup.zones[0].views.store.liveCount - PLAYERS;
    expect(npcs).toBeGreaterThan(0);
    expect(sumOf('npc')).toBeGreaterThanOrEqual(npcs - 3);
    expect(sumOf('npc')).toBeLessThanOrEqual(npcs);
    expect(sumOf('player')).toBeGreaterThanOrEqual(PLAYERS - 3);
    expect(sumOf('player')).toBeLessThanOrEqual(PLAYERS);
    expect(sumOf('item')).toBe(0);
    expect(sumOf('corpse')).toBe(0);
    const online = one(second, 'tessera_players_online', { zone: 'meadow' });
    expect(online).toBeGreaterThanOrEqual(PLAYERS - 3);
    expect(online).toBeLessThanOrEqual(PLAYERS);
  });

  it('reports area-of-interest sizes, frames and handoffs', () => {
    let aoiCount = 0;
    let frames = 0;
    for (let cell = 0; cell < CELLS; cell++) {
      const match = { zone: 'meadow', cell: String(cell) };
      const b = buckets(second, 'tessera_aoi_entities', match);
      for (let i = 1; i < b.length; i++) expect(b[i].value).toBeGreaterThanOrEqual(b[i - 1].value);
      expect(b[b.length - 1].value).toBe(one(second, 'tessera_aoi_entities_count', match));
      aoiCount += b[b.length - 1].value;
      frames += one(second, 'tessera_cell_frames_total', { ...match, result: 'queued' });
      expect(one(second, 'tessera_cell_frame_bytes_total', match)).toBeGreaterThan(0);
    }
    // One area-of-interest gather per player per tick, one frame each.
    expect(aoiCount).toBeGreaterThan(PLAYERS * 20);
    expect(frames).toBeGreaterThan(PLAYERS * 20);
    expect(gate.frames).toBeGreaterThan(PLAYERS * 20);
    const dir = (d: string) => select(second, 'tessera_handoffs_total', { direction: d }).reduce((a, s) => a + s.value, 0);
    expect(dir('in')).toBeLessThanOrEqual(dir('out'));
    const inputs = select(second, 'tessera_cell_inputs_total', { result: 'applied' }).reduce((a, s) => a + s.value, 0);
    expect(inputs).toBeGreaterThan(0);
  });

  it('folds every client\'s ack lag and frame interval into one histogram per cell, sampled once a second', () => {
    let lagged = 0;
    for (let cell = 0; cell < CELLS; cell++) {
      const match = { zone: 'meadow', cell: String(cell) };
      for (const name of ['tessera_client_ack_lag_seconds', 'tessera_client_frame_interval_seconds']) {
        const b = buckets(second, name, match);
        for (let i = 1; i < b.length; i++) expect(b[i].value).toBeGreaterThanOrEqual(b[i - 1].value);
        expect(b[b.length - 1].value).toBe(one(second, `${name}_count`, match));
      }
      lagged += one(second, 'tessera_client_ack_lag_seconds_count', match);
      // A frame every tick (1 / 20 s) unless paced, at most 4 ticks apart (a loaded box's bursts of ticks can pace a prompt client).
      const interval = buckets(second, 'tessera_client_frame_interval_seconds', match);
      expect(interval.find((x) => x.le === 0.2)!.value).toBe(interval[interval.length - 1].value);
      expect(one(second, 'tessera_client_pacing_changes_total', { ...match, change: 'backoff' })).toBeGreaterThanOrEqual(0);
      expect(one(second, 'tessera_log_ticks_missed_total', match)).toBe(0);
    }
    // About a second of ticks: each client sampled at least once (not one series per client).
    expect(lagged).toBeGreaterThanOrEqual(PLAYERS - 3);
    expect(select(second, 'tessera_client_ack_lag_seconds_count')).toHaveLength(CELLS);
  });

  it('reports ring occupancy against capacity', () => {
    for (let cell = 0; cell < CELLS; cell++) {
      const match = { zone: 'meadow', cell: String(cell) };
      expect(one(second, 'tessera_ring_capacity_bytes', { ...match, ring: 'gate_to_cell' })).toBe(DEFAULT_RING_SIZES.gateToCell);
      expect(one(second, 'tessera_ring_capacity_bytes', { ...match, ring: 'cell_to_gate' })).toBe(DEFAULT_RING_SIZES.cellToGate);
      // One neighbour in a 2x1 zone.
      expect(one(second, 'tessera_ring_capacity_bytes', { ...match, ring: 'cell_to_cell' })).toBe(DEFAULT_RING_SIZES.cellToCell);
      for (const ring of ['gate_to_cell', 'cell_to_gate', 'cell_to_cell']) {
        const used = one(second, 'tessera_ring_used_bytes', { ...match, ring });
        expect(used).toBeGreaterThanOrEqual(0);
        expect(used).toBeLessThanOrEqual(one(second, 'tessera_ring_capacity_bytes', { ...match, ring }));
        expect(one(second, 'tessera_ring_full_events_total', { ...match, ring })).toBe(0);
      }
      expect(one(second, 'tessera_ring_high_water_bytes', { ...match, ring: 'cell_to_gate' })).toBeGreaterThan(0);
    }
  });

  it('shows every cell up, never failed nor restarted', () => {
    for (let cell = 0; cell < CELLS; cell++) {
      const match = { zone: 'meadow', cell: String(cell) };
      expect(one(second, 'tessera_cell_up', match)).toBe(1);
      expect(one(second, 'tessera_cell_failures_total', match)).toBe(0);
      expect(one(second, 'tessera_cell_restarts_total', match)).toBe(0);
    }
  });

  it('writes nothing into shared memory when scraping (and shows stopped cells down)', async () => {
    stopGate();
    stopped = true;
    await sup.stop();
    const zone = sup.zones[0];
    const buffers = [...zone.init.stats, ...zone.init.gateToCell, ...zone.init.cellToGate, zone.init.control];
    const copies = buffers.map((b) => new Uint8Array(b).slice());
    const samples = parseExposition(await metrics.registry.metrics()).samples;
    buffers.forEach((b, i) => expect(Buffer.compare(new Uint8Array(b), copies[i])).toBe(0));
    for (let cell = 0; cell < CELLS; cell++) expect(one(samples, 'tessera_cell_up', { zone: 'meadow', cell: String(cell) })).toBe(0);
  });
});
