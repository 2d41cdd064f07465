import { afterEach, describe, expect, it } from 'vitest';
import { CellSupervisor } from '../../src/main/zones/supervisor.ts';
import { StatSlot, ZoneControl } from '../../src/shared/layout.ts';
import { silentLog, testZone, waitStopped } from '../helpers/zone.ts';

describe('handoff between cells under stress', () => {
  let sup: CellSupervisor | undefined;
  afterEach(async () => {
    await sup?.stop();
    sup = undefined;
  });

  it('keeps exactly one owner for each of 2,000 random walkers over 3,000 ticks of a 2x2 zone', async () => {
    const ticks = 3000;
    sup = new CellSupervisor(silentLog, 60_000);
    // A small map so walkers cross borders often: 96x96 units, 16-unit tiles.
    const launch = testZone(
      { width: 96, height: 96, capacity: 4096 },
      { wanderers: 2000, wanderSpeed: 12, verifyOwnership: true, freeRun: true, maxTicks: ticks },
    );
    await sup.start([launch]);
    await waitStopped(sup);
    const zone = sup.zones[0];
    expect(zone.health).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
    const control = zone.views.control;
    expect(Atomics.load(control, ZoneControl.verifiedTicks)).toBe(ticks);
    expect(Atomics.load(control, ZoneControl.ownershipViolations)).toBe(0);
    expect(zone.views.store.liveCount).toBe(2000);
    let handoffsOut = 0;
    let handoffsIn = 0;
    for (let c = 0; c < 4; c++) {
      const s = zone.views.stats(c);
      handoffsOut += s[StatSlot.handoffsOut];
      handoffsIn += s[StatSlot.handoffsIn];
    }
    // Crossings really happened, and every one sent was adopted but those of the last tick.
    expect(handoffsOut).toBeGreaterThan(2000);
    expect(handoffsOut - handoffsIn).toBeGreaterThanOrEqual(0);
    expect(handoffsOut - handoffsIn).toBeLessThan(200);
  });
});
