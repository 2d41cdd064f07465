import { describe, expect, it } from 'vitest';
import { newIntent } from '../../src/bots/behavior.ts';
import { Fighter } from '../../src/bots/fight.ts';
import { Quester, QuestPhase } from '../../src/bots/quester.ts';
import { Routes } from '../../src/bots/routes.ts';
import type { BookZone, WorldBook } from '../../src/bots/world-book.ts';
import { MoveKind } from '../../src/protocol/opcodes.ts';
import { QuestAction, QuestRefusal, QuestState } from '../../src/protocol/quest-codes.ts';
import { EntityFlags, EntityKind } from '../../src/shared/layout.ts';
import { mulberry32 } from '../../src/shared/random.ts';
import { ME, viewOf, type Row } from './bot-views.ts';

// Templates: 1 the elder (a giver), 2 wolves, 3 a scout. Quests: 0 kill two wolves; 1 needs 0 done and level 3; 2 talk to the scout.
const ELDER = 1;
const WOLF = 2;
const open = (name: string, portals: BookZone['portals'] = []): BookZone => ({
  name,
  width: 40,
  height: 40,
  tiles: new Uint8Array(1600),
  portals,
  npcs: name === 'town' ? [{ template: ELDER, x: 10.5, y: 10.5 }] : [],
  spawnAreas: name === 'field' ? [{ template: WOLF, count: 3, x: 25, y: 25, width: 6, height: 6 }] : [],
  areas: [],
});
const BOOK: WorldBook = {
  zones: [open('town', [{ zone: 'field', x: 38, y: 18, width: 2, height: 4 }]), open('field', [{ zone: 'town', x: 0, y: 18, width: 2, height: 4 }])],
  quests: [
    { number: 0, giver: ELDER, turnIn: ELDER, minLevel: 1, prerequisites: [], repeatable: false, objectives: [{ type: 'kill', template: WOLF, count: 2 }] },
    { number: 1, giver: ELDER, turnIn: ELDER, minLevel: 3, prerequisites: [0], repeatable: false, objectives: [{ type: 'kill', template: WOLF, count: 4 }] },
  ],
  items: [null],
  classes: 3,
};

function quester(book: WorldBook = BOOK) {
  const counts: Record<string, number> = {};
  const fighter = new Fighter(null);
  const q = new Quester(book, new Routes(book.zones), fighter, (name, by = 1) => {
    counts[name] = (counts[name] ?? 0) + by;
  });
  return { q, fighter, counts, it: newIntent(), rnd: mulberry32(7) };
}

const me = (x: number, y: number, extra: Partial<Row> = {}): Row => ({ id: ME, kind: EntityKind.PLAYER, x, y, ...extra });
const elder = (x = 10.5, y = 10.5): Row => ({ id: 50, kind: EntityKind.NPC, template: ELDER, x, y });

describe('Quester', () => {
  it('waits for its quest log, walks to the giver by route, and asks for the quest within talking range', () => {
    const { q, it, rnd } = quester();
    q.onZone('town');
    expect(q.decide(0, viewOf(1, [me(30, 30)]), { x: 30, y: 30 }, it, rnd)).toBe(false);
    expect(q.steering).toBe(false);
    q.onLog({ op: 'questLog', full: true, entries: [] });
    expect(q.decide(100, viewOf(2, [me(30, 30)]), { x: 30, y: 30 }, it, rnd)).toBe(false);
    expect(q.phase).toBe(QuestPhase.GIVER);
    expect(q.steering).toBe(true);
    expect(it.move).toBe(MoveKind.DESTINATION);
    // In view but not in range: straight at her.
    expect(q.decide(200, viewOf(3, [me(16, 10.5), elder()]), { x: 16, y: 10.5 }, it, rnd)).toBe(false);
    expect(it).toMatchObject({ move: MoveKind.DESTINATION, x: 10.5, y: 10.5 });
    // In range: stands and asks, once (until the answer or a timeout).
    expect(q.decide(300, viewOf(4, [me(12, 10.5), elder()]), { x: 12, y: 10.5 }, it, rnd)).toBe(true);
    expect(q.request).toEqual({ action: QuestAction.ACCEPT, quest: 0, npc: 50 });
    expect(it.move).toBe(MoveKind.STOP);
    expect(q.decide(400, viewOf(5, [me(12, 10.5), elder()]), { x: 12, y: 10.5 }, it, rnd)).toBe(false);
  });

  it('hunts the quarry in its spawn area through the portal, then turns the quest in and counts it', () => {
    const { q, fighter, counts, it, rnd } = quester();
    q.onZone('town');
    q.onLog({ op: 'questLog', full: true, entries: [] });
    expect(q.decide(0, viewOf(1, [me(12, 10.5), elder()]), { x: 12, y: 10.5 }, it, rnd)).toBe(true);
    q.onResult({ op: 'questResult', action: QuestAction.ACCEPT, quest: 0, reason: QuestRefusal.OK }, 10);
    q.onLog({ op: 'questLog', full: false, entries: [{ quest: 0, state: QuestState.ACTIVE, completions: 0, counts: [0] }] });
    expect(q.phase).toBe(QuestPhase.WORK);
    expect(counts.accepted).toBe(1);
    // Off to the town's portal towards the field; the fighter only defends itself on the way.
    q.decide(100, viewOf(2, [me(12, 10.5)]), { x: 12, y: 10.5 }, it, rnd);
    expect(it.move).toBe(MoveKind.DESTINATION);
    expect(it.x).toBeGreaterThan(30);
    // In the field, inside the meadow: the fighter seeks wolves only, and the bot walks about the area.
    q.onZone('field');
    q.decide(200, viewOf(3, [me(27, 27)]), { x: 27, y: 27 }, it, rnd);
    expect(fighter.prey?.[WOLF]).toBe(1);
    expect(fighter.prey?.[ELDER]).toBe(0);
    expect(it.move).toBe(MoveKind.DESTINATION);
    expect(it.x).toBeGreaterThanOrEqual(25);
    expect(it.x).toBeLessThanOrEqual(31);
    // Two kills later the log says ready: back to the elder.
    q.onLog({ op: 'questLog', full: false, entries: [{ quest: 0, state: QuestState.READY, completions: 0, counts: [2] }] });
    expect(q.phase).toBe(QuestPhase.TURN_IN);
    q.decide(300, viewOf(4, [me(27, 27)]), { x: 27, y: 27 }, it, rnd);
    expect(it.x).toBeLessThan(5);
    q.onZone('town');
    expect(q.decide(400, viewOf(5, [me(11, 11), elder()]), { x: 11, y: 11 }, it, rnd)).toBe(true);
    expect(q.request).toEqual({ action: QuestAction.TURN_IN, quest: 0, npc: 50 });
    q.onResult({ op: 'questResult', action: QuestAction.TURN_IN, quest: 0, reason: QuestRefusal.OK }, 410);
    q.onLog({ op: 'questLog', full: false, entries: [{ quest: 0, state: QuestState.DONE, completions: 1, counts: [] }] });
    expect(counts).toMatchObject({ accepted: 1, completed: 1, log_done: 1 });
    expect([q.accepted, q.completed]).toEqual([1, 1]);
    // Quest 1 needs level 3: nothing to take at level 1, so the quester lets the fighter roam.
    expect(q.decide(500, viewOf(6, [me(11, 11), elder()]), { x: 11, y: 11 }, it, rnd)).toBe(false);
    expect(q.phase).toBe(QuestPhase.IDLE);
    expect(fighter.prey).toBeNull();
    expect(counts.idle).toBe(1);
    // At level 3 (15 s on) it takes the next one.
    expect(q.decide(16_000, viewOf(7, [me(11, 11, { level: 3 }), elder()]), { x: 11, y: 11 }, it, rnd)).toBe(true);
    expect(q.request).toMatchObject({ action: QuestAction.ACCEPT, quest: 1 });
  });

  it('resumes a quest its log holds, and leaves a refused one alone for a while', () => {
    const { q, counts, it, rnd } = quester();
    q.onZone('town');
    q.onLog({ op: 'questLog', full: true, entries: [{ quest: 0, state: QuestState.READY, completions: 0, counts: [2] }] });
    expect(q.decide(0, viewOf(1, [me(11, 11), elder()]), { x: 11, y: 11 }, it, rnd)).toBe(true);
    expect(q.request.action).toBe(QuestAction.TURN_IN);
    q.onResult({ op: 'questResult', action: QuestAction.TURN_IN, quest: 0, reason: QuestRefusal.TOO_FAR }, 10);
    expect(counts.refused_too_far).toBe(1);
    // Too far: asked again after a moment, not at once.
    expect(q.decide(20, viewOf(2, [me(11, 11), elder()]), { x: 11, y: 11 }, it, rnd)).toBe(false);
    expect(q.decide(2000, viewOf(3, [me(11, 11), elder()]), { x: 11, y: 11 }, it, rnd)).toBe(true);
    // A refusal for good: the quest is left alone, nothing else to take.
    q.onResult({ op: 'questResult', action: QuestAction.TURN_IN, quest: 0, reason: QuestRefusal.WRONG_NPC }, 2010);
    expect(counts.refused_wrong_npc).toBe(1);
    expect(q.decide(2100, viewOf(4, [me(11, 11), elder()]), { x: 11, y: 11 }, it, rnd)).toBe(false);
    expect(q.phase).toBe(QuestPhase.IDLE);
  });

  it('does nothing while dead or out of view, and gives a quest up when its place has no way in', () => {
    const { q, counts, it, rnd } = quester();
    q.onZone('town');
    q.onLog({ op: 'questLog', full: true, entries: [] });
    expect(q.decide(0, viewOf(1, [me(12, 10.5, { flags: EntityFlags.DEAD }), elder()]), { x: 12, y: 10.5 }, it, rnd)).toBe(false);
    expect(q.decide(0, viewOf(1, [elder()]), null, it, rnd)).toBe(false);
    expect(q.steering).toBe(false);
    // A town walled off from its giver.
    const walled = { ...BOOK, zones: BOOK.zones.map((z) => ({ ...z, tiles: new Uint8Array(1600) })) };
    const town = walled.zones[0];
    for (let y = 0; y < 40; y++) town.tiles[y * 40 + 20] = 1;
    const w = quester(walled);
    w.q.onZone('town');
    w.q.onLog({ op: 'questLog', full: true, entries: [] });
    w.q.decide(0, viewOf(1, [me(30, 30)]), { x: 30, y: 30 }, w.it, w.rnd);
    expect(w.counts).toMatchObject({ no_route: 1, no_way: 1 });
    expect(counts.no_way ?? 0).toBe(0);
  });

  it('fights instead in a zone its book does not know (a server playing another map)', () => {
    const { q, fighter, counts, it, rnd } = quester();
    q.onZone('generated');
    q.onLog({ op: 'questLog', full: true, entries: [] });
    expect(q.decide(0, viewOf(1, [me(12, 10.5), elder()]), { x: 12, y: 10.5 }, it, rnd)).toBe(false);
    expect(q.phase).toBe(QuestPhase.IDLE);
    expect(q.steering).toBe(false);
    expect(fighter.prey).toBeNull();
    expect(counts).toEqual({ zone_not_in_book: 1, idle: 1 });
  });
});
