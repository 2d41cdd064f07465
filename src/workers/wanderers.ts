import { isBlocked, type GameMap } from '../content/map-format.ts';
import { mulberry32 } from '../shared/random.ts';
import { indexOf, type EntityStore } from '../shared/entity-store.ts';
import { EntityKind } from '../shared/layout.ts';
import type { Ring } from '../shared/ring.ts';
import { readWandererHandoff, writeWandererHandoff, type WandererState } from './handoff.ts';
import { MoveArg, type Mover } from './movement.ts';

/**
 * The wandering NPCs' AI, owner-private: a heading per slot and ticks until
 * it changes. Walk straight, turn at random every 1-5 s or when blocked.
 */
export class Wanderers {
  private readonly dirX: Float32Array;
  private readonly dirY: Float32Array;
  private readonly ticksLeft: Int32Array;
  private readonly rnd: () => number;
  private readonly scratch: WandererState = { dirX: 0, dirY: 0, ticksLeft: 0 };

  constructor(capacity: number, seed: number) {
    this.dirX = new Float32Array(capacity);
    this.dirY = new Float32Array(capacity);
    this.ticksLeft = new Int32Array(capacity);
    this.rnd = mulberry32(seed);
  }

  /** Picks a new heading for a slot. */
  pick(slot: number): void {
    const angle = this.rnd() * Math.PI * 2;
    this.dirX[slot] = Math.cos(angle);
    this.dirY[slot] = Math.sin(angle);
    this.ticksLeft[slot] = 20 + Math.floor(this.rnd() * 80);
  }

  /** One tick of one wanderer; the mover's STEP is already set. */
  step(mover: Mover, slot: number): void {
    if (--this.ticksLeft[slot] <= 0) this.pick(slot);
    mover.args[MoveArg.X] = this.dirX[slot];
    mover.args[MoveArg.Y] = this.dirY[slot];
    if (!mover.along(slot)) this.ticksLeft[slot] = 0;
  }

  /**
   * Spawns `count` wanderers on walkable tiles of rectangle [x0, y0, x1, y1)
   * owned by `cell`; returns their slots through `onSpawn`.
   */
  spawn(store: EntityStore, map: GameMap, cell: number, rect: readonly number[], count: number, onSpawn: (slot: number) => void): void {
    const f = store.f;
    const [x0, y0, x1, y1] = rect;
    for (let i = 0; i < count; i++) {
      const handle = store.allocate();
      if (handle < 0) throw new Error(`zone full: cannot spawn wanderer ${i} of ${count}`);
      const slot = indexOf(handle);
      let x = 0;
      let y = 0;
      for (let attempt = 0; ; attempt++) {
        x = x0 + 0.5 + this.rnd() * (x1 - x0 - 1);
        y = y0 + 0.5 + this.rnd() * (y1 - y0 - 1);
        if (!isBlocked(map, Math.floor(x), Math.floor(y))) break;
        if (attempt > 1000) throw new Error(`no walkable tile found in cell ${cell}`);
      }
      f.kind[slot] = EntityKind.NPC;
      f.template[slot] = 1;
      f.x[slot] = x;
      f.y[slot] = y;
      f.hp[slot] = f.maxHp[slot] = 50;
      f.level[slot] = 1;
      f.flags[slot] = 0;
      Atomics.store(f.owner, slot, cell);
      store.publish(handle);
      this.pick(slot);
      onSpawn(slot);
    }
  }

  /** Writes a wanderer's AI state as a handoff; false when the ring is full. */
  handOff(ring: Ring, handle: number, slot: number): boolean {
    this.scratch.dirX = this.dirX[slot];
    this.scratch.dirY = this.dirY[slot];
    this.scratch.ticksLeft = this.ticksLeft[slot];
    return writeWandererHandoff(ring, handle, this.scratch);
  }

  /** Takes a wanderer's AI state from a handoff message. */
  adopt(v: DataView, offset: number, slot: number): void {
    readWandererHandoff(v, offset, this.scratch);
    this.dirX[slot] = this.scratch.dirX;
    this.dirY[slot] = this.scratch.dirY;
    this.ticksLeft[slot] = this.scratch.ticksLeft;
  }
}
