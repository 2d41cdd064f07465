import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';

/**
 * Private state: what only the owning cell keeps about an entity (a
 * player's connection and baselines, AI memory, movement intent, later
 * inventory and cooldowns). Each kind of it registers one part, which says
 * how it travels in a handoff and how it comes back after a cell restart;
 * the runtime never branches on what an entity is.
 */
export interface PrivatePart {
  /** Stable id on the wire (a handoff record's tag), 1..255. */
  readonly id: number;
  readonly name: string;
  /** True when entities of this EntityKind carry the part. */
  appliesTo(kind: number): boolean;
  /** Bytes write() needs for `slot`. */
  size(slot: number): number;
  /** Writes the slot's state for a handoff (exactly size(slot) bytes). */
  write(w: Writer, slot: number): void;
  /** Takes the state a handoff carried for `slot` (now owned here). */
  read(r: Reader, slot: number, handle: number): void;
  /**
   * After a cell restart: rebuild the slot's state from what survives (the
   * shared store, the coordinator's lists). False drops the entity.
   */
  recover(slot: number, handle: number): boolean;
  /** Forgets the slot (handed off or despawned). */
  release(slot: number): void;
  /**
   * A new entity of a kind the part applies to was made here (spawned, its
   * fields written, before any system sees it): its initial state, when the
   * part has one that depends on where the entity is.
   */
  spawned?(slot: number): void;
}

/**
 * Every part's wire id (a handoff record's tag), in one list so two parts
 * can never claim the same one. Never renumber: a handoff in flight during
 * a rolling change would be misread.
 */
export const PartId = { INTENTS: 1, PLAYERS: 2, WANDERERS: 3, NPC_AI: 4, PORTALS: 5, COMBAT: 6, QUEST_AREAS: 16 } as const;

/** The parts a cell has, in registration order. */
export class PrivateParts {
  readonly list: PrivatePart[] = [];
  private readonly byId: (PrivatePart | undefined)[] = [];

  register(part: PrivatePart): void {
    if (!Number.isInteger(part.id) || part.id < 1 || part.id > 255) throw new Error(`private part ${part.name}: id must be 1..255`);
    if (this.byId[part.id]) throw new Error(`private part id ${part.id} taken by ${this.byId[part.id]!.name}`);
    this.byId[part.id] = part;
    this.list.push(part);
  }

  get(id: number): PrivatePart | undefined {
    return this.byId[id];
  }

  /** Drops every part's state of a slot. */
  release(slot: number): void {
    for (let i = 0; i < this.list.length; i++) this.list[i].release(slot);
  }

  /** Tells every part that applies to `kind` of a new entity in `slot`. */
  spawned(slot: number, kind: number): void {
    for (let i = 0; i < this.list.length; i++) {
      const part = this.list[i];
      if (part.appliesTo(kind)) part.spawned?.(slot);
    }
  }
}
