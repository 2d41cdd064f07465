/** tessera_anticheat_violations_total: the gate's counts and, by check, the impossible actions every cell counted. */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { generateZonePack } from '../../../src/content/map-generate.ts';
import { ANTICHEAT_CHECKS, registerAnticheatMetrics } from '../../../src/main/metrics/anticheat.ts';
import type { CellSupervisor } from '../../../src/main/zones/supervisor.ts';
import { ActionCheck, StatSlot } from '../../../src/shared/layout.ts';
import { allocateZoneMemory, ZoneViews } from '../../../src/shared/zone-memory.ts';
import { parseExposition } from './parse.ts';

describe('anti-cheat metrics', () => {
  it('sum the cells\' action checks over every cell of every zone, with the gate\'s own', async () => {
    const spec = { id: 1, name: 'z', width: 64, height: 32, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: 64, tickHz: 20 };
    const views = new ZoneViews(allocateZoneMemory(spec, generateZonePack('z', 64, 32, 1, 0)));
    const supervisor = { zones: [{ views }] } as unknown as CellSupervisor;
    const registry = new Registry();
    const m = registerAnticheatMetrics(registry, supervisor);
    views.stats(0)[StatSlot.anticheat + ActionCheck.OUT_OF_RANGE] = 3;
    views.stats(1)[StatSlot.anticheat + ActionCheck.OUT_OF_RANGE] = 2;
    views.stats(1)[StatSlot.anticheat + ActionCheck.UNKNOWN_SKILL] = 1;
    m.violation('malformed');
    const samples = parseExposition(await registry.metrics()).samples.filter((s) => s.name === 'tessera_anticheat_violations_total');
    expect(Object.fromEntries(samples.map((s) => [s.labels.check, s.value]))).toEqual({
      malformed: 1,
      flood: 0,
      item_not_owned: 0,
      quest_not_earned: 0,
      chat_flood: 0,
      unknown_skill: 1,
      out_of_range: 5,
      cooldown: 0,
      line_of_sight: 0,
      action_rate: 0,
      destination: 0,
    });
    expect(samples.map((s) => s.labels.check)).toEqual([...ANTICHEAT_CHECKS]);
  });
});
