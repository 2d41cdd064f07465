/**
 * SEND_HZ below TICK_HZ, through whole cells (the in-thread zone: every
 * cell's halves run in the test's thread, tick by tick): each player gets a
 * frame every k ticks, the players staggered over those ticks, and every
 * combat event and say line of the ticks in between arrives exactly once.
 */
import { describe, expect, it } from 'vitest';
import { ChatChannel } from '../../src/protocol/chat-codes.ts';
import { encodeChatLine } from '../../src/protocol/chat-lines.ts';
import { CombatEvent } from '../../src/protocol/combat-codes.ts';
import { MoveKind } from '../../src/protocol/opcodes.ts';
import { StatSlot } from '../../src/shared/layout.ts';
import { CellMsg } from '../../src/shared/messages/cell-to-gate.ts';
import { writeSay } from '../../src/shared/messages/gate-to-cell.ts';
import { Class, combatZone, DUMMY_A, DUMMY_B, DUMMY_OVER, Fighter, npcAt, Npc, Skill, unstamped } from './combat/fixture.ts';
import { loggedEvents } from './fixtures/combat-log.ts';
import { AckingClients } from './fixtures/acking-clients.ts';
import { InThreadZone } from './fixtures/in-thread-zone.ts';

describe('SEND_HZ below TICK_HZ', () => {
  it('each player gets a frame every k ticks, the players staggered over them', () => {
    const z = new InThreadZone({ spec: { tickHz: 20, sendHz: 5 }, cell: { wanderers: 10, wanderSpeed: 2 } });
    const k = 4;
    const cl = new AckingClients(z);
    for (let conn = 1; conn <= 8; conn++) cl.join(conn, 4 + conn * 6, 10 + (conn % 3) * 5);
    const perTick: number[] = [];
    for (let i = 0; i < 60; i++) {
      const before = [...cl.frames.values()].reduce((n, t) => n + t.length, 0);
      cl.tick();
      perTick.push([...cl.frames.values()].reduce((n, t) => n + t.length, 0) - before);
    }
    for (let conn = 1; conn <= 8; conn++) {
      const ticks = cl.frames.get(conn)!.map((f) => f.tick);
      expect(ticks.length).toBeGreaterThanOrEqual(14);
      expect(ticks.every((t) => (t + conn) % k === 0)).toBe(true);
      expect(ticks.slice(1).map((t, i) => t - ticks[i])).toEqual(new Array(ticks.length - 1).fill(k));
    }
    // Staggered: 8 players over 4 phases, two frames a tick, never all eight at once.
    expect(Math.max(...perTick.slice(8))).toBe(2);
    expect(Math.min(...perTick.slice(8))).toBe(2);
  });

  it('every combat event of the ticks between a player\'s frames arrives exactly once', () => {
    const z = combatZone([], undefined, undefined, { sendHz: 5 });
    z.tick();
    const a = Fighter.join(z, 1, Class.FIGHTER, DUMMY_A.x + 1, DUMMY_A.y);
    const b = Fighter.join(z, 2, Class.FIGHTER, DUMMY_B.x + 1, DUMMY_B.y);
    const dummyA = npcAt(z, Npc.DUMMY, DUMMY_A);
    const dummyB = npcAt(z, Npc.DUMMY, DUMMY_B);
    const logged: { tick: number; key: string }[] = [];
    const frameTicks = new Map<number, number[]>([[1, []], [2, []]]);
    const key = (e: { type: number; detail: number; source: number; target: number; skill: number; amount: number }) =>
      `${e.type}:${e.detail & 0xff}:${e.source}:${e.target}:${e.skill}:${e.amount}`;
    const step = () => {
      z.tick();
      for (const e of loggedEvents(z.views, z.cells[0].tick)) logged.push({ tick: z.cells[0].tick, key: key(e) });
      for (let c = 0; c < 2; c++) {
        for (const m of z.drain(c)) {
          if (m.op !== CellMsg.FRAME) continue;
          const f = m.conn === 1 ? a : b;
          f.frame(m.body);
          frameTicks.get(m.conn)!.push(f.view.lastTick);
        }
      }
    };
    for (let i = 0; i < 8; i++) step();
    a.target(dummyA);
    a.attack(dummyA);
    b.target(dummyB);
    b.attack(dummyB);
    for (let i = 0; i < 240; i++) {
      if (i % 20 === 5) a.use(Skill.STRIKE, dummyA);
      step();
    }
    for (const [conn, f] of [[1, a], [2, b]] as const) {
      const ticks = frameTicks.get(conn)!;
      expect(ticks.slice(1).every((t, i) => t - ticks[i] === 4)).toBe(true);
      const first = ticks[0];
      const last = ticks[ticks.length - 1];
      // Both fighters stand within each other's 3×3 tiles: each sees every event of the log of the ticks its frames cover.
      const want = logged.filter((e) => e.tick >= first && e.tick <= last).map((e) => e.key).sort();
      const got = f.events.filter((e) => e.type !== CombatEvent.EXPERIENCE && e.type !== CombatEvent.REFUSED && e.tick >= first).map(key).sort();
      expect(want.filter((k) => k.startsWith(`${CombatEvent.DAMAGE}:`)).length).toBeGreaterThanOrEqual(10);
      expect(got).toEqual(want);
    }
    expect(unstamped(z)).toBe(0);
    expect(z.cells.reduce((n, c) => n + c.stats[StatSlot.logTicksMissed], 0)).toBe(0);
  });

  it('a player crossing a cell border between its frames still gets every combat event once', () => {
    const z = combatZone([], undefined, undefined, { sendHz: 5 });
    z.tick();
    const a = Fighter.join(z, 1, Class.FIGHTER, DUMMY_OVER.x - 1.2, DUMMY_OVER.y); // cell 0, hitting over the border
    const b = Fighter.join(z, 2, Class.FIGHTER, 29, 7); // cell 0, walks into cell 1
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_OVER);
    const logged: { tick: number; key: string }[] = [];
    const ticks: number[] = [];
    const key = (e: { type: number; detail: number; source: number; target: number; skill: number; amount: number }) =>
      `${e.type}:${e.detail & 0xff}:${e.source}:${e.target}:${e.skill}:${e.amount}`;
    const step = () => {
      z.tick();
      for (const e of loggedEvents(z.views, z.cells[0].tick)) logged.push({ tick: z.cells[0].tick, key: key(e) });
      for (let c = 0; c < 2; c++) {
        for (const m of z.drain(c)) {
          if (m.op !== CellMsg.FRAME) continue;
          const f = m.conn === 1 ? a : b;
          f.frame(m.body);
          if (m.conn === 2) ticks.push(b.view.lastTick);
        }
      }
    };
    for (let i = 0; i < 8; i++) step();
    a.target(dummy);
    a.attack(dummy);
    for (let i = 0; i < 40; i++) step();
    // b walks east over the border at x = 32 and stops.
    z.input(z.ownerOf(b.handle), 2, 1, MoveKind.DIRECTION, 1, 0, 0);
    for (let i = 0; i < 60 && z.ownerOf(b.handle) !== 1; i++) step();
    expect(z.ownerOf(b.handle)).toBe(1);
    z.input(1, 2, 2, MoveKind.STOP, 0, 0, 0);
    for (let i = 0; i < 120; i++) step();
    expect(ticks.slice(1).every((t, i) => t - ticks[i] === 4)).toBe(true);
    const want = logged.filter((e) => e.tick >= ticks[0] && e.tick <= ticks[ticks.length - 1]).map((e) => e.key).sort();
    const got = b.events.filter((e) => e.type !== CombatEvent.EXPERIENCE && e.type !== CombatEvent.REFUSED && e.tick >= ticks[0]).map(key).sort();
    expect(want.length).toBeGreaterThanOrEqual(5);
    expect(got).toEqual(want);
  });

  it('every line said on the ticks between a listener\'s frames is heard exactly once, in order', () => {
    const z = new InThreadZone({ spec: { tickHz: 20, sendHz: 4 } });
    const cl = new AckingClients(z);
    cl.join(1, 30, 8); // cell 0
    cl.join(2, 34, 8); // cell 1, next tile
    // Both have had a first frame: each frame from then on carries the lines since the previous one.
    for (let i = 0; i < 6; i++) cl.tick();
    const said: string[] = [];
    for (let i = 0; i < 23; i++) {
      const text = `line ${i}`;
      said.push(text);
      const ring = z.gateIn[0];
      if (!writeSay(ring, 1, encodeChatLine(ChatChannel.SAY, 0, 1, 'p1', text))) throw new Error('gate ring full');
      ring.flush();
      cl.tick();
    }
    for (let i = 0; i < 6; i++) cl.tick();
    // Five ticks a frame, but at most maxChatLinesPerRun (8) lines a frame: one line a tick fits.
    expect(cl.heard.get(2)).toEqual(said);
    expect(cl.heard.get(1)).toEqual(said);
    expect(cl.frames.get(2)!.length).toBeLessThan(8);
  });
});
