/**
 * A player's self section: its record goes out when it changed since the
 * acknowledged baseline, not otherwise (a frame then ends with a present
 * byte of 0), and a change nobody stamped is caught within a second.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_CHAT_BYTES } from '../../../src/protocol/chat-lines.ts';
import { CellMsg } from '../../../src/shared/messages/cell-to-gate.ts';
import { Class, combatAt, combatZone, DUMMY_A, Fighter, Skill, unstamped } from './fixture.ts';

describe('the self section', () => {
  it('is sent when the record changed since the acknowledged baseline, and is one 0 byte otherwise', () => {
    const z = combatZone();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, DUMMY_A.x + 3, DUMMY_A.y);
    const frames: Uint8Array[] = [];
    const step = (n: number) => {
      for (let i = 0; i < n; i++) {
        z.tick();
        for (let c = 0; c < 2; c++) {
          for (const m of z.drain(c)) {
            if (m.op !== CellMsg.FRAME || m.conn !== 1) continue;
            frames.push(m.body);
            p.frame(m.body);
          }
        }
      }
    };
    step(10);
    // Acknowledged and unchanged: the last byte (the self section's present) is 0.
    expect(frames.slice(-5).map((f) => f[f.length - 1 - EMPTY_CHAT_BYTES])).toEqual([0, 0, 0, 0, 0]);
    const before = frames.length;
    p.use(Skill.FOCUS); // a buff: stats and auras change
    step(3);
    const after = frames.slice(before);
    expect(after.some((f) => f[f.length - 1 - EMPTY_CHAT_BYTES] !== 0)).toBe(true);
    expect(p.view.self!.stat('dodgeChance')).toBe(10000);
    expect(p.view.self!.auraCount).toBe(1);
    step(10);
    expect(frames.slice(-3).map((f) => f[f.length - 1 - EMPTY_CHAT_BYTES])).toEqual([0, 0, 0]);
    expect(unstamped(z)).toBe(0);
  });

  it('catches a change nobody stamped within a second, and sends it', () => {
    const z = combatZone();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, DUMMY_A.x + 3, DUMMY_A.y);
    for (let i = 0; i < 5; i++) {
      z.tick();
      p.see();
    }
    // Behind combat's back: a cooldown set without touch().
    combatAt(z, p.handle).state.players[p.slot]!.cooldown[0] = 99_999;
    for (let i = 0; i < 25; i++) {
      z.tick();
      p.see();
    }
    expect(p.view.self!.readyAt(Skill.STRIKE)).toBe(99_999);
    expect(unstamped(z)).toBe(1);
  });
});
