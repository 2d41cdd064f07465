import { describe, expect, it } from 'vitest';
import { EntityStore, entityStoreBytes, generationOf, indexOf, makeHandle } from '../../src/shared/entity-store.ts';
import { EntityFields, HANDLE_GEN_MASK, MAX_ENTITY_CAPACITY, SlotState } from '../../src/shared/layout.ts';

describe('entity handles', () => {
  it('pack index and generation and unpack them again', () => {
    for (const [i, g] of [
      [0, 0],
      [1, 1],
      [MAX_ENTITY_CAPACITY - 1, HANDLE_GEN_MASK],
      [12345, 2048],
    ] as const) {
      const h = makeHandle(i, g);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThanOrEqual(0xffffffff);
      expect(indexOf(h)).toBe(i);
      expect(generationOf(h)).toBe(g);
    }
  });

  it('masks a generation past 12 bits (it wraps, by design)', () => {
    expect(generationOf(makeHandle(7, HANDLE_GEN_MASK + 1))).toBe(0);
    expect(makeHandle(7, HANDLE_GEN_MASK + 1)).toBe(makeHandle(7, 0));
  });
});

describe('EntityStore', () => {
  it('validates its capacity and buffer size', () => {
    expect(() => EntityStore.create(0)).toThrow(RangeError);
    expect(() => EntityStore.create(1.5)).toThrow(RangeError);
    expect(() => EntityStore.create(MAX_ENTITY_CAPACITY + 1)).toThrow(/capacity/);
    expect(() => new EntityStore(new SharedArrayBuffer(entityStoreBytes(10) - 8), 10)).toThrow(/too small/);
    expect(EntityStore.create(MAX_ENTITY_CAPACITY).capacity).toBe(MAX_ENTITY_CAPACITY);
  });

  it('lays every field out over one buffer without overlap', () => {
    const cap = 37;
    const s = EntityStore.create(cap);
    const ranges: [number, number, string][] = [];
    for (const name of Object.keys(EntityFields) as (keyof typeof EntityFields)[]) {
      const a = s.f[name];
      expect(a.buffer).toBe(s.buffer);
      expect(a.length).toBe(cap);
      expect(a.byteOffset % a.BYTES_PER_ELEMENT).toBe(0);
      ranges.push([a.byteOffset, a.byteOffset + a.byteLength, name]);
    }
    ranges.sort((p, q) => p[0] - q[0]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThanOrEqual(ranges[i - 1][1]);
    expect(ranges.at(-1)![1]).toBeLessThanOrEqual(s.buffer.byteLength);
  });

  it('two views over one buffer see the same slots', () => {
    const a = EntityStore.create(8);
    const b = new EntityStore(a.buffer, 8);
    const h = a.allocate();
    a.f.x[indexOf(h)] = 3.5;
    a.publish(h);
    expect(b.isValid(h)).toBe(true);
    expect(b.f.x[indexOf(h)]).toBe(3.5);
    expect(b.f.state[indexOf(h)]).toBe(SlotState.ALIVE);
    expect(b.liveCount).toBe(1);
  });

  it('allocates every slot exactly once, then reports full with -1', () => {
    const cap = 100;
    const s = EntityStore.create(cap);
    const seen = new Set<number>();
    for (let i = 0; i < cap; i++) {
      const h = s.allocate();
      expect(h).toBeGreaterThanOrEqual(0);
      expect(s.f.state[indexOf(h)]).toBe(SlotState.RESERVED);
      expect(seen.has(indexOf(h))).toBe(false);
      seen.add(indexOf(h));
    }
    expect(s.liveCount).toBe(cap);
    expect(s.allocate()).toBe(-1);
    expect(s.allocate()).toBe(-1);
    expect(s.liveCount).toBe(cap);
  });

  it('a freed slot bumps its generation so the old handle goes stale', () => {
    const s = EntityStore.create(1);
    const h1 = s.allocate();
    s.publish(h1);
    expect(s.isValid(h1)).toBe(true);
    expect(s.free(h1)).toBe(true);
    expect(s.isValid(h1)).toBe(false);
    expect(s.free(h1)).toBe(false); // double free of a stale handle is refused
    expect(s.liveCount).toBe(0);
    const h2 = s.allocate();
    expect(indexOf(h2)).toBe(indexOf(h1));
    expect(generationOf(h2)).toBe(generationOf(h1) + 1);
    expect(s.isValid(h1)).toBe(false);
    expect(s.isValid(h2)).toBe(true);
    expect(s.free(h1)).toBe(false); // a stale handle cannot free the new occupant
    expect(s.isValid(h2)).toBe(true);
    expect(s.handleAt(indexOf(h2))).toBe(h2);
  });

  it('a reserved (unpublished) slot is valid and can be freed', () => {
    const s = EntityStore.create(2);
    const h = s.allocate();
    expect(s.isValid(h)).toBe(true);
    expect(s.free(h)).toBe(true);
    expect(s.liveCount).toBe(0);
  });

  it('rejects handles whose index is past the capacity', () => {
    const s = EntityStore.create(4);
    expect(s.isValid(makeHandle(4, 0))).toBe(false);
    expect(s.isValid(makeHandle(MAX_ENTITY_CAPACITY - 1, 0))).toBe(false);
    expect(s.free(makeHandle(4, 0))).toBe(false);
  });

  it('wraps the generation after 4096 reuses of a slot (the documented ABA window)', () => {
    const s = EntityStore.create(2);
    s.allocate(); // slot 0 taken: the loop below reuses slot 1
    const first = s.allocate();
    expect(indexOf(first)).toBe(1);
    let h = first;
    for (let i = 0; i <= HANDLE_GEN_MASK; i++) {
      expect(s.free(h)).toBe(true);
      h = s.allocate();
      if (i < HANDLE_GEN_MASK) expect(s.isValid(first)).toBe(false);
    }
    expect(generationOf(h)).toBe(0);
    expect(h).toBe(first);
    expect(s.isValid(first)).toBe(true);
  });

  it('never hands out handle 0 (0 means none on the wire): slot 0 skips generation 0', () => {
    const s = EntityStore.create(1);
    let h = s.allocate();
    expect(indexOf(h)).toBe(0);
    for (let i = 0; i <= HANDLE_GEN_MASK + 1; i++) {
      expect(h).not.toBe(0);
      expect(s.free(h)).toBe(true);
      h = s.allocate();
    }
    expect(s.isValid(0)).toBe(false);
  });

  it('spreads allocation with the hint and finds the free slot left anywhere', () => {
    const s = EntityStore.create(64);
    const hs: number[] = [];
    for (let i = 0; i < 64; i++) hs.push(s.allocate());
    s.free(hs[40]);
    const h = s.allocate();
    expect(indexOf(h)).toBe(40);
    expect(generationOf(h)).toBe(1);
  });
});
