/**
 * A player's combat private state through a cell restart: the cell hands
 * it to the coordinator (CHECKPOINT) whenever it changes, before the frame
 * that shows the change; the restarted cell reads it back from what the
 * gate held. Health, level, experience and mana live in the shared store.
 */
import { describe, expect, it } from 'vitest';
import { ActionReason, CombatEvent } from '../../../src/protocol/combat-codes.ts';
import { CellMsg } from '../../../src/shared/messages/cell-to-gate.ts';
import { Class, DUMMY_A, Fighter, Skill, combatZone } from './fixture.ts';
import type { InThreadZone } from '../fixtures/in-thread-zone.ts';

/** What the gate held for the player: its newest checkpoint, and how many checkpoints and frames came. */
interface Held {
  combat?: Uint8Array;
  checkpoints: number;
  frames: number;
}

/** Ticks the zone as the gate would drain it for one player: its checkpoints kept, its frames applied, in ring order. */
function play(z: InThreadZone, p: Fighter, n: number, held: Held): void {
  for (let i = 0; i < n; i++) {
    z.tick();
    for (let c = 0; c < z.cells.length; c++) {
      for (const m of z.drain(c)) {
        if (m.conn !== p.conn) continue;
        if (m.op === CellMsg.CHECKPOINT) {
          held.combat = m.body;
          held.checkpoints++;
        }
        else if (m.op === CellMsg.FRAME) {
          p.frame(m.body);
          held.frames++;
        }
      }
    }
  }
}

describe('combat private state through a cell restart', () => {
  it('cooldowns and auras come back from the checkpoint the coordinator held; health, level, experience and mana from the store', () => {
    const z = combatZone();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, DUMMY_A.x + 1, DUMMY_A.y, 2, 130);
    const held: Held = { checkpoints: 0, frames: 0 };
    play(z, p, 2, held);

    // Shout: a 60 s cooldown and a 3 s buff (attack power +10).
    const before = held.combat;
    p.use(Skill.SHOUT);
    play(z, p, 3, held);
    expect(held.combat).not.toBe(before);
    const self = p.view.self!;
    const readyAt = self.readyAt(Skill.SHOUT);
    expect(readyAt).toBeGreaterThan(p.view.lastTick + 1000);
    expect(self.auraCount).toBe(1);
    const ap = self.stat('attackPower');
    const f = z.views.store.f;
    const stored = { hp: f.hp[p.slot], level: f.level[p.slot], xp: f.xp[p.slot], mana: f.mana[p.slot] };
    expect(stored.level).toBe(2);
    expect(stored.xp).toBe(130);

    // The cell dies; the supervisor restarts it with what the gate held.
    const cell = z.ownerOf(p.handle);
    z.restartCell(cell, [{ conn: p.conn, handle: p.handle, characterId: p.conn, combat: held.combat }]);
    const framesBefore = held.frames;
    play(z, p, 2, held);
    expect(held.frames).toBeGreaterThan(framesBefore);
    const back = p.view.self!;
    expect(back.readyAt(Skill.SHOUT)).toBe(readyAt);
    expect(back.auraCount).toBe(1);
    expect(back.stat('attackPower')).toBe(ap);
    expect({ hp: f.hp[p.slot], level: f.level[p.slot], xp: f.xp[p.slot], mana: f.mana[p.slot] }).toMatchObject({ level: 2, xp: 130 });
    expect(f.hp[p.slot]).toBeGreaterThanOrEqual(stored.hp);

    // The cooldown still holds: a second Shout is refused for it.
    p.use(Skill.SHOUT);
    play(z, p, 2, held);
    expect(p.told(CombatEvent.REFUSED).at(-1)).toMatchObject({ detail: ActionReason.COOLDOWN, skill: Skill.SHOUT });

    // Without a checkpoint (what a restart did before), they would be gone.
    z.restartCell(z.ownerOf(p.handle), [{ conn: p.conn, handle: p.handle, characterId: p.conn }]);
    play(z, p, 2, held);
    expect(p.view.self!.readyAt(Skill.SHOUT)).toBe(0);
    expect(p.view.self!.auraCount).toBe(0);
  });

  it('a checkpoint goes out before the frame that first shows a change, in the same ring', () => {
    const z = combatZone();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, DUMMY_A.x + 1, DUMMY_A.y);
    const held: Held = { checkpoints: 0, frames: 0 };
    play(z, p, 2, held);
    p.use(Skill.SHOUT);
    // Tick by tick: the first frame whose self record shows the cooldown comes after a checkpoint in the same drain.
    let seen = false;
    for (let i = 0; i < 5 && !seen; i++) {
      z.tick();
      let checkpointFirst = false;
      for (const m of z.drain(z.ownerOf(p.handle))) {
        if (m.conn !== p.conn) continue;
        if (m.op === CellMsg.CHECKPOINT) checkpointFirst = true;
        else if (m.op === CellMsg.FRAME) {
          p.frame(m.body);
          if (p.view.self!.readyAt(Skill.SHOUT) > 0 && !seen) {
            seen = true;
            expect(checkpointFirst).toBe(true);
          }
        }
      }
    }
    expect(seen).toBe(true);
    // A checkpoint only when something changed: far fewer than frames while the player stands still.
    const quiet: Held = { checkpoints: 0, frames: 0 };
    play(z, p, 40, quiet);
    expect(quiet.frames).toBe(40);
    expect(quiet.checkpoints).toBeLessThan(5);
  });
});
