import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newIntent } from '../../src/bots/behavior.ts';
import { ACTION_GAP_MS, Fighter } from '../../src/bots/fight.ts';
import { fightBookOf, loadFightBook, type FightBook } from '../../src/bots/fight-book.ts';
import { ActionKind, ActionReason, CombatEvent } from '../../src/protocol/combat-codes.ts';
import { ClientView } from '../../src/protocol/client-view.ts';
import { Limits, MoveKind } from '../../src/protocol/opcodes.ts';
import { SelfState } from '../../src/protocol/self-state.ts';
import { EntityFlags, EntityKind } from '../../src/shared/layout.ts';
import { mulberry32 } from '../../src/shared/random.ts';

const ME = 10;
// Templates: 1 friendly, 2 hostile. Skills: 1 a melee strike (15), 2 a self buff, 3 a heal on an ally, 4 a ranged cast.
const BOOK: FightBook = {
  hostile: [0, 0, 1],
  skills: [
    null,
    { target: 'enemy', cost: 15, range: 1.5, castMs: 0, heals: false, sight: true },
    { target: 'self', cost: 10, range: 0, castMs: 0, heals: false, sight: false },
    { target: 'ally', cost: 20, range: 10, castMs: 1500, heals: true, sight: true },
    { target: 'enemy', cost: 20, range: 12, castMs: 2000, heals: false, sight: true },
  ],
};

interface Row {
  id: number;
  kind: number;
  template?: number;
  x: number;
  y: number;
  flags?: number;
  hp?: number;
  mana?: number;
  target?: number;
}

/** A view at `tick` holding `rows` (sorted by id as the codec keeps them) and a self record knowing `skills`. */
function viewOf(tick: number, rows: Row[], skills: number[] = [], ready: number[] = [], autoAttack = false): ClientView {
  const v = new ClientView(4);
  const t = v.current;
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  t.ensure(sorted.length);
  t.count = sorted.length;
  t.tick = tick;
  sorted.forEach((r, i) => {
    t.ids[i] = r.id;
    t.kind[i] = r.kind;
    t.template[i] = r.template ?? 0;
    t.x[i] = r.x * Limits.positionScale;
    t.y[i] = r.y * Limits.positionScale;
    t.flags[i] = r.flags ?? 0;
    t.hp[i] = r.hp ?? 100;
    t.maxHp[i] = 100;
    t.mana[i] = r.mana ?? 100;
    t.target[i] = r.target ?? 0;
  });
  v.header.you = ME;
  v.header.tick = tick;
  const self = new SelfState();
  self.skillCount = skills.length;
  skills.forEach((s, i) => {
    self.skills[i] = s;
    self.readyTick[i] = ready[i] ?? 0;
  });
  self.flags = autoAttack ? 1 : 0;
  v.self = self;
  return v;
}

const me = (x = 50, y = 50, extra: Partial<Row> = {}): Row => ({ id: ME, kind: EntityKind.PLAYER, x, y, ...extra });
const pos = (v: ClientView) => ({ x: v.current.x[v.current.indexOf(ME)] / Limits.positionScale, y: v.current.y[v.current.indexOf(ME)] / Limits.positionScale });

describe('Fighter', () => {
  it('picks the nearest live hostile NPC, starts auto-attacking it and walks up to it', () => {
    const f = new Fighter(BOOK);
    const it0 = newIntent();
    const v = viewOf(100, [
      me(),
      { id: 20, kind: EntityKind.NPC, template: 1, x: 51, y: 50 }, // friendly
      { id: 21, kind: EntityKind.NPC, template: 2, x: 52, y: 50, flags: EntityFlags.DEAD },
      { id: 22, kind: EntityKind.NPC, template: 2, x: 50, y: 51, flags: EntityFlags.EVADING },
      { id: 23, kind: EntityKind.PLAYER, x: 50, y: 50.5 },
      { id: 24, kind: EntityKind.NPC, template: 2, x: 58, y: 50 },
      { id: 25, kind: EntityKind.NPC, template: 2, x: 40, y: 50 },
    ]);
    expect(f.decide(0, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(true);
    expect(f.action).toMatchObject({ kind: ActionKind.ATTACK, target: 24, skill: 1 });
    expect(f.target).toBe(24);
    expect(it0).toMatchObject({ move: MoveKind.DESTINATION, x: 58, y: 50 });
  });

  it('goes first for an NPC already fighting it, even a farther one', () => {
    const f = new Fighter(BOOK);
    const v = viewOf(100, [me(), { id: 24, kind: EntityKind.NPC, template: 2, x: 53, y: 50 }, { id: 25, kind: EntityKind.NPC, template: 2, x: 60, y: 50, target: ME }]);
    f.decide(0, v, pos(v), newIntent(), mulberry32(1), 256, 256);
    expect(f.target).toBe(25);
  });

  it('in reach it stands, and uses a ready skill it can pay for, one at a time until the server echoes it', () => {
    const f = new Fighter(BOOK);
    const rows = [me(50, 50, { mana: 40 }), { id: 24, kind: EntityKind.NPC, template: 2, x: 51, y: 50 }];
    const it0 = newIntent();
    let v = viewOf(100, rows, [1], [0], true);
    expect(f.decide(0, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(true);
    expect(it0.move).toBe(MoveKind.STOP);
    // Auto-attack is on (self record): the first action is the target's auto-attack, then the strike.
    expect(f.action.kind).toBe(ActionKind.ATTACK);
    f.sent(1);
    expect(f.decide(ACTION_GAP_MS, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(true);
    expect(f.action).toMatchObject({ kind: ActionKind.SKILL, skill: 1, target: 24 });
    f.sent(2);
    // Not echoed yet: nothing more, however long the gap.
    expect(f.decide(2 * ACTION_GAP_MS, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(false);
    // Echoed, but cooling down until tick 200: nothing.
    v = viewOf(120, rows, [1], [200], true);
    v.self!.actionSeq = 2;
    expect(f.decide(3 * ACTION_GAP_MS, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(false);
    // Ready but 10 rage short: nothing.
    v = viewOf(200, [me(50, 50, { mana: 5 }), rows[1]], [1], [200], true);
    v.self!.actionSeq = 2;
    expect(f.decide(4 * ACTION_GAP_MS, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(false);
    // Ready and paid for: the strike again.
    v = viewOf(200, rows, [1], [200], true);
    v.self!.actionSeq = 2;
    expect(f.decide(5 * ACTION_GAP_MS, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(true);
    expect(f.action).toMatchObject({ kind: ActionKind.SKILL, skill: 1 });
  });

  it('casts a ranged skill from afar and stands still for the cast; buffs itself only beside its target', () => {
    const f = new Fighter(BOOK);
    const it0 = newIntent();
    const v = viewOf(100, [me(), { id: 24, kind: EntityKind.NPC, template: 2, x: 58, y: 50 }], [2, 4], [0, 0], true);
    f.decide(0, v, pos(v), it0, mulberry32(1), 256, 256); // the ATTACK
    f.sent(1);
    expect(f.decide(ACTION_GAP_MS, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(true);
    expect(f.action).toMatchObject({ kind: ActionKind.SKILL, skill: 4, target: 24 });
    expect(it0.move).toBe(MoveKind.STOP);
    // Still casting (2 s): it stands and sends nothing.
    expect(f.decide(ACTION_GAP_MS + 1000, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(false);
    expect(it0.move).toBe(MoveKind.STOP);
    // After the cast (the skill now cooling down) it walks on.
    v.self!.readyTick[1] = 1000;
    f.decide(ACTION_GAP_MS + 2500, v, pos(v), it0, mulberry32(1), 256, 256);
    expect(it0.move).toBe(MoveKind.DESTINATION);
  });

  it('with a sight line, passes over prey across a wall unless it is on the bot', () => {
    // A wall along x = 54: nothing on the far side is in sight from x < 54.
    const wall = (x0: number, _y0: number, x1: number) => Math.min(x0, x1) >= 54 || Math.max(x0, x1) < 54;
    const f = new Fighter(BOOK);
    f.sight = wall;
    const near = { id: 24, kind: EntityKind.NPC, template: 2, x: 56, y: 50 };
    const far = { id: 25, kind: EntityKind.NPC, template: 2, x: 40, y: 50 };
    let v = viewOf(100, [me(), near, far]);
    f.decide(0, v, pos(v), newIntent(), mulberry32(1), 256, 256);
    expect(f.target).toBe(25);
    // Without one it takes the nearer, as before.
    const blind = new Fighter(BOOK);
    blind.decide(0, v, pos(v), newIntent(), mulberry32(1), 256, 256);
    expect(blind.target).toBe(24);
    // One across the wall that fights the bot is fought all the same.
    const onMe = new Fighter(BOOK);
    onMe.sight = wall;
    v = viewOf(100, [me(), { ...near, target: ME }, far]);
    onMe.decide(0, v, pos(v), newIntent(), mulberry32(1), 256, 256);
    expect(onMe.target).toBe(24);
  });

  it('casts nothing that needs sight at a target it cannot see, and walks up instead', () => {
    let clear = false;
    const f = new Fighter(BOOK);
    f.sight = () => clear;
    const it0 = newIntent();
    // The target is on the bot, so it is fought though out of sight.
    const v = viewOf(100, [me(), { id: 24, kind: EntityKind.NPC, template: 2, x: 58, y: 50, target: ME }], [2, 4], [0, 0], true);
    f.decide(0, v, pos(v), it0, mulberry32(1), 256, 256); // the ATTACK
    f.sent(1);
    // The ranged cast needs sight: not sent; the buff is for beside the target only.
    expect(f.decide(ACTION_GAP_MS, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(false);
    expect(it0).toMatchObject({ move: MoveKind.DESTINATION, x: 58, y: 50 });
    // In sight, the same moment casts it.
    clear = true;
    expect(f.decide(ACTION_GAP_MS, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(true);
    expect(f.action).toMatchObject({ kind: ActionKind.SKILL, skill: 4, target: 24 });
  });

  it('heals itself when below half health', () => {
    const f = new Fighter(BOOK);
    const it0 = newIntent();
    const v = viewOf(100, [me(50, 50, { hp: 30 }), { id: 24, kind: EntityKind.NPC, template: 2, x: 51, y: 50 }], [3], [0], true);
    f.decide(0, v, pos(v), it0, mulberry32(1), 256, 256);
    f.sent(1);
    expect(f.decide(ACTION_GAP_MS, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(true);
    expect(f.action).toMatchObject({ kind: ActionKind.SKILL, skill: 3, target: ME });
  });

  it('asks to respawn a while after it died, and again while still dead', () => {
    const f = new Fighter(BOOK);
    const it0 = newIntent();
    const v = viewOf(100, [me(50, 50, { flags: EntityFlags.DEAD, hp: 0 }), { id: 24, kind: EntityKind.NPC, template: 2, x: 51, y: 50 }]);
    expect(f.decide(0, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(false);
    expect(it0.move).toBe(MoveKind.STOP);
    expect(f.decide(1000, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(true);
    expect(f.action.kind).toBe(ActionKind.RESPAWN);
    expect(f.decide(2000, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(false);
    expect(f.decide(4000, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(true);
  });

  it('wanders when no hostile NPC is in view', () => {
    const f = new Fighter(BOOK);
    const it0 = newIntent();
    const v = viewOf(100, [me(), { id: 20, kind: EntityKind.NPC, template: 1, x: 51, y: 50 }, { id: 26, kind: EntityKind.NPC, template: 0, x: 52, y: 50 }]);
    expect(f.decide(0, v, pos(v), it0, mulberry32(1), 256, 256)).toBe(false);
    expect(it0.move).not.toBe(MoveKind.DESTINATION);
    expect(f.target).toBe(0);
  });

  it('without a book fights any NPC that has a template', () => {
    const f = new Fighter(null);
    const v = viewOf(100, [me(), { id: 20, kind: EntityKind.NPC, template: 0, x: 51, y: 50 }, { id: 21, kind: EntityKind.NPC, template: 7, x: 55, y: 50 }]);
    f.decide(0, v, pos(v), newIntent(), mulberry32(1), 256, 256);
    expect(f.target).toBe(21);
  });

  it('mixed: stretches of fighting and of wandering past NPCs', () => {
    const f = new Fighter(BOOK, true);
    const v = viewOf(100, [me(), { id: 24, kind: EntityKind.NPC, template: 2, x: 55, y: 50 }]);
    const rnd = mulberry32(3);
    let fought = 0;
    let wandered = 0;
    for (let t = 0; t < 200_000; t += 500) {
      const it0 = newIntent();
      f.decide(t, v, pos(v), it0, rnd, 256, 256);
      if (f.target === 24) fought++;
      else wandered++;
    }
    expect(fought).toBeGreaterThan(100);
    expect(wandered).toBeGreaterThan(50);
  });

  it('counts its kills, experience, deaths and refusals from the events', () => {
    const f = new Fighter(BOOK);
    const v = viewOf(100, [me()]);
    v.events.push(CombatEvent.DEATH, 0, ME, 24, 0, 0);
    v.events.push(CombatEvent.EXPERIENCE, 0, 24, ME, 0, 33);
    v.events.push(CombatEvent.REFUSED, ActionReason.COOLDOWN, ME, 24, 1, 5);
    v.events.push(CombatEvent.DEATH, 0, 24, ME, 0, 0);
    v.events.push(CombatEvent.DAMAGE, 0, ME, 24, 0, 7);
    const counts: Record<string, number> = {};
    f.observe(v, (name, by = 1) => void (counts[name] = (counts[name] ?? 0) + by));
    expect(counts).toEqual({ kills: 1, experience: 33, refused_cooldown: 1, deaths: 1, swings_landed: 1 });
  });
});

describe('the fight book', () => {
  it('of the default content: wolves are fought, the elder is not; Heroic Strike is a melee enemy skill', () => {
    const book = loadFightBook('data');
    const npcs = JSON.parse(readFileSync('data/npcs.json', 'utf8')).npcs as { id: string }[];
    const skills = JSON.parse(readFileSync('data/skills.json', 'utf8')).skills as { id: string }[];
    expect(book.hostile[npcs.findIndex((n) => n.id === 'npc.wolf') + 1]).toBe(1);
    expect(book.hostile[npcs.findIndex((n) => n.id === 'npc.elder_maren') + 1]).toBe(0);
    expect(book.skills[skills.findIndex((s) => s.id === 'skill.heroic_strike') + 1]).toEqual({ target: 'enemy', cost: 15, range: 1.5, castMs: 0, heals: false, sight: true });
    expect(book.skills[skills.findIndex((s) => s.id === 'skill.mend') + 1]).toMatchObject({ heals: true });
    expect(book.skills[0]).toBeNull();
  });

  it('names the folder when it holds no content, or bad content', () => {
    expect(() => loadFightBook('/nonexistent-folder')).toThrow(/--content \/nonexistent-folder: no npcs.json or skills.json/);
    const dir = mkdtempSync(join(tmpdir(), 'tessera-book-'));
    try {
      writeFileSync(join(dir, 'npcs.json'), '{"npcs": [{"id": 5}]');
      expect(() => loadFightBook(dir)).toThrow(new RegExp(`--content ${dir}: 1 problem\\(s\\), the first: npcs.json`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(fightBookOf({ npcs: [], skills: [] })).toEqual({ hostile: [0], skills: [null] });
  });
});
