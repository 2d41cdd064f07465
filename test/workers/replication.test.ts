import { describe, expect, it } from 'vitest';
import { generateZonePack } from '../../src/content/map-generate.ts';
import { ClientView } from '../../src/protocol/client-view.ts';
import { indexOf } from '../../src/shared/entity-store.ts';
import { EntityKind, StatSlot } from '../../src/shared/layout.ts';
import { Ring } from '../../src/shared/ring.ts';
import { FRAME_HEADER_BYTES } from '../../src/shared/messages/cell-to-gate.ts';
import { allocateZoneMemory, ZoneViews } from '../../src/shared/zone-memory.ts';
import { PlayerState } from '../../src/workers/player-state.ts';
import { ViewTable } from '../../src/protocol/view-table.ts';
import { mulberry32 } from '../../src/shared/random.ts';
import { Limits } from '../../src/protocol/opcodes.ts';
import { Replicator } from '../../src/workers/replication.ts';
import { EntityRows } from '../../src/workers/entity-rows.ts';

/** A 2x1-cell zone of 8x4 AOI tiles (16 units) with entities placed by hand. */
function zoneWith(points: [number, number][]) {
  const spec = { id: 1, name: 't', width: 128, height: 64, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: 256, tickHz: 20 };
  const views = new ZoneViews(allocateZoneMemory(spec, generateZonePack(spec.name, 128, 64, 1, 0)));
  const handles: number[] = [];
  const owned = [new Int32Array(256), new Int32Array(256)];
  const counts = [0, 0];
  const tileOf = new Int32Array(256);
  for (const [x, y] of points) {
    const h = views.store.allocate();
    const s = indexOf(h);
    views.store.f.x[s] = x;
    views.store.f.y[s] = y;
    views.store.f.kind[s] = EntityKind.NPC;
    views.store.f.hp[s] = 10;
    views.store.publish(h);
    const cell = views.geometry.cellOf(x, y);
    owned[cell][counts[cell]++] = s;
    tileOf[s] = views.geometry.tileOf(x, y);
    handles.push(h);
  }
  for (const c of [0, 1]) views.grid.rebuild(c, owned[c], counts[c], tileOf);
  return { views, handles };
}

/** The one frame the replicator queued in `ring` (after its header), taken off the ring. */
function takeFrame(ring: Ring): Uint8Array {
  ring.flush();
  const at = ring.peek();
  const frame = ring.bytes.slice(at + FRAME_HEADER_BYTES, at + ring.messageLength);
  ring.release();
  ring.done();
  return frame;
}

/** Re-files every live entity of `handles` in the grid (each in the cell its position is in). */
function regrid(views: ZoneViews, handles: number[]): void {
  const owned = [new Int32Array(views.store.capacity), new Int32Array(views.store.capacity)];
  const counts = [0, 0];
  const tileOf = new Int32Array(views.store.capacity);
  for (const h of handles) {
    const s = indexOf(h);
    const cell = views.geometry.cellOf(views.store.f.x[s], views.store.f.y[s]);
    owned[cell][counts[cell]++] = s;
    tileOf[s] = views.geometry.tileOf(views.store.f.x[s], views.store.f.y[s]);
  }
  for (const c of [0, 1]) views.grid.rebuild(c, owned[c], counts[c], tileOf);
}

describe('replication', () => {
  it('orders a view from the last one as a full sort would, through moves, despawns, reused slots and crowds past the cap', () => {
    const rnd = mulberry32(7);
    const spec = { id: 1, name: 't', width: 128, height: 64, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: 1024, tickHz: 20 };
    const views = new ZoneViews(allocateZoneMemory(spec, generateZonePack(spec.name, 128, 64, 1, 0)));
    const f = views.store.f;
    const spawn = (x: number, y: number) => {
      const h = views.store.allocate();
      f.x[indexOf(h)] = x;
      f.y[indexOf(h)] = y;
      f.kind[indexOf(h)] = EntityKind.NPC;
      views.store.publish(h);
      return h;
    };
    // A viewer amid a crowd (more than the cap around it), and a few hundred more about the zone.
    const viewer = spawn(40, 30);
    const handles = [viewer];
    for (let i = 0; i < 320; i++) handles.push(spawn(24 + rnd() * 40, 14 + rnd() * 34));
    for (let i = 0; i < 300; i++) handles.push(spawn(rnd() * 127, rnd() * 63));
    const incremental = new Replicator(views, Ring.create(1 << 16), views.stats(0));
    const full = new Replicator(views, Ring.create(1 << 16), views.stats(0));
    const prev = new ViewTable(Limits.maxViewEntities);
    let churned = 0;
    for (let round = 0; round < 60; round++) {
      regrid(views, handles);
      const n = incremental.gather(indexOf(viewer), round === 0 ? null : prev.ids, 0, prev.count);
      const want = full.gather(indexOf(viewer));
      expect(n).toBe(want);
      expect([...incremental.ids.subarray(0, n)]).toEqual([...full.ids.subarray(0, want)]);
      prev.ensure(n);
      prev.ids.set(incremental.ids.subarray(0, n));
      prev.count = n;
      // Next tick: some walk, a few leave and others take their slots (a new generation), the viewer moves.
      for (let i = 1; i < handles.length; i++) {
        const s = indexOf(handles[i]);
        if (rnd() < 0.3) {
          f.x[s] = Math.min(127, Math.max(0, f.x[s] + (rnd() - 0.5) * 8));
          f.y[s] = Math.min(63, Math.max(0, f.y[s] + (rnd() - 0.5) * 8));
        }
        if (rnd() < 0.03) {
          views.store.free(handles[i]);
          handles[i] = spawn(24 + rnd() * 40, 14 + rnd() * 34);
          churned++;
        }
      }
      f.x[indexOf(viewer)] = 40 + Math.sin(round / 6) * 20;
    }
    expect(churned).toBeGreaterThan(100);
  });

  it('gathers exactly the 3x3 tiles around the viewer, across the cell border', () => {
    // Viewer at tile (3,1), next to the border at x = 64 (tile 4 is cell 1).
    const pts: [number, number][] = [
      [56, 24], // viewer, tile (3,1)
      [40, 8], [56, 8], [72, 8], // row above: tiles (2,0) (3,0) (4,0)
      [40, 24], [72, 24], // same row: (2,1) and (4,1) in cell 1
      [40, 40], [56, 40], [79, 47], // row below
      [90, 24], // tile (5,1): outside
      [20, 24], // tile (1,1): outside
      [56, 60], // tile (3,3): outside
    ];
    const { views, handles } = zoneWith(pts);
    const rep = new Replicator(views, Ring.create(1 << 16), views.stats(0));
    const n = rep.gather(indexOf(handles[0]));
    expect(n).toBe(9);
    const gathered = rep.ids.slice(0, n);
    expect([...gathered]).toEqual([...handles.slice(0, 9)].sort((a, b) => a - b));
  });

  it('encodes a frame a client decodes into the same view, then deltas against the acknowledged one', () => {
    const { views, handles } = zoneWith([[56, 24], [60, 20], [70, 30]]);
    const ring = Ring.create(1 << 16);
    const rep = new Replicator(views, ring, views.stats(0));
    const viewer = indexOf(handles[0]);
    const p = new PlayerState(9, 0, handles[0], rep.rows);
    const client = new ClientView();
    const deliver = () => client.apply(takeFrame(ring));
    expect(rep.replicate(p, viewer, 1)).toBe(true);
    let t = deliver();
    expect(client.header.baseTick).toBe(0);
    expect(t.count).toBe(3);
    p.ackTick = 1;
    views.store.f.x[indexOf(handles[1])] = 61;
    rep.replicate(p, viewer, 2);
    t = deliver();
    expect(client.header.baseTick).toBe(1);
    expect(t.x[t.indexOf(handles[1])]).toBe(61 * 16);
  });

  it('quantises each entity once a tick for all its viewers, and answers a baseline whose rows are gone with a full snapshot, counted', () => {
    const { views, handles } = zoneWith([[56, 24], [60, 20], [70, 30]]);
    const ring = Ring.create(1 << 16);
    const stats = views.stats(0);
    const rep = new Replicator(views, ring, stats);
    const a = new PlayerState(9, 0, handles[0], rep.rows);
    const b = new PlayerState(10, 0, handles[1], rep.rows);
    const client = new ClientView();
    const deliver = () => takeFrame(ring);
    expect(rep.replicate(a, indexOf(handles[0]), 1)).toBe(true);
    client.apply(deliver());
    expect(rep.replicate(b, indexOf(handles[1]), 1)).toBe(true);
    deliver();
    // Two views of the same three entities: three rows, not six.
    expect(rep.rows.pos).toBe(3);
    a.ackTick = 1;
    views.store.f.x[indexOf(handles[2])] = 71;
    rep.replicate(a, indexOf(handles[0]), 2);
    let t = client.apply(deliver());
    expect(client.header.baseTick).toBe(1);
    expect(stats[StatSlot.baselinesExpired]).toBe(0);
    // The ring went all the way round since (as under a client lagging past its reach): tick 2's rows are gone.
    a.ackTick = 2;
    rep.rows.pos = (rep.rows.pos + rep.rows.capacity) >>> 0;
    views.store.f.x[indexOf(handles[2])] = 72;
    rep.replicate(a, indexOf(handles[0]), 3);
    t = client.apply(deliver());
    expect(client.header.baseTick).toBe(0);
    expect(stats[StatSlot.baselinesExpired]).toBe(1);
    expect(t.count).toBe(3);
    expect(t.x[t.indexOf(handles[2])]).toBe(72 * 16);
  });

  it("keeps every view readable while its client acknowledges nothing, a newer view naming an older row than the oldest view's included", () => {
    // Entity 2 (far right) is made a row at tick 1 and never changes; the viewer first sees it at tick 13, through that row.
    const crowd: [number, number][] = [[90, 20], [92, 22], [94, 24], [96, 26], [98, 28]];
    const { views, handles } = zoneWith([[56, 24], [60, 20], [100, 30], ...crowd]);
    const ring = Ring.create(1 << 16);
    const rows = new EntityRows(views.store.schema, 1, 64);
    const rep = new Replicator(views, ring, views.stats(0), undefined, undefined, rows);
    const p = new PlayerState(9, 0, handles[0], rows);
    const other = new PlayerState(10, 0, handles[2], rows);
    const f = views.store.f;
    const viewer = indexOf(handles[0]);
    const drain = () => {
      ring.flush();
      for (let at = ring.peek(); at >= 0; at = ring.peek()) ring.release();
      ring.done();
    };
    rep.replicate(other, indexOf(handles[2]), 1);
    rep.replicate(p, viewer, 12);
    drain();
    // The viewer walks right: entity 2 and the crowd come into view; the crowd and the viewer move every tick
    // (six new rows a tick), and nothing is ever acknowledged, so every view is kept until 32 are held.
    f.x[viewer] = 88;
    regrid(views, handles);
    for (let tick = 13; tick <= 44; tick++) {
      f.x[viewer] = 88 + (tick % 2) / 8;
      for (let k = 0; k < crowd.length; k++) f.y[indexOf(handles[3 + k])] = crowd[k][1] + (tick % 2) / 8;
      rep.replicate(p, viewer, tick);
      drain();
      const t13 = p.history.find(13);
      expect(t13).not.toBeNull();
      // The row of tick 1 that view 13 names is older than anything view 12 names: kept all the same.
      for (const t of p.history.tables) if (t.tick !== 0 && t.count > 0) expect(rows.live(t.oldest)).toBe(true);
    }
    expect(rows.capacity).toBeGreaterThan(64);
  });
});
