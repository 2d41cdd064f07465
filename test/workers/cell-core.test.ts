/**
 * The cell core's message order, routing and ownership, with the zone's
 * cells driven by hand in this thread (fixtures/in-thread-zone.ts), so each
 * interleaving below happens exactly as written, every run.
 */
import { describe, expect, it } from 'vitest';
import { MoveKind } from '../../src/protocol/opcodes.ts';
import { indexOf } from '../../src/shared/entity-store.ts';
import { EntityKind, StatSlot } from '../../src/shared/layout.ts';
import { CellMsg, JoinStatus } from '../../src/shared/messages/cell-to-gate.ts';
import { InThreadZone, type Sent } from './fixtures/in-thread-zone.ts';

const RIGHT = [MoveKind.DIRECTION, 1, 0] as const;
const LEFT = [MoveKind.DIRECTION, -1, 0] as const;

/** Joins one player at (x, y) and returns its handle. */
function joinOne(z: InThreadZone, cell: number, conn: number, x: number, y: number): number {
  z.join(cell, conn, x, y);
  z.tick();
  const joined = z.drain(cell).filter((m) => m.op === CellMsg.JOINED);
  expect(joined).toHaveLength(1);
  expect(joined[0].status).toBe(JoinStatus.OK);
  return joined[0].handle;
}

/** Ticks until the entity's owner word is `cell` (bounded). */
function tickUntilOwner(z: InThreadZone, handle: number, cell: number, max = 100): void {
  for (let i = 0; i < max && z.ownerOf(handle) !== cell; i++) z.tick();
  expect(z.ownerOf(handle)).toBe(cell);
}

const drainAll = (z: InThreadZone): Sent[] => z.cells.flatMap((_, c) => z.drain(c));

describe('input order', () => {
  it('a stale input forwarded around a handoff never overrides a newer one', () => {
    const z = new InThreadZone();
    const h = joinOne(z, 0, 7, 31.5, 16);
    z.input(0, 7, 1, ...RIGHT);
    tickUntilOwner(z, h, 1); // walked across x = 32 into cell 1
    const slot = indexOf(h);
    // The gate, a tick behind, sends seq 2 (walk on) to the old owner, and
    // then seq 3 (stop) to the new one, which applies it first.
    z.input(0, 7, 2, ...RIGHT);
    z.input(1, 7, 3, MoveKind.STOP, 0, 0);
    z.tick(); // cell 0 forwards seq 2; cell 1 applies seq 3
    expect(z.cells[1].intents.move[slot]).toBe(MoveKind.STOP);
    z.tick(); // cell 1 receives the forwarded seq 2: older than 3, ignored
    expect(z.cells[1].intents.move[slot]).toBe(MoveKind.STOP);
    expect(z.cells[0].stats[StatSlot.inputsForwarded]).toBe(1);
    expect(z.cells[1].stats[StatSlot.inputsStale]).toBe(1);
    const x = z.views.store.f.x[slot];
    z.ticks(5);
    expect(z.views.store.f.x[slot]).toBe(x); // it really stands still
  });

  it('sequence numbers compare across wrap-around', () => {
    const z = new InThreadZone();
    const h = joinOne(z, 0, 7, 10, 16);
    const slot = indexOf(h);
    z.input(0, 7, 0xfffffffe, ...RIGHT);
    z.tick();
    z.input(0, 7, 1, MoveKind.STOP, 0, 0); // newer: 0xfffffffe + 3 wraps to 1
    z.tick();
    expect(z.cells[0].intents.move[slot]).toBe(MoveKind.STOP);
    z.input(0, 7, 0xffffffff, ...RIGHT); // older than 1 after the wrap
    z.tick();
    expect(z.cells[0].intents.move[slot]).toBe(MoveKind.STOP);
    expect(z.cells[0].stats[StatSlot.inputsStale]).toBe(1);
  });
});

describe('routing by the owner word', () => {
  it('after A → B → A, a late message sent to B reaches the player in A', () => {
    const z = new InThreadZone();
    const h = joinOne(z, 0, 7, 31.5, 16);
    z.input(0, 7, 1, ...RIGHT);
    tickUntilOwner(z, h, 1);
    z.input(1, 7, 2, ...LEFT);
    tickUntilOwner(z, h, 0);
    z.input(1, 7, 3, MoveKind.STOP, 0, 0); // the gate still thought B
    z.ticks(2);
    expect(z.cells[0].intents.move[indexOf(h)]).toBe(MoveKind.STOP);
    // And a LEAVE sent to B is still honoured in A: the player leaves, once.
    z.leave(1, 7);
    z.ticks(2);
    const left = drainAll(z).filter((m) => m.op === CellMsg.LEFT);
    expect(left.map((m) => m.conn)).toEqual([7]);
    expect(z.views.store.isValid(h)).toBe(false);
  });

  it('forwarding does not expire while the player lives (no silent drop after 200 ticks)', () => {
    const z = new InThreadZone();
    const h = joinOne(z, 0, 7, 31.5, 16);
    z.input(0, 7, 1, ...RIGHT);
    tickUntilOwner(z, h, 1);
    z.input(1, 7, 2, MoveKind.STOP, 0, 0);
    z.ticks(400);
    z.input(0, 7, 3, MoveKind.DESTINATION, 40, 16); // very late, to the old cell
    z.ticks(2);
    expect(z.cells[1].intents.move[indexOf(h)]).toBe(MoveKind.DESTINATION);
  });
});

describe('JOIN is idempotent', () => {
  it('two JOINs of one connection make one entity and answer both with its handle', () => {
    const z = new InThreadZone();
    z.join(0, 9, 10, 10);
    z.join(0, 9, 10, 10); // the same tick (a restart re-sent it)
    z.tick();
    z.join(0, 9, 10, 10); // and a later tick
    z.tick();
    const joined = z.drain(0).filter((m) => m.op === CellMsg.JOINED);
    expect(joined.map((m) => m.status)).toEqual([JoinStatus.OK, JoinStatus.OK]);
    expect(joined[1].handle).toBe(joined[0].handle);
    expect(z.views.store.liveCount).toBe(1);
  });

  it('a JOIN that reaches the cell the player already left is answered by its owner', () => {
    const z = new InThreadZone();
    const h = joinOne(z, 0, 7, 31.5, 16);
    z.input(0, 7, 1, ...RIGHT);
    tickUntilOwner(z, h, 1);
    drainAll(z);
    z.join(0, 7, 31.5, 16);
    z.ticks(2);
    const joined = drainAll(z).filter((m) => m.op === CellMsg.JOINED);
    expect(joined).toHaveLength(1);
    expect(joined[0].handle).toBe(h);
    expect(z.views.store.liveCount).toBe(1);
  });

  it('a join and its leave in one tick: spawned, reported left, nothing remains', () => {
    const z = new InThreadZone();
    z.join(0, 5, 10, 10);
    z.leave(0, 5);
    z.tick();
    expect(z.drain(0).filter((m) => m.op !== CellMsg.FRAME).map((m) => m.op)).toEqual([CellMsg.JOINED, CellMsg.LEFT]);
    expect(z.views.store.liveCount).toBe(0);
  });
});

describe('must-deliver messages on full rings', () => {
  it('JOINED and LEFT wait for room in a full gate ring, in order; frames are dropped and counted', () => {
    // 32 KiB (the least that holds the largest snapshot): the JOINEDs of 2,400 players (16 bytes each with the prefix) do not fit at once.
    const z = new InThreadZone({
      spec: { capacity: 4096 },
      ringSizes: { gateToCell: 1 << 17, cellToGate: 1 << 15, cellToCell: 1 << 18 },
    });
    const n = 2400;
    for (let conn = 1; conn <= n; conn++) z.join(0, conn, 1 + (conn % 30), 1 + (conn % 29));
    z.tick(); // nobody drains the gate ring
    for (let conn = 1; conn <= n; conn += 2) z.leave(0, conn);
    z.tick();
    expect(z.cells[0].stats[StatSlot.mustDeliverWaiting]).toBeGreaterThan(0);
    const got: Sent[] = [];
    for (let i = 0; i < 400 && (i < 2 || z.cells[0].stats[StatSlot.mustDeliverWaiting] > 0); i++) {
      got.push(...z.drain(0, 200)); // a slow gate
      z.tick();
    }
    got.push(...z.drain(0));
    const control = got.filter((m) => m.op === CellMsg.JOINED || m.op === CellMsg.LEFT);
    const byConn = new Map<number, number[]>();
    for (const m of control) byConn.set(m.conn, [...(byConn.get(m.conn) ?? []), m.op]);
    for (let conn = 1; conn <= n; conn++) {
      expect(byConn.get(conn)).toEqual(conn % 2 === 1 ? [CellMsg.JOINED, CellMsg.LEFT] : [CellMsg.JOINED]);
    }
    expect(z.cells[0].stats[StatSlot.mustDeliverQueued]).toBeGreaterThan(0);
    expect(z.cells[0].stats[StatSlot.framesDropped]).toBeGreaterThan(0);
    expect(z.cells[0].stats[StatSlot.mustDeliverWaiting]).toBe(0);
  });

  it('FORWARDs wait in order when the peer ring is full: every input arrives, the newest wins', () => {
    const z = new InThreadZone({ ringSizes: { gateToCell: 1 << 20, cellToGate: 1 << 20, cellToCell: 1 << 18 } });
    const h = joinOne(z, 0, 7, 31.5, 16);
    z.input(0, 7, 1, ...RIGHT);
    tickUntilOwner(z, h, 1);
    // 20,000 inputs to the old cell while the new one does not run: far more
    // than the 256 KiB cell-to-cell ring holds (each forward takes 28 bytes).
    let seq = 1;
    for (let batch = 0; batch < 40; batch++) {
      for (let i = 0; i < 500; i++) z.input(0, 7, ++seq, MoveKind.DESTINATION, 40 + (seq % 7), 16);
      z.tick([0]);
    }
    expect(z.cells[0].stats[StatSlot.mustDeliverWaiting]).toBeGreaterThan(0);
    for (let i = 0; i < 100 && z.cells[0].stats[StatSlot.mustDeliverWaiting] > 0; i++) z.tick();
    z.ticks(2);
    const s = z.cells[1].stats;
    expect(z.cells[0].stats[StatSlot.inputsForwarded]).toBe(seq - 1);
    expect(s[StatSlot.inputsApplied] + s[StatSlot.inputsStale]).toBe(seq - 1); // seq 1 was applied in cell 0
    expect(s[StatSlot.inputsStale]).toBe(0); // in order: none arrived after a newer one
    expect(z.cells[1].intents.a[indexOf(h)]).toBe(40 + (seq % 7));
  });
});

describe('teleports', () => {
  it('moves an entity into a cell that is not a neighbour, changing owner exactly once', () => {
    const moves: [number, number, number][] = [];
    const z = new InThreadZone({
      spec: { width: 128, height: 32, cellCols: 4, cellRows: 1 },
      extra: [
        (ctx) => ({
          name: 'teleporter',
          phase: 'simulate',
          run(c) {
            for (const [tick, handle, x] of moves) if (tick === c.tick && c.owned.has(indexOf(handle))) c.lifecycle.teleport(indexOf(handle), x, 16);
            void ctx;
          },
        }),
      ],
    });
    const h = joinOne(z, 0, 3, 5, 16);
    drainAll(z);
    const t = z.cells[0].tick;
    moves.push([t + 1, h, 120]); // cell 0 → cell 3
    z.tick();
    expect(z.ownerOf(h)).toBe(3); // flipped in the handoff phase of the same tick
    z.tick();
    expect(z.cells[3].owned.has(indexOf(h))).toBe(true);
    expect(z.cells[0].owned.has(indexOf(h))).toBe(false);
    expect(z.views.store.f.x[indexOf(h)]).toBe(120);
    expect(z.cells[0].stats[StatSlot.teleports]).toBe(1);
    expect(z.cells[0].stats[StatSlot.handoffsOut]).toBe(1);
    expect(z.cells[3].stats[StatSlot.handoffsIn]).toBe(1);
    const moved = z.drain(0).filter((m) => m.op === CellMsg.MOVED);
    expect(moved.map((m) => [m.conn, m.cell])).toEqual([[3, 3]]);
    // The player keeps playing in its new cell: inputs sent to the old one follow it.
    z.input(0, 3, 1, MoveKind.DESTINATION, 100, 16);
    z.ticks(2);
    expect(z.cells[3].intents.move[indexOf(h)]).toBe(MoveKind.DESTINATION);
    expect(z.violations).toBe(0);
  });

  it('many random teleports across a 3x3 zone keep one owner per entity at every tick', () => {
    let rnd = 12345;
    let chaos = true;
    const next = () => ((rnd = (rnd * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const z = new InThreadZone({
      spec: { width: 96, height: 96, cellCols: 3, cellRows: 3, capacity: 2048 },
      cell: { wanderers: 900, wanderSpeed: 6 },
      extra: [
        () => ({
          name: 'chaos-teleport',
          phase: 'simulate',
          run(c) {
            if (!chaos) return;
            for (let i = 0; i < c.owned.count; i++) if (next() < 0.02) c.lifecycle.teleport(c.owned.list[i], next() * 96, next() * 96);
          },
        }),
      ],
    });
    for (let conn = 1; conn <= 30; conn++) z.join(conn % 9, conn, 5 + (conn % 9) * 10, 5 + ((conn * 7) % 90));
    z.ticks(300);
    chaos = false;
    z.ticks(2); // let the last handoffs land
    expect(z.violations).toBe(0);
    expect(z.views.store.liveCount).toBe(930);
    let teleports = 0;
    let players = 0;
    for (const c of z.cells) {
      teleports += c.stats[StatSlot.teleports];
      players += c.players.count;
    }
    expect(teleports).toBeGreaterThan(3000);
    expect(players).toBe(30);
    let playerEntities = 0;
    for (let s = 0; s < 2048; s++) if (z.views.store.isValid(z.views.store.handleAt(s)) && z.views.store.f.kind[s] === EntityKind.PLAYER) playerEntities++;
    expect(playerEntities).toBe(30);
  });
});
