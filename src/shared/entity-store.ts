import { DEFAULT_SCHEMA, type FieldSchema } from '../protocol/fields.ts';
import {
  EntityFields,
  StoreOwnFields,
  ElementTypes,
  HANDLE_GEN_MASK,
  HANDLE_INDEX_BITS,
  HANDLE_INDEX_MASK,
  MAX_ENTITY_CAPACITY,
  SlotState,
  StoreHeader,
  alignUp,
  type ElementType,
  type EntityField,
} from './layout.ts';

/** Any of the ElementTypes constructors, over a shared buffer. */
type TypedArrayCtor = {
  new (buffer: SharedArrayBuffer, byteOffset: number, length: number): ArrayBufferView<ArrayBufferLike>;
  readonly BYTES_PER_ELEMENT: number;
};

type FieldArrays = {
  [K in EntityField]: InstanceType<(typeof ElementTypes)[(typeof EntityFields)[K]]>;
};

/** A store column of any element type. */
export type StoreColumn = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float32Array;

/** Every column of a store with `schema`: the store's own fields, then the replicated ones in table order. */
function columnsOf(schema: FieldSchema): [string, ElementType][] {
  return [...Object.entries(StoreOwnFields), ...schema.fields.map((f) => [f.name, f.store] as [string, ElementType])];
}

/** Slot index of a handle. */
export const indexOf = (handle: number): number => handle & HANDLE_INDEX_MASK;
/** Generation of a handle. */
export const generationOf = (handle: number): number => (handle >>> HANDLE_INDEX_BITS) & HANDLE_GEN_MASK;
/** Builds the handle of a slot at a generation. */
export const makeHandle = (index: number, gen: number): number =>
  ((index | ((gen & HANDLE_GEN_MASK) << HANDLE_INDEX_BITS)) >>> 0);

/** Bytes a store of `capacity` slots needs. */
export function entityStoreBytes(capacity: number, schema: FieldSchema = DEFAULT_SCHEMA): number {
  let bytes = StoreHeader.words * 4;
  for (const [, type] of columnsOf(schema)) {
    bytes = alignUp(bytes, 8) + capacity * ElementTypes[type].BYTES_PER_ELEMENT;
  }
  return alignUp(bytes, 8);
}

/**
 * The zone's entity store: one SharedArrayBuffer, one typed-array view per
 * field, generation-checked handles and lock-free slot allocation. Every
 * thread of a zone builds its own EntityStore over the same buffer.
 */
export class EntityStore {
  readonly capacity: number;
  readonly buffer: SharedArrayBuffer;
  /** Columns by name (a table with extra fields has them here too, untyped). */
  readonly f: FieldArrays;
  readonly schema: FieldSchema;
  /** Replicated columns by field index (schema.fields order). */
  readonly replicated: StoreColumn[];
  private readonly header: Int32Array;

  constructor(buffer: SharedArrayBuffer, capacity: number, schema: FieldSchema = DEFAULT_SCHEMA) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_ENTITY_CAPACITY) {
      throw new RangeError(`entity capacity must be an integer in 1..${MAX_ENTITY_CAPACITY}, got ${capacity}`);
    }
    if (buffer.byteLength < entityStoreBytes(capacity, schema)) {
      throw new RangeError(`entity store buffer too small for ${capacity} slots`);
    }
    this.capacity = capacity;
    this.buffer = buffer;
    this.schema = schema;
    this.header = new Int32Array(buffer, 0, StoreHeader.words);
    let offset = StoreHeader.words * 4;
    const f: Record<string, ArrayBufferView<ArrayBufferLike>> = {};
    for (const [name, type] of columnsOf(schema)) {
      offset = alignUp(offset, 8);
      const Ctor = ElementTypes[type] as TypedArrayCtor;
      f[name] = new Ctor(buffer, offset, capacity);
      offset += capacity * Ctor.BYTES_PER_ELEMENT;
    }
    this.f = f as FieldArrays;
    this.replicated = schema.fields.map((fd) => f[fd.name] as StoreColumn);
    // Handle 0 is never an entity, so 0 can mean "none" on the wire (a
    // target, an event's source): slot 0's generation starts at 1 and skips
    // 0 when it wraps. A compare-and-swap, so every thread's view may do it.
    Atomics.compareExchange(this.f.gen, 0, 0, 1);
  }

  /** Creates a zeroed store. */
  static create(capacity: number, schema: FieldSchema = DEFAULT_SCHEMA): EntityStore {
    return new EntityStore(new SharedArrayBuffer(entityStoreBytes(capacity, schema)), capacity, schema);
  }

  /** A column by name, for fields a custom table adds. */
  column(name: string): StoreColumn {
    const c = (this.f as unknown as Record<string, StoreColumn | undefined>)[name];
    if (!c) throw new Error(`entity store has no field ${name}`);
    return c;
  }

  /**
   * Claims a free slot and returns its handle, or -1 when the store is full.
   * Lock-free: a compare-and-swap FREE→RESERVED on the slot's state word is
   * the only claim; a shared hint spreads concurrent allocators apart.
   * The slot stays RESERVED (invisible to readers) until publish().
   */
  allocate(): number {
    const state = this.f.state;
    const start = Atomics.add(this.header, StoreHeader.allocHint, 1) >>> 0;
    for (let n = 0; n < this.capacity; n++) {
      const i = (start + n) % this.capacity;
      if (state[i] !== SlotState.FREE) continue;
      if (Atomics.compareExchange(state, i, SlotState.FREE, SlotState.RESERVED) === SlotState.FREE) {
        Atomics.add(this.header, StoreHeader.liveCount, 1);
        return makeHandle(i, Atomics.load(this.f.gen, i));
      }
    }
    return -1;
  }

  /** Makes a reserved slot visible as alive (after its fields are written). */
  publish(handle: number): void {
    Atomics.store(this.f.state, indexOf(handle), SlotState.ALIVE);
  }

  /**
   * Frees a slot: bumps its generation first so any handle still held goes
   * stale, then marks it FREE (the release store orders the gen write before).
   * The bump is a compare-and-swap: of two threads freeing one handle, one wins.
   */
  free(handle: number): boolean {
    if (!this.isValid(handle)) return false;
    const i = indexOf(handle);
    const g = generationOf(handle);
    let next = (g + 1) & HANDLE_GEN_MASK;
    if (i === 0 && next === 0) next = 1; // handle 0 is never an entity (see the constructor)
    if (Atomics.compareExchange(this.f.gen, i, g, next) !== g) return false;
    Atomics.store(this.f.state, i, SlotState.FREE);
    Atomics.sub(this.header, StoreHeader.liveCount, 1);
    return true;
  }

  /** True when the handle names a reserved or alive slot of its generation. */
  isValid(handle: number): boolean {
    const i = indexOf(handle);
    if (i >= this.capacity) return false;
    return (
      this.f.state[i] !== SlotState.FREE &&
      (this.f.gen[i] & HANDLE_GEN_MASK) === generationOf(handle)
    );
  }

  /** Current handle of a slot index (whatever its state). */
  handleAt(index: number): number {
    return makeHandle(index, this.f.gen[index]);
  }

  /**
   * Frees every slot left RESERVED (half-made by a cell that died while
   * spawning). Only while no cell of the zone runs: a live allocator's
   * reservation is exactly this state. Returns how many were freed.
   */
  sweepReserved(): number {
    let n = 0;
    for (let i = 0; i < this.capacity; i++) {
      if (Atomics.load(this.f.state, i) === SlotState.RESERVED && this.free(this.handleAt(i))) n++;
    }
    return n;
  }

  /** Slots reserved or alive across the zone. */
  get liveCount(): number {
    return Atomics.load(this.header, StoreHeader.liveCount);
  }
}
