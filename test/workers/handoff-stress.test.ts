import { afterEach, describe, expect, it } from 'vitest';
import { CellSupervisor, type ZoneHandle } from '../../src/main/zones/supervisor.ts';
import type { ReattachedPlayer } from '../../src/shared/cell-contract.ts';
import { indexOf } from '../../src/shared/entity-store.ts';
import { EntityKind, SlotState, StatSlot, ZoneControl } from '../../src/shared/layout.ts';
import { CellMessage, CellMsg, JoinStatus } from '../../src/shared/messages/cell-to-gate.ts';
import { writeJoin } from '../../src/shared/messages/gate-to-cell.ts';
import { silentLog, testZone, waitStopped } from '../helpers/zone.ts';

/**
 * Plays the gate for a zone run without one: writes JOINs into the cells'
 * inbound rings and drains their outbound rings (frames are thrown away),
 * keeping every JOINED and LEFT.
 */
class FakeGate {
  readonly joined: { conn: number; status: number; handle: number }[] = [];
  readonly left: number[] = [];
  private readonly msg = new CellMessage();
  private readonly zone: ZoneHandle;
  constructor(zone: ZoneHandle) {
    this.zone = zone;
  }

  join(cell: number, conn: number, x: number, y: number): void {
    const ring = this.zone.views.gateToCell(cell);
    if (!writeJoin(ring, conn, conn, x, y, 0, 0)) throw new Error('gate ring full');
    ring.flush();
  }

  drain(): void {
    const { views } = this.zone;
    for (let c = 0; c < views.geometry.cellCount; c++) {
      const ring = views.cellToGate(c);
      const m = this.msg;
      for (let at = ring.peek(); at >= 0; at = ring.peek()) {
        if (!m.read(ring.view, at, ring.messageLength)) throw new Error(`malformed message from cell ${c}`);
        if (m.op === CellMsg.JOINED) this.joined.push({ conn: m.conn, status: m.status, handle: m.handle });
        else if (m.op === CellMsg.LEFT) this.left.push(m.conn);
        ring.release();
      }
      ring.done();
    }
  }

  /** Polls (draining) until `cond` holds; throws naming `what` after `timeoutMs`. */
  async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (this.drain(); !cond(); this.drain()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

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

  it('keeps exactly one owner under random teleports anywhere in a 3x1 zone and a cell killed and restarted mid-run; every player keeps one entity', async () => {
    const ticks = 3000;
    const walkers = 2000;
    const players = 12;
    sup = new CellSupervisor(silentLog, 60_000);
    let down = 0;
    sup.on('zoneDown', () => down++);
    // 3x1: cells 0 and 2 are not neighbours, so teleports also jump over a cell.
    const launch = testZone(
      { width: 96, height: 96, capacity: 4096, cellCols: 3, cellRows: 1 },
      {
        wanderers: walkers,
        wanderSpeed: 12,
        verifyOwnership: true,
        freeRun: true,
        maxTicks: ticks,
        systemModules: [new URL('./fixtures/chaos-teleport.ts', import.meta.url).href],
      },
    );
    await sup.start([launch]);
    const zone = sup.zones[0];
    const { views } = zone;
    const control = views.control;
    expect(zone.systems[0]).toContain('chaos-teleport');
    const gate = new FakeGate(zone);

    // Players join across the zone (conn = characterId = 1000 + i).
    for (let i = 0; i < players; i++) {
      const x = 4 + ((i * 89) % 88);
      const y = 4 + ((i * 53) % 88);
      gate.join(views.geometry.cellOf(x, y), 1000 + i, x, y);
    }
    await gate.until(() => gate.joined.length === players, 10_000, 'every JOINED');
    expect(gate.joined.every((j) => j.status === JoinStatus.OK)).toBe(true);
    const handles = new Map(gate.joined.map((j) => [j.conn, j.handle]));
    expect(new Set(handles.values()).size).toBe(players);

    // Kill the middle cell mid-run (wherever it is in its tick), once the zone is well under way.
    await gate.until(() => zone.tickOf(1) >= ticks / 3, 30_000, 'a third of the run');
    await zone.workers[1].terminate();
    await gate.until(() => down === 1, 10_000, 'zone down');
    const verifiedBefore = Atomics.load(control, ZoneControl.verifiedTicks);
    expect(verifiedBefore).toBeGreaterThanOrEqual(ticks / 3);
    expect(verifiedBefore).toBeLessThan(ticks);
    expect(Atomics.load(control, ZoneControl.ownershipViolations)).toBe(0);
    // Every player's entity survived in the store; they are reattached by handle.
    const reattach: ReattachedPlayer[] = [...handles].map(([conn, handle]) => ({ conn, handle, characterId: conn }));
    for (const p of reattach) expect(views.store.isValid(p.handle)).toBe(true);
    gate.joined.length = 0;
    await sup.restartZone(zone, reattach);

    // A JOIN re-sent around the restart (as the gate does) gets the same entity back, never a second.
    for (const p of reattach) gate.join(Atomics.load(views.store.f.owner, indexOf(p.handle)), p.conn, 48, 48);
    await gate.until(() => gate.joined.length === players, 10_000, 'every JOINED after the restart');
    for (const j of gate.joined) expect(j.handle).toBe(handles.get(j.conn));

    // The restarted cells run their own `ticks` ticks, verified like the first ones.
    await waitStopped(sup);
    gate.drain();
    expect(zone.health).toEqual(['stopped', 'stopped', 'stopped']);
    expect(Atomics.load(control, ZoneControl.verifiedTicks)).toBeGreaterThanOrEqual(verifiedBefore + ticks);
    expect(Atomics.load(control, ZoneControl.ownershipViolations)).toBe(0);
    expect(views.store.liveCount).toBe(walkers + players);
    expect(gate.left).toEqual([]);

    // Exactly one PLAYER entity per player, the one it joined with.
    const playerSlots: number[] = [];
    for (let i = 0; i < views.store.capacity; i++) {
      if (Atomics.load(views.store.f.state, i) === SlotState.ALIVE && views.store.f.kind[i] === EntityKind.PLAYER) playerSlots.push(i);
    }
    expect(playerSlots.sort((a, b) => a - b)).toEqual([...handles.values()].map(indexOf).sort((a, b) => a - b));
    for (const h of handles.values()) expect(views.store.isValid(h)).toBe(true);

    // Teleports and handoffs really happened, before and after the restart.
    let teleports = 0;
    let handoffsOut = 0;
    for (let c = 0; c < 3; c++) {
      teleports += views.stats(c)[StatSlot.teleports];
      handoffsOut += views.stats(c)[StatSlot.handoffsOut];
    }
    expect(teleports).toBeGreaterThan(3 * ticks);
    expect(handoffsOut).toBeGreaterThan(3 * ticks);
    expect(down).toBe(1);
  });
});
