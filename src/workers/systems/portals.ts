import type { Portal } from '../../content/zone-map.ts';
import type { EntityStore } from '../../shared/entity-store.ts';
import type { Reader } from '../../protocol/reader.ts';
import { Writer } from '../../protocol/writer.ts';
import { MAX_CARRY_BYTES } from '../../shared/messages/gate-to-cell.ts';
import { EntityFlags, EntityKind } from '../../shared/layout.ts';
import { writePortal } from '../../shared/messages/cell-to-gate.ts';
import { type PrivatePart, PartId } from '../private-state.ts';
import type { CellContext, System } from '../system.ts';

/** No memory (a slot that is not a player of this cell): its first check only records where it stands. */
const UNSEEN = -2;
const OUTSIDE = -1;

/**
 * Where each player stood at its last check: the portal it was in (or
 * OUTSIDE) and its last spot outside every portal. Set where the player
 * arrives (joined, or restarted), before any move; private to the owner, so
 * it travels with a handoff: a player crossing a cell border while stepping
 * into a portal is taken exactly once.
 */
export class PortalMemory implements PrivatePart {
  readonly id = PartId.PORTALS;
  readonly name = 'portal';
  readonly inside: Int32Array;
  readonly outX: Float32Array;
  readonly outY: Float32Array;
  private readonly store: EntityStore;
  private readonly tiles: Int32Array;

  constructor(store: EntityStore, tiles: Int32Array) {
    this.store = store;
    this.tiles = tiles;
    this.inside = new Int32Array(store.capacity).fill(UNSEEN);
    this.outX = new Float32Array(store.capacity);
    this.outY = new Float32Array(store.capacity);
  }

  /** Records where the player stands now: in a portal, it is not taken until it steps out and in. */
  arrive(slot: number): void {
    const x = this.store.f.x[slot];
    const y = this.store.f.y[slot];
    this.inside[slot] = portalAt(this.tiles, x, y);
    this.outX[slot] = x;
    this.outY[slot] = y;
  }

  spawned(slot: number): void {
    this.arrive(slot);
  }

  appliesTo(kind: number): boolean {
    return kind === EntityKind.PLAYER;
  }

  size(): number {
    return 12;
  }

  write(w: Writer, slot: number): void {
    w.i32(this.inside[slot]);
    w.f32(this.outX[slot]);
    w.f32(this.outY[slot]);
  }

  read(r: Reader, slot: number): void {
    this.inside[slot] = r.i32();
    this.outX[slot] = r.f32();
    this.outY[slot] = r.f32();
  }

  /** After a restart a player standing in a portal is not whisked away: it must step out and in again. */
  recover(slot: number): boolean {
    this.arrive(slot);
    return true;
  }

  release(slot: number): void {
    this.inside[slot] = UNSEEN;
  }
}

/**
 * Each portal as the whole tiles it covers, [x0, y0, x1, y1) per portal: a
 * tile belongs to a portal when its centre lies in the portal's rectangle,
 * and a portal that covers no tile centre covers the tile under its own.
 */
export function portalTiles(portals: readonly Portal[]): Int32Array {
  const out = new Int32Array(portals.length * 4);
  portals.forEach((p, i) => {
    let x0 = Math.ceil(p.x - 0.5);
    let x1 = Math.ceil(p.x + p.width - 0.5);
    let y0 = Math.ceil(p.y - 0.5);
    let y1 = Math.ceil(p.y + p.height - 0.5);
    if (x1 <= x0) x1 = (x0 = Math.floor(p.x + p.width / 2)) + 1;
    if (y1 <= y0) y1 = (y0 = Math.floor(p.y + p.height / 2)) + 1;
    out.set([x0, y0, x1, y1], i * 4);
  });
  return out;
}

/** Index of the first portal whose tiles hold the tile under (x, y), or OUTSIDE. */
function portalAt(tiles: Int32Array, x: number, y: number): number {
  const tx = Math.floor(x);
  const ty = Math.floor(y);
  for (let o = 0; o < tiles.length; o += 4) {
    if (tx >= tiles[o] && ty >= tiles[o + 1] && tx < tiles[o + 2] && ty < tiles[o + 3]) return o >> 2;
  }
  return OUTSIDE;
}

/**
 * Players who step into a portal of the zone's map leave the zone: the
 * entity is released through the lifecycle (deferred, as a LEAVE is) and,
 * at that point, the gate gets a must-deliver PORTAL with the player's state
 * and its last spot outside; the gate takes it to the portal's target zone
 * (main/gate/zone-change.ts). Runs right after movement, so the entity is
 * gone before this tick's replication.
 *
 * No ping-pong: a portal takes a player only as it steps in, from outside or
 * from another portal. Where a player arrives (joins, comes back after a
 * refusal, or is restarted) is recorded before its first move, so one that
 * arrives standing in a portal must walk out and in again. So a target point may lie inside the return
 * portal. A teleport that lands in a portal counts as stepping in. NPCs never
 * take portals (only players are checked), nor do dead players.
 */
export function portals(ctx: CellContext): System {
  const tiles = portalTiles(ctx.zoneMap.portals);
  const mem = new PortalMemory(ctx.store, tiles);
  ctx.parts.register(mem);
  // What the player's combat brings along (cooldowns, auras), written into scratch bytes kept for every departure.
  const carry = new Uint8Array(MAX_CARRY_BYTES);
  const w = new Writer();
  // Bound once: no closure per departure. Runs in the spawn phase, before the slot is freed.
  const depart = (slot: number) => {
    const p = ctx.players.bySlot[slot];
    if (!p) return;
    let tail: Uint8Array | undefined;
    if (ctx.players.carryOut) {
      w.reset(carry);
      ctx.players.carryOut(slot, w);
      tail = carry.subarray(0, w.length);
    }
    writePortal(ctx.gateOut, p.conn, ctx.tick, mem.inside[slot], ctx.store, slot, mem.outX[slot], mem.outY[slot], tail);
  };
  return {
    name: 'portals',
    phase: 'simulate',
    run(c) {
      if (tiles.length === 0) return;
      const f = c.store.f;
      const list = c.players.slots.list;
      for (let i = c.players.slots.count - 1; i >= 0; i--) {
        const slot = list[i];
        const at = portalAt(tiles, f.x[slot], f.y[slot]);
        const was = mem.inside[slot];
        mem.inside[slot] = at;
        if (at === OUTSIDE || was === UNSEEN) {
          // Where to go back to if the target refuses it (on arrival inside a portal, the arrival spot).
          mem.outX[slot] = f.x[slot];
          mem.outY[slot] = f.y[slot];
          continue;
        }
        if (at === was || (f.flags[slot] & EntityFlags.DEAD) !== 0) continue;
        c.lifecycle.despawn(slot, depart);
      }
    },
  };
}
