import { describe, expect, it } from 'vitest';
import { newIntent } from '../../src/bots/behavior.ts';
import { Fighter } from '../../src/bots/fight.ts';
import type { FightBook } from '../../src/bots/fight-book.ts';
import { ActionKind, ActionReason, CombatEvent } from '../../src/protocol/combat-codes.ts';
import { MoveKind } from '../../src/protocol/opcodes.ts';
import { EntityKind } from '../../src/shared/layout.ts';
import { mulberry32 } from '../../src/shared/random.ts';
import { ME, viewOf, type Row } from './bot-views.ts';

// Templates 1, 2 hostile. Skill 1 a ranged bolt (12 tiles), skill 2 a melee strike.
const BOOK: FightBook = {
  hostile: [0, 1, 1],
  skills: [null, { target: 'enemy', cost: 0, range: 12, castMs: 1500, heals: false, sight: true }, { target: 'enemy', cost: 0, range: 1.5, castMs: 0, heals: false, sight: true }],
};
const me = (x = 20, y = 20): Row => ({ id: ME, kind: EntityKind.PLAYER, x, y });
const npc = (id: number, template: number, x: number, y: number, target = 0): Row => ({ id, kind: EntityKind.NPC, template, x, y, target });
const rnd = mulberry32(3);

describe('Fighter with a quester or looter', () => {
  it('seeks only its prey, but fights back whatever attacks it', () => {
    const f = new Fighter(BOOK);
    f.prey = new Uint8Array([0, 0, 1]);
    const it = newIntent();
    expect(f.decide(0, viewOf(1, [me(), npc(30, 1, 22, 20), npc(31, 2, 26, 20)]), { x: 20, y: 20 }, it, rnd, 64, 64)).toBe(true);
    expect(f.target).toBe(31);
    const g = new Fighter(BOOK);
    g.prey = new Uint8Array(3);
    g.decide(0, viewOf(1, [me(), npc(30, 1, 22, 20), npc(31, 2, 26, 20, ME)]), { x: 20, y: 20 }, it, rnd, 64, 64);
    expect(g.target).toBe(31);
  });

  it('leaves the intent alone with nothing to fight when it is not to roam', () => {
    const f = new Fighter(BOOK);
    f.roam = false;
    f.prey = new Uint8Array(3);
    const it = newIntent();
    it.move = MoveKind.DESTINATION;
    it.x = 5;
    expect(f.decide(0, viewOf(1, [me(), npc(30, 1, 22, 20)]), { x: 20, y: 20 }, it, rnd, 64, 64)).toBe(false);
    expect(f.engaged).toBe(false);
    expect(it).toMatchObject({ move: MoveKind.DESTINATION, x: 5 });
    f.roam = true;
    f.decide(0, viewOf(2, [me()]), { x: 20, y: 20 }, it, rnd, 64, 64);
    expect(f.engaged).toBe(true);
  });

  it('walks up and keeps to melee skills after a bolt is refused for want of sight', () => {
    const f = new Fighter(BOOK);
    const it = newIntent();
    const rows = [me(), npc(30, 1, 28, 20)];
    const skilled = (tick: number) => {
      const v = viewOf(tick, rows);
      v.self!.skillCount = 2;
      v.self!.skills.set([1, 2]);
      v.self!.flags = 1;
      return v;
    };
    expect(f.decide(0, skilled(1), { x: 20, y: 20 }, it, rnd, 64, 64)).toBe(true);
    expect(f.action.kind).toBe(ActionKind.ATTACK);
    f.sent(1);
    expect(f.decide(500, skilled(2), { x: 20, y: 20 }, it, rnd, 64, 64)).toBe(true);
    expect(f.action).toMatchObject({ kind: ActionKind.SKILL, skill: 1 });
    expect(it.move).toBe(MoveKind.STOP);
    const refused = skilled(3);
    refused.events.push(CombatEvent.REFUSED, ActionReason.NO_LINE_OF_SIGHT, ME, 30, 1, 2);
    f.observe(refused, () => {});
    // No bolt now: it walks at the wolf instead of standing to cast.
    expect(f.decide(3000, skilled(4), { x: 20, y: 20 }, it, rnd, 64, 64)).toBe(false);
    expect(it).toMatchObject({ move: MoveKind.DESTINATION, x: 28, y: 20 });
  });

  it('gives up a target it gets no nearer to while walking at it, for another', () => {
    const f = new Fighter(BOOK);
    const it = newIntent();
    const rows = [me(), npc(30, 1, 26, 20), npc(31, 1, 20, 28)];
    f.decide(0, viewOf(1, rows), { x: 20, y: 20 }, it, rnd, 64, 64);
    expect(f.target).toBe(30);
    for (let t = 500; t <= 6000; t += 500) f.decide(t, viewOf(2 + t / 500, rows), { x: 20, y: 20 }, it, rnd, 64, 64);
    f.decide(6500, viewOf(20, rows), { x: 20, y: 20 }, it, rnd, 64, 64);
    expect(f.target).toBe(31);
  });
});
