/**
 * The NPC AI's figures reach Prometheus: NPCs by state and A* searches per
 * cell of a zone running real worker cells on content (the NPC fixture zone:
 * three wandering wolves, a patrolling guard).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeContentPack } from '../../../src/content/pack/content-pack.ts';
import { encodeZonePack } from '../../../src/content/pack/zone-pack.ts';
import { createMetrics, type Metrics } from '../../../src/main/metrics/registry.ts';
import { CellSupervisor } from '../../../src/main/zones/supervisor.ts';
import { NPC_STATE_NAMES } from '../../../src/shared/layout.ts';
import { silentLog } from '../../helpers/zone.ts';
import { content, H, W, zoneMap } from '../../workers/npc/fixture.ts';
import { parseExposition, select, type ParsedSample } from './parse.ts';

describe('NPC AI metrics', () => {
  let sup: CellSupervisor;
  let metrics: Metrics;
  let samples: ParsedSample[];

  beforeAll(async () => {
    sup = new CellSupervisor(silentLog);
    metrics = createMetrics({ supervisor: sup });
    const bytes = encodeContentPack(content());
    const sab = new SharedArrayBuffer(bytes.length);
    new Uint8Array(sab).set(bytes);
    await sup.start([
      {
        spec: { id: 1, name: 'wilds', width: W, height: H, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: 256, tickHz: 20 },
        map: encodeZonePack(zoneMap(), 'wilds'),
        cell: { content: sab },
      },
    ]);
    // Each cell publishes its NPC figures once its first ticks have spawned
    // them; on a loaded machine that takes a while, so wait for all four NPCs
    // to be counted rather than for a fixed time.
    await vi.waitFor(
      async () => {
        samples = parseExposition(await metrics.registry.metrics()).samples;
        const counted = select(samples, 'tessera_npcs', { zone: 'wilds' }).reduce((a, s) => a + s.value, 0);
        if (counted < 4) throw new Error(`${counted} of 4 NPCs counted so far`);
      },
      { timeout: 15_000, interval: 100 },
    );
  });

  afterAll(async () => {
    metrics?.close();
    await sup?.stop();
  });

  it('counts the content NPCs of each cell by AI state', () => {
    const all = select(samples, 'tessera_npcs', { zone: 'wilds' });
    expect(new Set(all.map((s) => s.labels.state))).toEqual(new Set(NPC_STATE_NAMES));
    const total = (cell: string) => select(samples, 'tessera_npcs', { zone: 'wilds', cell }).reduce((a, s) => a + s.value, 0);
    // The wolves' area is in cell 0, the guard's patrol in cell 1.
    expect(total('0')).toBe(3);
    expect(total('1')).toBe(1);
    const wanderingOrWalking = select(samples, 'tessera_npcs', { zone: 'wilds', cell: '0' })
      .filter((s) => s.labels.state === 'wander')
      .reduce((a, s) => a + s.value, 0);
    expect(wanderingOrWalking).toBe(3);
    expect(select(samples, 'tessera_npcs', { zone: 'wilds', cell: '1', state: 'patrol' })[0].value).toBe(1);
  });

  it('exports the A* search and node counters per cell', () => {
    for (const cell of ['0', '1']) {
      expect(select(samples, 'tessera_npc_path_searches_total', { zone: 'wilds', cell }).map((s) => s.labels.result).sort()).toEqual(['failed', 'found']);
      expect(select(samples, 'tessera_npc_path_nodes_total', { zone: 'wilds', cell })).toHaveLength(1);
    }
  });
});
