import { isBlocked, type GameMap } from '../content/map-format.ts';
import { MoveKind } from '../protocol/opcodes.ts';
import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';
import { EntityKind, EntityFlags } from '../shared/layout.ts';
import { mulberry32 } from '../shared/random.ts';
import type { Intents } from './intents.ts';
import type { Lifecycle } from './lifecycle.ts';
import { type PrivatePart, PartId } from './private-state.ts';

/**
 * The wandering NPCs' AI memory, owner-private: ticks until the heading
 * changes. Walk straight, turn at random every 1-5 s or when blocked. The
 * heading itself is the entity's movement intent.
 */
export class Wanderers implements PrivatePart {
  readonly id = PartId.WANDERERS;
  readonly name = 'wander-ai';
  private readonly ticksLeft: Int32Array;
  private readonly rnd: () => number;
  private readonly intents: Intents;

  constructor(capacity: number, seed: number, intents: Intents) {
    this.ticksLeft = new Int32Array(capacity);
    this.rnd = mulberry32(seed);
    this.intents = intents;
  }

  /** Picks a new heading for a slot. */
  pick(slot: number): void {
    const angle = this.rnd() * Math.PI * 2;
    this.intents.set(slot, MoveKind.DIRECTION, Math.cos(angle), Math.sin(angle));
    this.ticksLeft[slot] = 20 + Math.floor(this.rnd() * 80);
  }

  /** One tick of one wanderer's AI: turn when its time is up or it stopped moving. */
  think(slot: number, flags: number): void {
    if (--this.ticksLeft[slot] <= 0 || (flags & EntityFlags.MOVING) === 0) this.pick(slot);
  }

  /**
   * Requests `count` wanderers on walkable tiles of rectangle [x0, y0, x1, y1)
   * (applied when the lifecycle applies spawns).
   */
  spawn(lifecycle: Lifecycle, map: GameMap, rect: readonly number[], count: number, now: boolean): void {
    const [x0, y0, x1, y1] = rect;
    for (let i = 0; i < count; i++) {
      let x = 0;
      let y = 0;
      for (let attempt = 0; ; attempt++) {
        x = x0 + 0.5 + this.rnd() * (x1 - x0 - 1);
        y = y0 + 0.5 + this.rnd() * (y1 - y0 - 1);
        if (!isBlocked(map, Math.floor(x), Math.floor(y))) break;
        if (attempt > 1000) throw new Error(`no walkable tile found in [${rect.join(', ')}]`);
      }
      const req = {
        kind: EntityKind.NPC,
        template: 0, // no content template: the generic wanderer
        x,
        y,
        hp: 50,
        maxHp: 50,
        level: 1,
        onSpawned: (slot: number) => this.pick(slot),
        onFailed: () => {
          throw new Error(`zone full: cannot spawn wanderer ${i} of ${count}`);
        },
      };
      if (now) lifecycle.applySpawn(req);
      else lifecycle.spawn(req);
    }
  }

  appliesTo(kind: number): boolean {
    return kind === EntityKind.NPC;
  }

  size(): number {
    return 4;
  }

  write(w: Writer, slot: number): void {
    w.i32(this.ticksLeft[slot]);
  }

  read(r: Reader, slot: number): void {
    this.ticksLeft[slot] = r.i32();
  }

  /** AI memory is re-rolled after a restart. */
  recover(slot: number): boolean {
    this.pick(slot);
    return true;
  }

  release(slot: number): void {
    this.ticksLeft[slot] = 0;
  }
}
