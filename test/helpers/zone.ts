import { pino } from 'pino';
import { generateZonePack } from '../../src/content/map-generate.ts';
import { CellSupervisor, type ZoneLaunch } from '../../src/main/zones/supervisor.ts';
import type { ZoneSpec } from '../../src/shared/zone-memory.ts';

export const silentLog = pino({ level: 'silent' });

/** A zone spec with a generated map of the same size. */
export function testZone(over: Partial<ZoneSpec> = {}, cell: ZoneLaunch['cell'] = {}, obstacles = 0.04): ZoneLaunch {
  const spec: ZoneSpec = {
    id: 1,
    name: 'test',
    width: 128,
    height: 128,
    aoiTile: 16,
    cellCols: 2,
    cellRows: 2,
    capacity: 4096,
    tickHz: 20,
    ...over,
  };
  return { spec, map: generateZonePack(spec.name, spec.width, spec.height, 7, obstacles), cell };
}

/** Waits until every worker of the supervisor's zones has exited. */
export async function waitStopped(sup: CellSupervisor, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!sup.zones.every((z) => z.health.every((h) => h === 'stopped' || h === 'failed'))) {
    if (Date.now() > deadline) throw new Error('cells did not stop in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
