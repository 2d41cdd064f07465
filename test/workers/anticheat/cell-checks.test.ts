/**
 * The cells' anti-cheat checks through the gate ring: each impossible
 * action is refused, counted in the cell's stat slots by check and
 * reported to the gate with the player's connection (VIOLATION); the
 * honest near-misses next to each (a thin wall, a few actions in a tick,
 * a click on a rock) are refused or carried out as before and not counted.
 */
import { describe, expect, it } from 'vitest';
import { Terrain } from '../../../src/content/map-format.ts';
import { ActionKind, ActionReason, CombatEvent } from '../../../src/protocol/combat-codes.ts';
import { MoveKind } from '../../../src/protocol/opcodes.ts';
import { ActionCheck, StatSlot } from '../../../src/shared/layout.ts';
import { CellMsg } from '../../../src/shared/messages/cell-to-gate.ts';
import { ACTIONS_PER_TICK } from '../../../src/workers/combat/player-combat.ts';
import { MAX_DESTINATION_DISTANCE } from '../../../src/workers/anticheat/destination-check.ts';
import { Class, combatZone, Fighter, H, Npc, npcAt, run, Skill, W, WALL_TOP, WALL_X, WEAKLING_AT } from '../combat/fixture.ts';
import type { InThreadZone } from '../fixtures/in-thread-zone.ts';

const counted = (z: InThreadZone, check: number) => z.cells.reduce((n, c) => n + c.stats[StatSlot.anticheat + check], 0);
const reported = (z: InThreadZone, conn: number) => z.control.filter((m) => m.op === CellMsg.VIOLATION && m.conn === conn).map((m) => m.check);
const refusals = (p: Fighter) => p.told(CombatEvent.REFUSED).map((e) => e.detail);

describe('cell anti-cheat checks', () => {
  it('count a line of sight through a wall three rock tiles thick, not through a thin one', () => {
    // Thicken the fixture's wall (x = 20) to x = 18..20 from row 20 down: rows 8..19 stay one tile thick.
    const z = combatZone([], undefined, (m) => {
      for (let y = WEAKLING_AT.y; y < H; y++) for (const x of [WALL_X - 2, WALL_X - 1]) m.tiles[y * W + x] = Terrain.ROCK;
    });
    z.tick();
    const weakling = npcAt(z, Npc.WEAKLING, WEAKLING_AT);
    const thick = Fighter.join(z, 1, Class.CASTER, 22, WEAKLING_AT.y); // 10 tiles: in range, three rock tiles between
    run(z, 2, thick);
    thick.use(Skill.BURN, weakling);
    run(z, 2, thick);
    expect(refusals(thick)).toEqual([ActionReason.NO_LINE_OF_SIGHT]);
    expect(counted(z, ActionCheck.LINE_OF_SIGHT)).toBe(1);
    expect(reported(z, 1)).toEqual([ActionCheck.LINE_OF_SIGHT]);

    // One tile of wall (the line crosses x = 18..20 above row 20): refused, an honest misjudgement, not counted.
    const thin = Fighter.join(z, 2, Class.CASTER, 22, WEAKLING_AT.y - 3);
    run(z, 2, thin);
    thin.use(Skill.BURN, weakling);
    run(z, 2, thin);
    expect(refusals(thin)).toEqual([ActionReason.NO_LINE_OF_SIGHT]);
    expect(counted(z, ActionCheck.LINE_OF_SIGHT)).toBe(1);
    expect(reported(z, 2)).toEqual([]);
  });

  it('count actions past ACTIONS_PER_TICK in one tick, not a few', () => {
    const z = combatZone();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, 30, 4);
    run(z, 1, p);
    for (let i = 0; i < 3; i++) p.act(ActionKind.TARGET);
    run(z, 1, p);
    expect(counted(z, ActionCheck.ACTION_RATE)).toBe(0);
    for (let i = 0; i < ACTIONS_PER_TICK + 2; i++) p.act(ActionKind.TARGET);
    run(z, 2, p);
    expect(refusals(p)).toEqual([ActionReason.BUSY, ActionReason.BUSY]);
    expect(counted(z, ActionCheck.ACTION_RATE)).toBe(2);
    expect(reported(z, 1)).toEqual([ActionCheck.ACTION_RATE, ActionCheck.ACTION_RATE]);
  });

  it('refuse a destination off the map or past MAX_DESTINATION_DISTANCE (the player stops), not one on a rock', () => {
    const z = combatZone();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, 30, 4);
    const cell = () => z.ownerOf(p.handle);
    const f = z.views.store.f;
    run(z, 1, p);
    z.input(cell(), 1, 1, MoveKind.DIRECTION, 1, 0);
    run(z, 3, p);
    const x0 = f.x[p.slot];
    expect(x0).toBeGreaterThan(30);
    // Off the map: the player stops where it is.
    z.input(cell(), 1, 2, MoveKind.DESTINATION, W + 40, 4);
    run(z, 3, p);
    expect(f.x[p.slot]).toBe(x0);
    expect(counted(z, ActionCheck.DESTINATION)).toBe(1);
    expect(reported(z, 1)).toEqual([ActionCheck.DESTINATION]);
    // A rock tile (the wall): an honest click; the player walks toward it.
    z.input(cell(), 1, 3, MoveKind.DESTINATION, WALL_X + 0.5, WALL_TOP + 4);
    run(z, 3, p);
    expect(f.x[p.slot]).toBeLessThan(x0);
    expect(counted(z, ActionCheck.DESTINATION)).toBe(1);
    expect(MAX_DESTINATION_DISTANCE).toBeGreaterThan(W);
  });
});
