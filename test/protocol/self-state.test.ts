/**
 * The player's own state in a snapshot: sent in full, or left out when it
 * is the baseline's, and ClientView keeps one per tick so a delta against
 * an older baseline finds that baseline's.
 */
import { EMPTY_CHAT_BYTES } from '../../src/protocol/chat-lines.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientView } from '../../src/protocol/client-view.ts';
import { ErrorCode, ProtocolError } from '../../src/protocol/errors.ts';
import { Limits } from '../../src/protocol/opcodes.ts';
import { MAX_SELF_BYTES, SelfState, SELF_STATS } from '../../src/protocol/self-state.ts';
import { EventList } from '../../src/protocol/snapshot-events.ts';
import { Writer } from '../../src/protocol/writer.ts';
import { writeSelf } from '../../src/protocol/self-state.ts';
import { selfArb, snapshotFrameWith, tableOf } from './arbitraries.ts';

const none = new EventList();
const empty = (tick: number) => tableOf([], tick);

function plain(s: SelfState | null) {
  if (!s) return null;
  return {
    actionSeq: s.actionSeq,
    resource: s.resource,
    flags: s.flags,
    xp: [s.xp, s.xpLevel, s.xpNext],
    stats: [...s.stats],
    skills: Array.from({ length: s.skillCount }, (_, i) => [s.skills[i], s.readyTick[i]]),
    auras: Array.from({ length: s.auraCount }, (_, i) => [s.auraSkill[i], s.auraKind[i], s.auraEnd[i], s.auraStacks[i]]),
  };
}

describe('the self record', () => {
  it('round-trips, and is no larger than MAX_SELF_BYTES', () => {
    fc.assert(
      fc.property(selfArb, (s) => {
        const v = new ClientView();
        v.apply(snapshotFrameWith(1, null, empty(1), none, s));
        expect(plain(v.self)).toEqual(plain(s));
        const w = new Writer().reset(new Uint8Array(MAX_SELF_BYTES));
        writeSelf(w, s);
        expect(w.length).toBeLessThanOrEqual(MAX_SELF_BYTES);
      }),
      { numRuns: 300 },
    );
  });

  /** Two self records that differ in their experience: 10 and 40. */
  const twoRecords = (): [SelfState, SelfState] => {
    const a = new SelfState();
    a.xp = 10;
    a.xpNext = 120;
    const b = new SelfState();
    b.copyFrom(a);
    b.xp = 40;
    return [a, b];
  };

  it('absent means "as in the baseline": the client finds the self state of whichever tick the delta names', () => {
    const [a, b] = twoRecords();
    const v = new ClientView();
    expect(v.self).toBeNull();
    v.apply(snapshotFrameWith(1, null, empty(1), none, null));
    expect(v.self).toBeNull(); // a full snapshot without a record: none yet
    v.apply(snapshotFrameWith(2, empty(1), empty(2), none, a));
    expect(v.self?.xp).toBe(10);
    v.apply(snapshotFrameWith(3, empty(2), empty(3), none, b));
    expect(v.self?.xp).toBe(40);
    // The server's baseline is still tick 2 (tick 3 not yet acknowledged): absent means tick 2's.
    v.apply(snapshotFrameWith(4, empty(2), empty(4), none, null));
    expect(v.self?.xp).toBe(10);
    v.apply(snapshotFrameWith(5, empty(3), empty(5), none, null));
    expect(v.self?.xp).toBe(40);
    expect(v.self?.stat('armor')).toBe(0);
    v.reset();
    expect(v.self).toBeNull();
  });

  it('a delta without a record holds its baseline\'s state, not a copy, and a new record never overwrites a state still held', () => {
    const [a, b] = twoRecords();
    const v = new ClientView(2);
    v.apply(snapshotFrameWith(1, null, empty(1), none, a));
    const first = v.self;
    v.apply(snapshotFrameWith(2, empty(1), empty(2), none, null));
    expect(v.self).toBe(first);
    // Ticks 1 and 2 both hold the first state; tick 3's record goes elsewhere and tick 1's slot is let go.
    v.apply(snapshotFrameWith(3, empty(2), empty(3), none, b));
    expect(v.self).not.toBe(first);
    expect(v.self?.xp).toBe(40);
    expect(first?.xp).toBe(10);
    // Tick 2 still holds it: a delta against tick 2 finds it whole.
    v.apply(snapshotFrameWith(4, empty(2), empty(4), none, null));
    expect(v.self).toBe(first);
    expect(v.self?.xp).toBe(10);
  });

  it('every state kept is the record of its tick, whichever baseline a delta names, the oldest held included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.option(selfArb, { nil: null }), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 40 }), (steps) => {
        // Four states kept: a delta against the oldest reuses the very state it reads.
        const v = new ClientView(4);
        const model = new Map<number, ReturnType<typeof plain>>();
        steps.forEach(([record, back], i) => {
          const tick = i + 1;
          const base = i === 0 ? 0 : Math.max(1, tick - back);
          v.apply(snapshotFrameWith(tick, base === 0 ? null : empty(base), empty(tick), none, record));
          const want = record ? plain(record) : base === 0 ? null : (model.get(base) ?? null);
          model.set(tick, want);
          expect(plain(v.self)).toEqual(want);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a record with values out of range', () => {
    const bad = (edit: (s: SelfState) => void) => {
      const s = new SelfState();
      s.xpNext = 100;
      edit(s);
      try {
        new ClientView().apply(snapshotFrameWith(1, null, empty(1), none, s));
        return 'ok';
      } catch (e) {
        if (e instanceof ProtocolError) return e.code;
        throw e;
      }
    };
    expect(bad(() => {})).toBe('ok');
    expect(bad((s) => (s.resource = 3))).toBe(ErrorCode.BAD_VALUE);
    expect(bad((s) => (s.flags = 2))).toBe(ErrorCode.BAD_VALUE);
    expect(bad((s) => (s.xpLevel = 5))).toBe(ErrorCode.BAD_VALUE); // above xp
    expect(bad((s) => ((s.skillCount = 1), (s.skills[0] = 0)))).toBe(ErrorCode.BAD_VALUE);
    expect(bad((s) => ((s.auraCount = 1), (s.auraKind[0] = 9)))).toBe(ErrorCode.BAD_VALUE);
    const frame = snapshotFrameWith(1, null, empty(1), none, null);
    const b = frame.slice();
    b[b.length - 1 - EMPTY_CHAT_BYTES] = 2; // present must be 0 or 1 (the empty chat section follows it)
    expect(() => new ClientView().apply(b)).toThrow(ProtocolError);
    expect(SELF_STATS.length).toBe(8);
    expect(Limits.maxSelfSkills).toBeGreaterThanOrEqual(64);
  });
});
