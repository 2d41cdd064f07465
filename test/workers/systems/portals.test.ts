/**
 * The portals system, with a whole zone's cells driven tick by tick in this
 * thread (fixtures/in-thread-zone.ts): who is taken, when, exactly once, and
 * what the gate is told. The zone is 64 × 32 in two cells (the border is x = 32).
 */
import { describe, expect, it } from 'vitest';
import { MoveKind } from '../../../src/protocol/opcodes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { EntityFlags, EntityKind, StatSlot } from '../../../src/shared/layout.ts';
import { CellMsg, JoinStatus } from '../../../src/shared/messages/cell-to-gate.ts';
import { portalTiles } from '../../../src/workers/systems/portals.ts';
import { fieldPack, portal } from '../../helpers/zone-maps.ts';
import { InThreadZone, type Sent } from '../fixtures/in-thread-zone.ts';

const EAST = portal('east', 40, 10, 2, 2, 'b', 'arrive');
const NEAR_BORDER = portal('near-border', 33, 20, 2, 2, 'b', 'arrive');

function zone(o: { playerSpeed?: number; wanderers?: number; portals?: ReturnType<typeof portal>[] } = {}): InThreadZone {
  return new InThreadZone({
    pack: fieldPack('t', { width: 64, height: 32, portals: o.portals ?? [EAST, NEAR_BORDER] }),
    cell: { playerSpeed: o.playerSpeed, wanderers: o.wanderers ?? 0 },
  });
}

/** Runs up to `max` ticks, collecting what both cells send, until `done` holds. */
function runUntil(z: InThreadZone, sent: Sent[], done: () => boolean, max = 200): void {
  for (let i = 0; i < max && !done(); i++) {
    z.tick();
    sent.push(...z.drain(0), ...z.drain(1));
  }
}

const portalsOf = (sent: Sent[]) => sent.filter((m) => m.op === CellMsg.PORTAL);

describe('portals system', () => {
  it('takes a player that walks in: the entity is freed before replication and the gate gets its state and the spot it came from', () => {
    const z = zone();
    const sent: Sent[] = [];
    z.join(1, 1, 36, 10.5, 70);
    runUntil(z, sent, () => sent.some((m) => m.op === CellMsg.JOINED));
    const handle = sent.find((m) => m.op === CellMsg.JOINED)!.handle;
    z.input(1, 1, 1, MoveKind.DESTINATION, 45, 10.5);
    runUntil(z, sent, () => portalsOf(sent).length > 0);
    const [p] = portalsOf(sent);
    expect(p).toMatchObject({ conn: 1, portal: 0, hp: 70, backY: 10.5 });
    expect(p.x).toBeGreaterThanOrEqual(40);
    expect(p.x).toBeLessThan(40.3); // one step in
    expect(p.backX).toBeLessThan(40);
    expect(p.backX).toBeGreaterThan(39.6); // one step before
    expect(z.views.store.isValid(handle)).toBe(false);
    expect(z.cells[1].players.slotOf(1)).toBe(-1);
    // No frame of that tick or later: the entity was gone before this tick's replication.
    const frames = sent.filter((m) => m.op === CellMsg.FRAME && m.conn === 1);
    expect(frames.length).toBeGreaterThan(0);
    expect(Math.max(...frames.map((f) => f.tick))).toBeLessThan(p.tick);
    runUntil(z, sent, () => false, 20);
    expect(portalsOf(sent)).toHaveLength(1);
    expect(sent.some((m) => m.op === CellMsg.LEFT)).toBe(false);
  });

  it('does not bounce: a player arriving on a point inside a portal stays until it steps out and in again', () => {
    const z = zone();
    const sent: Sent[] = [];
    z.join(1, 2, 41, 11);
    runUntil(z, sent, () => false, 40);
    expect(sent.some((m) => m.op === CellMsg.JOINED && m.status === JoinStatus.OK)).toBe(true);
    expect(portalsOf(sent)).toEqual([]);
    z.input(1, 2, 1, MoveKind.DESTINATION, 45, 11);
    runUntil(z, sent, () => false, 40);
    expect(portalsOf(sent)).toEqual([]);
    z.input(1, 2, 2, MoveKind.DESTINATION, 41, 11);
    runUntil(z, sent, () => portalsOf(sent).length > 0);
    const [p] = portalsOf(sent);
    expect(p.conn).toBe(2);
    expect(p.backX).toBeGreaterThanOrEqual(42); // came in from the east side
  });

  it('takes a player whose very first step after arriving lands in a portal (where it arrived is recorded before it moves)', () => {
    const z = zone();
    const sent: Sent[] = [];
    z.join(1, 6, 39.9, 10.5);
    z.tick(); // spawned at the end of this tick's spawn phase
    sent.push(...z.drain(1));
    z.input(1, 6, 1, MoveKind.DESTINATION, 45, 10.5);
    z.tick();
    sent.push(...z.drain(1));
    expect(portalsOf(sent)).toHaveLength(1);
    expect(portalsOf(sent)[0]).toMatchObject({ conn: 6, backX: Math.fround(39.9) });
  });

  it('takes a player exactly once when it steps in on its first tick in a new cell (the memory travels with the handoff)', () => {
    // 0.8 units a tick: at x = 32.3 the player is handed to cell 1, and its next step lands in the portal at x >= 33.
    const z = zone({ playerSpeed: 16 });
    const sent: Sent[] = [];
    z.join(0, 3, 31.5, 21);
    runUntil(z, sent, () => sent.some((m) => m.op === CellMsg.JOINED));
    z.input(0, 3, 1, MoveKind.DESTINATION, 40, 21);
    runUntil(z, sent, () => portalsOf(sent).length > 0, 40);
    const ps = portalsOf(sent);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ conn: 3, portal: 1 });
    expect(ps[0].backX).toBeGreaterThanOrEqual(32); // recorded by cell 0, carried to cell 1
    expect(ps[0].backX).toBeLessThan(33);
    expect(sent.some((m) => m.op === CellMsg.MOVED && m.conn === 3 && m.cell === 1)).toBe(true);
    expect(z.violations).toBe(0);
  });

  it('never takes an NPC: a crowd of wanderers in a portal as large as the zone stays', () => {
    const z = zone({ wanderers: 200, portals: [portal('everywhere', 1, 1, 62, 30, 'b', 'arrive')] });
    const live = z.views.store.liveCount;
    const sent: Sent[] = [];
    // Wanderers walking back and forth across the portal's inside and its one-tile rim.
    runUntil(z, sent, () => false, 150);
    expect(portalsOf(sent)).toEqual([]);
    expect(z.views.store.liveCount).toBe(live);
  });

  it('never takes a dead player', () => {
    const z = zone();
    const sent: Sent[] = [];
    z.join(1, 4, 36, 10.5);
    runUntil(z, sent, () => sent.some((m) => m.op === CellMsg.JOINED));
    const slot = indexOf(sent.find((m) => m.op === CellMsg.JOINED)!.handle);
    z.views.store.f.flags[slot] |= EntityFlags.DEAD;
    // The dead do not walk; moved into the portal (a teleport counts as stepping in), it still stays.
    z.input(1, 4, 1, MoveKind.DESTINATION, 41, 10.5);
    runUntil(z, sent, () => false, 5);
    expect(z.views.store.f.x[slot]).toBe(36);
    z.cells[z.ownerOf(z.views.store.handleAt(slot))].lifecycle.teleport(slot, 41, 10.5);
    runUntil(z, sent, () => false, 40);
    expect(z.views.store.f.x[slot]).toBe(41);
    expect(portalsOf(sent)).toEqual([]);
    expect(z.views.store.f.kind[slot]).toBe(EntityKind.PLAYER);
  });

  it('drops a late input for a player gone through a portal, and a later JOIN of that connection gets a new entity in a cell it once left', () => {
    const z = zone();
    const sent: Sent[] = [];
    z.join(0, 5, 28, 10.5);
    runUntil(z, sent, () => sent.some((m) => m.op === CellMsg.JOINED));
    z.input(0, 5, 1, MoveKind.DESTINATION, 45, 10.5); // through cell 1 (a handoff: cell 0 remembers where it went) into the portal
    runUntil(z, sent, () => portalsOf(sent).length > 0);
    expect(sent.some((m) => m.op === CellMsg.MOVED && m.conn === 5)).toBe(true);
    const before = [z.cells[0], z.cells[1]].map((c) => [c.stats[StatSlot.inputsApplied], c.stats[StatSlot.inputsForwarded]]);
    z.input(1, 5, 2, MoveKind.DESTINATION, 10, 10); // in flight when it left
    sent.length = 0;
    z.join(0, 5, 10, 10.5); // it comes back to this zone, into cell 0
    runUntil(z, sent, () => sent.some((m) => m.op === CellMsg.JOINED), 10);
    const joined = sent.filter((m) => m.op === CellMsg.JOINED);
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({ conn: 5, status: JoinStatus.OK });
    expect(z.ownerOf(joined[0].handle)).toBe(0);
    // Neither cell applied nor forwarded the late inputs.
    expect([z.cells[0], z.cells[1]].map((c) => [c.stats[StatSlot.inputsApplied], c.stats[StatSlot.inputsForwarded]])).toEqual(before);
    expect(z.cells[0].intents.move[indexOf(joined[0].handle)]).toBe(MoveKind.STOP); // the late inputs did not steer the new entity
  });
});

describe('portalTiles', () => {
  it('covers the tiles whose centres lie in the rectangle, and at least the tile under a small portal', () => {
    const t = portalTiles([portal('a', 7, 4, 1, 1, 'z', 'p'), portal('b', 2.25, 3.6, 1.5, 0.3, 'z', 'p'), portal('c', 0.4, 0.4, 2.2, 2.2, 'z', 'p')]);
    expect([...t]).toEqual([7, 4, 8, 5, 2, 3, 4, 4, 0, 0, 3, 3]);
  });
});
