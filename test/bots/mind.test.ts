import { describe, expect, it } from 'vitest';
import { newIntent } from '../../src/bots/behavior.ts';
import { Mind, mixedQuester, type MindSpec } from '../../src/bots/mind.ts';
import { Routes } from '../../src/bots/routes.ts';
import type { WorldBook } from '../../src/bots/world-book.ts';
import { decodeClientMessage } from '../../src/protocol/decode.ts';
import { Container, ItemOp } from '../../src/protocol/item-codes.ts';
import { MoveKind } from '../../src/protocol/opcodes.ts';
import { QuestAction } from '../../src/protocol/quest-codes.ts';
import { EntityKind } from '../../src/shared/layout.ts';
import { mulberry32 } from '../../src/shared/random.ts';
import { ME, viewOf } from './bot-views.ts';

const BOOK: WorldBook = {
  zones: [{ name: 'z', width: 40, height: 40, tiles: new Uint8Array(1600), portals: [], npcs: [{ template: 1, x: 10.5, y: 10.5 }], spawnAreas: [{ template: 2, count: 3, x: 25, y: 25, width: 6, height: 6 }], areas: [] }],
  quests: [{ number: 0, giver: 1, turnIn: 1, minLevel: 1, prerequisites: [], repeatable: false, objectives: [{ type: 'kill', template: 2, count: 1 }] }],
  items: [null, { slot: 3, levelRequired: 1, classes: [], score: 13, heals: false, cooldownMs: 0 }],
  classes: 3,
};

function mind(over: Partial<MindSpec>) {
  const sent: Uint8Array[] = [];
  const none = () => {};
  const m = new Mind({ behavior: 'fight', index: 0, fightBook: null, world: BOOK, routes: new Routes(BOOK.zones), classId: 1, combat: none, quests: none, items: none, send: (b) => sent.push(b), ...over });
  return { m, sent };
}

describe('Mind', () => {
  it('is made of a fighter, a quester for questing bots (every third mixed one), and a looter for bots with a character', () => {
    expect(mind({ behavior: 'fight' }).m.quester).toBeNull();
    expect(mind({ behavior: 'fight' }).m.looter).not.toBeNull();
    expect(mind({ behavior: 'fight', classId: null }).m.looter).toBeNull();
    expect(mind({ behavior: 'quest' }).m.quester).not.toBeNull();
    expect(mind({ behavior: 'quest', world: null }).m.quester).toBeNull();
    expect([0, 1, 2, 3, 4, 5].map(mixedQuester)).toEqual([false, false, true, false, false, true]);
    expect(mind({ behavior: 'mixed', index: 2 }).m.quester).not.toBeNull();
    expect(mind({ behavior: 'mixed', index: 4 }).m.quester).toBeNull();
  });

  it('sends what its parts decide as wire messages the server decodes', () => {
    const { m, sent } = mind({ behavior: 'quest' });
    m.onZone('z');
    m.onMessage({ op: 'questLog', full: true, entries: [] }, 0);
    m.onMessage({ op: 'inventory', full: true, gold: 0, items: [{ id: 7, version: 2, template: 1, count: 1, container: Container.BAG, slot: 0 }], removed: [], results: [] }, 0);
    const it = newIntent();
    const elder = { id: 50, kind: EntityKind.NPC, template: 1, x: 10.5, y: 10.5 };
    const wolf = { id: 60, kind: EntityKind.NPC, template: 2, x: 13, y: 10.5, target: ME };
    m.decide(0, viewOf(1, [{ id: ME, kind: EntityKind.PLAYER, x: 12, y: 10.5 }, elder, wolf]), { x: 12, y: 10.5 }, it, mulberry32(1), 40, 40);
    const msgs = sent.map((b) => decodeClientMessage(b));
    expect(msgs).toEqual([
      { op: 'quest', action: QuestAction.ACCEPT, quest: 0, npc: 50 },
      expect.objectContaining({ op: 'item', itemOp: ItemOp.EQUIP, item: 7, version: 2 }),
      // The wolf on the bot is fought whatever the quest says; the fight steers.
      expect.objectContaining({ op: 'action', target: 60 }),
    ]);
    expect(m.fighter.engaged).toBe(true);
    expect(it.move).toBe(MoveKind.STOP);
  });

  it("takes a fight bot that sees nothing to its prey's spawn area, and lets the fight steer once prey shows", () => {
    const book: NonNullable<MindSpec['fightBook']> = { hostile: [0, 0, 1], skills: [null] };
    const { m } = mind({ behavior: 'fight', fightBook: book });
    expect(m.prowler).not.toBeNull();
    m.onZone('z');
    const it = newIntent();
    const rnd = mulberry32(3);
    const me = { id: ME, kind: EntityKind.PLAYER, x: 5, y: 5 };
    m.decide(0, viewOf(1, [me]), { x: 5, y: 5 }, it, rnd, 40, 40);
    // Not a random wander: a walk towards the wolves' area (25..31, 25..31), the only hostile one.
    expect(m.prowler!.steering).toBe(true);
    expect(it.move).not.toBe(MoveKind.STOP);
    const ahead = it.move === MoveKind.DESTINATION ? { x: it.x - 5, y: it.y - 5 } : { x: it.dx, y: it.dy };
    expect(ahead.x).toBeGreaterThan(0);
    expect(ahead.y).toBeGreaterThan(0);
    // Prey in view: the fighter takes over and the prowler lets go.
    const wolf = { id: 60, kind: EntityKind.NPC, template: 2, x: 7, y: 5 };
    m.decide(5000, viewOf(2, [me, wolf]), { x: 5, y: 5 }, it, rnd, 40, 40);
    m.decide(5100, viewOf(3, [me, wolf]), { x: 5, y: 5 }, it, rnd, 40, 40);
    expect(m.fighter.target).toBe(60);
    expect(m.prowler!.steering).toBe(false);
    // A zone with no hostile spawn area: no prowling, the fighter wanders as before.
    const it2 = newIntent();
    const { m: m2 } = mind({ behavior: 'fight', fightBook: book });
    m2.onZone('elsewhere');
    m2.decide(0, viewOf(1, [me]), { x: 5, y: 5 }, it2, rnd, 40, 40);
    expect(m2.prowler!.steering).toBe(false);
    // The fighter judges sight in the zone it is in, and not in one the book does not hold.
    expect(m.fighter.sight?.(5, 5, 7, 5)).toBe(true);
    expect(m2.fighter.sight).toBeNull();
    // Questers do not prowl: their quests steer.
    expect(mind({ behavior: 'quest', fightBook: book }).m.prowler).toBeNull();
  });
});
