import { describe, expect, it } from 'vitest';
import { ChatChannel } from '../../../src/protocol/chat-codes.ts';
import { encodeChatLine } from '../../../src/protocol/chat-lines.ts';
import { ClientView } from '../../../src/protocol/client-view.ts';
import { Limits, MoveKind } from '../../../src/protocol/opcodes.ts';
import { SAY_LOG_CAPACITY, StatSlot } from '../../../src/shared/layout.ts';
import { CellMsg, FrameKind } from '../../../src/shared/messages/cell-to-gate.ts';
import { writeSay } from '../../../src/shared/messages/gate-to-cell.ts';
import { InThreadZone, type Sent } from '../fixtures/in-thread-zone.ts';

/**
 * A 64×32 zone of 16-unit AOI tiles (4×2) in two cells (x < 32, x ≥ 32):
 * say reaches the players whose 3×3 tiles hold the speaker, whichever cell
 * owns them, and nobody else.
 */
class ChatZone {
  readonly zone = new InThreadZone();
  readonly views = new Map<number, ClientView>();
  readonly heard = new Map<number, string[]>();
  lastFrames: Sent[] = [];

  join(cell: number, conn: number, x: number, y: number): void {
    this.zone.join(cell, conn, x, y);
    this.views.set(conn, new ClientView());
    this.heard.set(conn, []);
  }

  say(cell: number, conn: number, text: string): void {
    const ring = this.zone.gateIn[cell];
    if (!writeSay(ring, conn, encodeChatLine(ChatChannel.SAY, 0, conn, `p${conn}`, text))) throw new Error('gate ring full');
    ring.flush();
  }

  /** One tick; every frame applied to its client's view, the chat lines it carried kept. */
  tick(): void {
    this.zone.tick();
    this.lastFrames = this.zone.cells.flatMap((_, c) => this.zone.drain(c));
    for (const m of this.lastFrames) {
      if (m.op !== CellMsg.FRAME || m.kind !== FrameKind.SNAPSHOT) continue;
      const view = this.views.get(m.conn)!;
      view.apply(m.body);
      for (const l of view.chat.toArray()) this.heard.get(m.conn)!.push(`${l.name}: ${l.text}`);
    }
  }
}

describe('say, through the cells', () => {
  it('is heard in the 3×3 tiles around the speaker across a cell border, and not beyond', () => {
    const z = new ChatZone();
    z.join(0, 1, 30, 8); // tile (1, 0), cell 0
    z.join(1, 2, 34, 8); // tile (2, 0), cell 1: next to 1 and 3
    z.join(1, 3, 62, 8); // tile (3, 0), cell 1: two tiles from 1
    z.tick();
    z.say(0, 1, 'hello from the west');
    z.say(1, 3, 'hello from the east');
    z.tick();
    expect(z.heard.get(1)).toEqual(['p1: hello from the west']);
    expect(z.heard.get(2)).toEqual(['p1: hello from the west', 'p3: hello from the east']);
    expect(z.heard.get(3)).toEqual(['p3: hello from the east']);
    // A line is told once: the next snapshot carries nothing.
    z.tick();
    expect(z.heard.get(2)).toHaveLength(2);
    expect(z.zone.cells[0].stats[StatSlot.sayLogged] + z.zone.cells[1].stats[StatSlot.sayLogged]).toBe(2);
  });

  it('every snapshot ends with the empty run the gate fills', () => {
    const z = new ChatZone();
    z.join(0, 1, 10, 10);
    z.tick();
    z.say(0, 1, 'hi');
    z.tick();
    const frames = z.lastFrames.filter((m) => m.op === CellMsg.FRAME);
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) expect(f.body[f.body.length - 1]).toBe(0);
  });

  it('a SAY that reaches the old owner after a handoff is forwarded and still heard', () => {
    const z = new ChatZone();
    z.join(0, 1, 31, 8);
    z.join(1, 2, 40, 8);
    z.tick();
    z.zone.input(0, 1, 1, MoveKind.DIRECTION, 1, 0);
    const handle = z.views.get(1)!.header.you;
    for (let i = 0; i < 40 && z.zone.ownerOf(handle) !== 1; i++) z.tick();
    expect(z.zone.ownerOf(handle)).toBe(1);
    z.say(0, 1, 'I moved');
    z.tick();
    z.tick();
    expect(z.heard.get(2)).toContain('p1: I moved');
    expect(z.heard.get(1)).toContain('p1: I moved');
  });

  it('past the lines a run holds the rest is cut and counted; past the log capacity, dropped and counted', () => {
    const z = new ChatZone();
    z.join(0, 1, 10, 10);
    z.tick();
    for (let i = 0; i < SAY_LOG_CAPACITY + 3; i++) z.say(0, 1, `line ${i}`);
    z.tick();
    expect(z.heard.get(1)).toHaveLength(Limits.maxChatLinesPerRun);
    const stats = z.zone.cells[0].stats;
    expect(stats[StatSlot.sayLogged]).toBe(SAY_LOG_CAPACITY);
    expect(stats[StatSlot.sayDropped]).toBe(3);
    expect(stats[StatSlot.sayCut]).toBe(SAY_LOG_CAPACITY - Limits.maxChatLinesPerRun);
  });
});
