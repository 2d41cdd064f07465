/**
 * A client whose acks come back late (a slow link, a busy client) is paced
 * through whole cells: it gets fewer frames, still deltas against the state
 * it acknowledged, so its bytes per second fall instead of rising into full
 * snapshots, while another client in the same view is unaffected; it
 * recovers when its acks do; its pacing and frame schedule cross a handoff.
 */
import { describe, expect, it } from 'vitest';
import { MoveKind } from '../../src/protocol/opcodes.ts';
import { indexOf } from '../../src/shared/entity-store.ts';
import { StatSlot } from '../../src/shared/layout.ts';
import { MAX_PACE_SHIFT } from '../../src/shared/send-rate.ts';
import { AckingClients, type Frame } from './fixtures/acking-clients.ts';
import { InThreadZone } from './fixtures/in-thread-zone.ts';

const bytesPerTick = (frames: Frame[], ticks: number) => frames.reduce((n, f) => n + f.bytes, 0) / ticks;

describe('a slow client', () => {
  it('gets fewer frames, still deltas, and fewer bytes per second; a prompt client beside it is unaffected; it recovers', () => {
    const z = new InThreadZone({ spec: { tickHz: 20, sendHz: 20 }, cell: { wanderers: 40, wanderSpeed: 3 } });
    const cl = new AckingClients(z);
    cl.join(1, 20, 16); // prompt
    cl.join(2, 22, 16); // slow from tick 100
    cl.ticks(100);
    const healthy = { slow: cl.framesIn(2, 41, 100), prompt: cl.framesIn(1, 41, 100) };
    // Acks now take 16 ticks (800 ms) to come back.
    cl.ackDelay.set(2, 16);
    cl.ticks(200);
    const lagging = { slow: cl.framesIn(2, 241, 300), prompt: cl.framesIn(1, 241, 300) };

    expect(healthy.slow).toHaveLength(60);
    // Paced to the longest interval: a frame every 4 ticks.
    expect(lagging.slow.length).toBeLessThanOrEqual(60 / (1 << MAX_PACE_SHIFT) + 1);
    // Never a full snapshot: each is a delta against a state it acknowledged, still held.
    expect(cl.framesIn(2, 101, 300).every((f) => f.baseTick !== 0)).toBe(true);
    // Its bytes per second fall, not rise.
    expect(bytesPerTick(lagging.slow, 60)).toBeLessThan(bytesPerTick(healthy.slow, 60) * 0.6);
    // The prompt client still gets a frame every tick, of the same kind.
    expect(lagging.prompt).toHaveLength(60);
    expect(lagging.prompt.every((f) => f.tick - f.baseTick === 1)).toBe(true);
    expect(z.cells.reduce((n, c) => n + c.stats[StatSlot.paceBackoffs], 0)).toBe(MAX_PACE_SHIFT);

    // Its acks come back promptly again: it recovers to a frame every tick.
    cl.ackDelay.set(2, 0);
    cl.ticks(100);
    expect(cl.framesIn(2, 381, 400)).toHaveLength(20);
    expect(z.cells.reduce((n, c) => n + c.stats[StatSlot.paceRecoveries], 0)).toBe(MAX_PACE_SHIFT);
    expect(z.cells.reduce((n, c) => n + c.stats[StatSlot.logTicksMissed], 0)).toBe(0);
  });

  it('keeps its pacing and frame schedule across a handoff', () => {
    const z = new InThreadZone({ spec: { tickHz: 20, sendHz: 10 } });
    const cl = new AckingClients(z);
    cl.join(1, 26, 16); // cell 0, six units from the border at x = 32
    cl.ticks(5);
    cl.ackDelay.set(1, 30);
    cl.ticks(80);
    const handle = cl.handles.get(1)!;
    const before = z.cells[0].players.bySlot[indexOf(handle)]!;
    expect(z.ownerOf(handle)).toBe(0);
    expect(before.paceShift).toBe(MAX_PACE_SHIFT);
    const lastBefore = cl.frames.get(1)!.at(-1)!.tick;
    // Walk east over the border.
    z.input(0, 1, 1, MoveKind.DIRECTION, 1, 0, 0);
    for (let i = 0; i < 60 && z.ownerOf(handle) !== 1; i++) cl.tick();
    expect(z.ownerOf(handle)).toBe(1);
    z.input(1, 1, 2, MoveKind.STOP, 0, 0, 0);
    cl.tick(); // the new owner adopts it in its next simulate
    const after = z.cells[1].players.bySlot[indexOf(handle)]!;
    expect(after.paceShift).toBe(MAX_PACE_SHIFT);
    expect(after.lastFrameTick).toBeGreaterThanOrEqual(lastBefore);
    cl.ticks(40);
    // Frames kept the paced interval (2 ticks at 10 Hz, ×4) through the handoff, as deltas.
    const ticks = cl.frames.get(1)!.filter((f) => f.tick > lastBefore - 16).map((f) => f.tick);
    expect(ticks.slice(1).map((t, i) => t - ticks[i]).every((d) => d === 8)).toBe(true);
    expect(cl.frames.get(1)!.filter((f) => f.tick > lastBefore).every((f) => f.baseTick !== 0)).toBe(true);
  });
});
