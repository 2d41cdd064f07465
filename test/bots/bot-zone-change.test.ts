/**
 * Bots follow zone changes: two small zones, each ringed with portals into
 * the other, so wandering bots keep crossing. Every bot must keep
 * playing through them (its view reset at each ZONE_CHANGE: no bad
 * snapshot, no error, no disconnect), and the report counts them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBotOptions } from '../../src/bots/options.ts';
import { runBots } from '../../src/bots/run.ts';
import type { ZoneLaunch } from '../../src/main/zones/supervisor.ts';
import { startTestServer } from '../helpers/server.ts';
import { fieldPack, portal } from '../helpers/zone-maps.ts';

/**
 * A 48 × 48 zone with a square ring of portals 12 units around its centre
 * (inside the 8-unit margin bots keep from the edges), all to `to`'s centre.
 */
function ringed(id: number, name: string, to: string): ZoneLaunch {
  const ring = [portal('w', 9, 9, 3, 30, to, 'centre'), portal('e', 36, 9, 3, 30, to, 'centre'), portal('n', 12, 9, 24, 3, to, 'centre'), portal('s', 12, 36, 24, 3, to, 'centre')];
  return {
    spec: { id, name, width: 48, height: 48, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: 256, tickHz: 20 },
    map: fieldPack(name, { width: 48, height: 48, portals: ring, points: [{ name: 'centre', x: 24, y: 24 }] }),
  };
}

let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer({ SPAWN_SPREAD: '0' }, { zones: [ringed(1, 'meadow', 'crypt'), ringed(2, 'crypt', 'meadow')] });
});

afterAll(async () => {
  await server?.close();
});

describe('bots through portals', () => {
  it('keep playing across zone changes, and the report counts them', async () => {
    const report = await runBots(
      { ...defaultBotOptions(8), url: server.url, count: 8, duration: 8, ramp: 1, guests: true, workers: 1, behavior: 'wander', progress: false },
      { noServerProbe: true },
    );
    expect(report.connected).toBe(8);
    expect(report.disconnects).toBe(0);
    expect(report.errorsByReason).toEqual({});
    expect(report.zoneChanges).toBeGreaterThan(0);
    expect(report.noticesByReason).toEqual({});
    expect(report.snapshotsPerSecondPerBot.min!).toBeGreaterThan(12);
  }, 60_000);
});
