import { indexOf, type EntityStore } from '../shared/entity-store.ts';
import { StatSlot } from '../shared/layout.ts';
import { EventMessage, writeEvent } from '../shared/messages/cell-to-cell.ts';
import type { ReliableRing } from '../shared/reliable-ring.ts';
import type { OwnedSet } from './owned-set.ts';

/** An event handler: `e.target` is the entity's handle, `slot` its slot (owned by this cell). */
export type EventHandler = (e: EventMessage, slot: number) => void;

const FIELDS = 6;

/**
 * Actions on entities another cell may own (damage, heal, loot claims,
 * quest credit...). send() routes by the target's owner word: to this
 * cell's own queue, or through the must-deliver ring to its owner. Every
 * event is applied by the owner at the start of its next simulate, in the
 * order sent; one whose target moved on is passed to the new owner, one
 * whose target no longer exists is counted, and none is dropped for want
 * of ring space.
 */
export class EventChannel {
  private readonly handlers: (EventHandler | undefined)[] = [];
  private readonly store: EntityStore;
  private readonly cell: number;
  private readonly owned: OwnedSet;
  private readonly peersOut: readonly (ReliableRing | null)[];
  private readonly stats: Float64Array;
  /** Events for this cell's entities, applied next tick: FIELDS int words each. */
  private queue = new Float64Array(64 * FIELDS);
  private next = new Float64Array(64 * FIELDS);
  private nextQueued = 0;
  private readonly msg = new EventMessage();

  constructor(store: EntityStore, cell: number, owned: OwnedSet, peersOut: readonly (ReliableRing | null)[], stats: Float64Array) {
    this.store = store;
    this.cell = cell;
    this.owned = owned;
    this.peersOut = peersOut;
    this.stats = stats;
  }

  /** Registers the handler of an event type (one per type). */
  on(type: number, handler: EventHandler): void {
    if (!Number.isInteger(type) || type < 1 || type > 0xffff) throw new RangeError(`event type must be 1..65535, got ${type}`);
    if (this.handlers[type]) throw new Error(`event type ${type} already has a handler`);
    this.handlers[type] = handler;
  }

  /** Sends an event to the owner of `target`; false when the target no longer exists. `a`, `b` and `c` are i32s whose meaning is the type's. */
  send(type: number, target: number, source: number, a: number, b: number, c = 0): boolean {
    if (!this.store.isValid(target)) {
      this.stats[StatSlot.eventsTargetGone]++;
      return false;
    }
    this.stats[StatSlot.eventsSent]++;
    this.route(type, target, source, a, b, c);
    return true;
  }

  /** An event that arrived from another cell (drained in the input phase). */
  receive(v: DataView, at: number, len: number): void {
    const m = this.msg;
    if (!m.read(v, at, len)) return;
    if (!this.store.isValid(m.target)) {
      this.stats[StatSlot.eventsTargetGone]++;
      return;
    }
    this.route(m.type, m.target, m.source, m.a, m.b, m.c);
  }

  private route(type: number, target: number, source: number, a: number, b: number, c: number): void {
    const owner = Atomics.load(this.store.f.owner, indexOf(target));
    const out = owner === this.cell ? null : this.peersOut[owner];
    if (out) writeEvent(out, type, target, source, a, b, c);
    else this.enqueue(type, target, source, a, b, c);
  }

  private enqueue(type: number, target: number, source: number, a: number, b: number, c: number): void {
    if ((this.nextQueued + 1) * FIELDS > this.next.length) {
      const grown = new Float64Array(this.next.length * 2);
      grown.set(this.next);
      this.next = grown;
    }
    const o = this.nextQueued++ * FIELDS;
    const q = this.next;
    q[o] = type;
    q[o + 1] = target;
    q[o + 2] = source;
    q[o + 3] = a;
    q[o + 4] = b;
    q[o + 5] = c;
  }

  /**
   * Applies the events queued for this cell's entities before this tick, in
   * order. Runs at the start of simulate, after the peer rings were drained;
   * events sent while applying wait for the next tick.
   */
  applyQueued(): void {
    // Swap: what handlers send now goes to the other buffer.
    const q = this.next;
    const n = this.nextQueued;
    this.next = this.queue;
    this.nextQueued = 0;
    this.queue = q;
    const m = this.msg;
    for (let i = 0; i < n; i++) {
      const o = i * FIELDS;
      m.type = q[o];
      m.target = q[o + 1];
      m.source = q[o + 2];
      m.a = q[o + 3];
      m.b = q[o + 4];
      m.c = q[o + 5];
      const slot = indexOf(m.target);
      if (!this.store.isValid(m.target)) {
        this.stats[StatSlot.eventsTargetGone]++;
        continue;
      }
      if (!this.owned.has(slot)) {
        // Handed on meanwhile, or still in flight to us: follow the owner word.
        this.route(m.type, m.target, m.source, m.a, m.b, m.c);
        continue;
      }
      const h = this.handlers[m.type];
      if (h) h(m, slot);
      this.stats[StatSlot.eventsApplied]++;
    }
  }

  /** Events waiting for this cell's next tick. */
  get waiting(): number {
    return this.nextQueued;
  }
}
