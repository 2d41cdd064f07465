/**
 * A snapshot's events section: round trip through ClientView, the limits,
 * and the decoder fuzzed (random and mutated frames give a view or a
 * ProtocolError, and a refused frame changes nothing the client holds).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientView } from '../../src/protocol/client-view.ts';
import { ActionReason, CombatEvent, HitFlags } from '../../src/protocol/combat-codes.ts';
import { ErrorCode, ProtocolError } from '../../src/protocol/errors.ts';
import { Limits } from '../../src/protocol/opcodes.ts';
import { maxSnapshotBytes } from '../../src/protocol/snapshot-codec.ts';
import { EVENT_RECORD_BYTES, EventList } from '../../src/protocol/snapshot-events.ts';
import { deltaArb, eventListOf, eventRowsOf, eventsArb, mutate, onlyProtocolErrors, rowsOf, selfArb, snapshotFrame, snapshotFrameWith, tableOf, type EventRow } from './arbitraries.ts';

function codeOf(fn: () => unknown): number | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
}

describe('snapshot events', () => {
  it('travel with the entities: every event of a frame decodes to what was sent, in order', () => {
    fc.assert(
      fc.property(deltaArb(60), eventsArb, fc.option(selfArb, { nil: null }), ({ base, cur }, events, self) => {
        const v = new ClientView();
        v.apply(snapshotFrame(10, null, tableOf(base, 10)));
        expect(v.events.count).toBe(0);
        const frame = snapshotFrameWith(11, tableOf(base, 10), tableOf(cur, 11), eventListOf(events), self);
        expect(frame.length).toBeLessThanOrEqual(maxSnapshotBytes(Limits.maxViewEntities));
        expect(frame.length).toBeLessThanOrEqual(Limits.maxServerFrame);
        v.apply(frame);
        expect(rowsOf(v.current)).toEqual([...cur].sort((a, b) => a.id - b.id));
        expect(eventRowsOf(v.events)).toEqual(events);
        // The next snapshot's events replace them: events are of one tick.
        v.apply(snapshotFrame(12, tableOf(cur, 11), tableOf(cur, 12)));
        expect(v.events.count).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('hold at most maxSnapshotEvents, each of EVENT_RECORD_BYTES', () => {
    const many = new EventList(Limits.maxSnapshotEvents + 10);
    for (let i = 0; i < many.capacity; i++) many.push(CombatEvent.DAMAGE, HitFlags.CRIT, i, i + 1, 3, 100 + i);
    const without = snapshotFrameWith(5, null, tableOf([], 5), new EventList(), null);
    const frame = snapshotFrameWith(5, null, tableOf([], 5), many, null);
    expect(frame.length - without.length).toBe(Limits.maxSnapshotEvents * EVENT_RECORD_BYTES);
    const v = new ClientView();
    v.apply(frame);
    expect(v.events.count).toBe(Limits.maxSnapshotEvents);
    expect(v.events.at(0)).toEqual({ type: CombatEvent.DAMAGE, detail: HitFlags.CRIT, source: 0, target: 1, skill: 3, amount: 100 });
  });

  it('refuses an unknown type, a detail its type does not have, a count past the limit', () => {
    const one = (e: EventRow) => snapshotFrameWith(5, null, tableOf([], 5), eventListOf([e]), null);
    const ok: EventRow = { type: CombatEvent.REFUSED, detail: ActionReason.OUT_OF_RANGE, source: 1, target: 2, skill: 3, amount: 7 };
    expect(codeOf(() => new ClientView().apply(one(ok)))).toBe('ok');
    expect(codeOf(() => new ClientView().apply(one({ ...ok, type: 0 })))).toBe(ErrorCode.BAD_VALUE);
    expect(codeOf(() => new ClientView().apply(one({ ...ok, type: 13 })))).toBe(ErrorCode.BAD_VALUE);
    expect(codeOf(() => new ClientView().apply(one({ ...ok, detail: 0 })))).toBe(ErrorCode.BAD_VALUE);
    expect(codeOf(() => new ClientView().apply(one({ ...ok, detail: 15 })))).toBe(ErrorCode.BAD_VALUE);
    expect(codeOf(() => new ClientView().apply(one({ ...ok, type: CombatEvent.DAMAGE, detail: 4 })))).toBe(ErrorCode.BAD_VALUE);
    expect(codeOf(() => new ClientView().apply(one({ ...ok, type: CombatEvent.DEATH, detail: 1 })))).toBe(ErrorCode.BAD_VALUE);
    const frame = snapshotFrameWith(5, null, tableOf([], 5), eventListOf([]), null);
    // The events count sits right after the three empty entity sections.
    const at = frame.length - 3;
    const b = frame.slice();
    new DataView(b.buffer).setUint16(at, Limits.maxSnapshotEvents + 1, true);
    expect(codeOf(() => new ClientView().apply(b))).toBe(ErrorCode.BAD_VALUE);
  });

  it('random and mutated frames with events: a view or a ProtocolError, and a refused frame changes nothing', () => {
    fc.assert(
      fc.property(
        deltaArb(20).chain(({ base, cur }) =>
          fc.tuple(fc.constant(base), eventsArb, fc.option(selfArb, { nil: null })).chain(([b, events, self]) =>
            fc.tuple(fc.constant(b), mutate(snapshotFrameWith(3, tableOf(b, 2), tableOf(cur, 3), eventListOf(events), self))),
          ),
        ),
        ([base, bytes]) => {
          const v = new ClientView();
          v.apply(snapshotFrame(2, null, tableOf(base, 2)));
          const before = { rows: rowsOf(v.current), events: v.events.count, self: v.self, tick: v.lastTick };
          const r = onlyProtocolErrors(() => v.apply(bytes));
          if (r instanceof ProtocolError) {
            expect(rowsOf(v.current)).toEqual(before.rows);
            expect(v.events.count).toBe(before.events);
            expect(v.self).toBe(before.self);
            expect(v.lastTick).toBe(before.tick);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
