/**
 * NPC AI in a two-cell zone driven tick by tick (in-thread): spawning from
 * the map, wandering inside the area, patrols, aggro, a chase round a wall
 * on an A* path, attacks through the event channel, the leash, handoff of
 * the AI's memory across the cell border, and death and respawn.
 */
import { describe, expect, it } from 'vitest';
import { EntityFlags } from '../../../src/shared/layout.ts';
import { EventType } from '../../../src/workers/event-types.ts';
import { CombatEvent } from '../../../src/protocol/combat-codes.ts';
import { EntityKind } from '../../../src/shared/layout.ts';
import type { System } from '../../../src/workers/system.ts';
import { loggedEvents } from '../fixtures/combat-log.ts';
import { GUARD, PATROL, WALL_TOP, WALL_X, WOLF, WOLF_AREA, joinPlayer, npcSlots, npcZone, ownerCell, slotOf } from '../npc/fixture.ts';

const inArea = (x: number, y: number, slack = 0.01) =>
  x >= WOLF_AREA.x - slack && y >= WOLF_AREA.y - slack && x <= WOLF_AREA.x + WOLF_AREA.width + slack && y <= WOLF_AREA.y + WOLF_AREA.height + slack;

describe('npc-ai', () => {
  it('spawns the map\'s NPCs with their template\'s health and level, and wanderers stay in their area', () => {
    const z = npcZone();
    z.tick();
    const f = z.views.store.f;
    const wolves = npcSlots(z, WOLF);
    expect(wolves).toHaveLength(3);
    expect(npcSlots(z, GUARD)).toHaveLength(1);
    for (const s of wolves) {
      expect([f.hp[s], f.maxHp[s], f.level[s]]).toEqual([60, 60, 2]);
      expect(inArea(f.x[s], f.y[s])).toBe(true);
    }
    const start = wolves.map((s) => [f.x[s], f.y[s]]);
    let moved = 0;
    for (let t = 0; t < 400; t++) {
      z.tick();
      for (const s of wolves) expect(inArea(f.x[s], f.y[s]), `wolf at ${f.x[s]},${f.y[s]}`).toBe(true);
    }
    wolves.forEach((s, i) => {
      if (f.x[s] !== start[i][0] || f.y[s] !== start[i][1]) moved++;
    });
    expect(moved).toBeGreaterThan(0);
    expect(z.violations).toBe(0);
  });

  it('walks a patrol path point by point, round its loop', () => {
    const z = npcZone();
    z.tick();
    const [guard] = npcSlots(z, GUARD);
    const f = z.views.store.f;
    const visits: number[] = [];
    for (let t = 0; t < 1100; t++) {
      z.tick();
      // The path is closed: its last point is its first.
      PATROL.slice(0, 4).forEach((p, i) => {
        if (Math.hypot(f.x[guard] - p.x, f.y[guard] - p.y) < 0.1 && visits[visits.length - 1] !== i) visits.push(i);
      });
    }
    // 10 tiles a side at 1.5 tiles/s with a pause at each corner: a lap in about 30 s.
    expect(visits.slice(0, 6)).toEqual([0, 1, 2, 3, 0, 1]);
  });

  it('aggroes on a nearby player, chases it round the wall on a path, attacks through the event channel, and leashes home past its radius', () => {
    // The player here is a target dummy that never dies: its health is topped up every tick.
    const undying = (): System => ({
      name: 'undying',
      phase: 'simulate',
      run(c) {
        const f = c.store.f;
        for (let i = 0; i < c.owned.count; i++) if (f.kind[c.owned.list[i]] === EntityKind.PLAYER) f.hp[c.owned.list[i]] = f.maxHp[c.owned.list[i]];
      },
    });
    const hits: { target: number; source: number; damage: number; tick: number }[] = [];
    const z = npcZone([undying]);
    const tick = () => {
      z.tick();
      for (const e of loggedEvents(z.views)) {
        if (e.type === CombatEvent.DAMAGE || e.type === CombatEvent.MISS || e.type === CombatEvent.DODGE) hits.push({ target: e.target, source: e.source, damage: e.amount, tick: e.tick });
      }
    };
    z.tick();
    const f = z.views.store.f;
    // Far from the wolves (and out of their sight): nothing happens.
    const player = joinPlayer(z, 7, 26, 24);
    for (let t = 0; t < 40; t++) tick();
    for (const s of npcSlots(z, WOLF)) expect(f.flags[s] & EntityFlags.IN_COMBAT).toBe(0);

    // Step next to the wolves (west of the wall): one notices within a scan and a reaction.
    ownerCell(z, player).lifecycle.teleport(slotOf(player), 18, 21);
    let wolf = -1;
    for (let t = 0; t < 20 && wolf < 0; t++) {
      tick();
      wolf = npcSlots(z, WOLF).find((s) => (f.flags[s] & EntityFlags.IN_COMBAT) !== 0) ?? -1;
    }
    expect(wolf).toBeGreaterThanOrEqual(0);
    const wolfHandle = z.views.store.handleAt(wolf);

    // Jump east of the wall: the wolf must go round its top (y < 8) to get there.
    ownerCell(z, player).lifecycle.teleport(slotOf(player), 23, 22);
    let minY = Infinity;
    let reachedAt = -1;
    for (let t = 0; t < 400 && reachedAt < 0; t++) {
      tick();
      minY = Math.min(minY, f.y[wolf]);
      expect(f.x[wolf] < WALL_X || f.x[wolf] >= WALL_X + 1 || f.y[wolf] < WALL_TOP, 'never inside the wall').toBe(true);
      if (Math.hypot(f.x[wolf] - f.x[slotOf(player)], f.y[wolf] - f.y[slotOf(player)]) <= 1.5) reachedAt = t;
    }
    expect(minY).toBeLessThan(WALL_TOP);
    expect(reachedAt).toBeGreaterThan(0);
    for (let t = 0; t < 65; t++) tick();
    const mine = hits.filter((h) => h.source === wolfHandle);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    for (const h of mine) {
      expect(h.target).toBe(player);
      // 3..5 rolled, a crit half again; a miss or a dodge is 0.
      if (h.damage > 0) expect(h.damage).toBeGreaterThanOrEqual(3);
      expect(h.damage).toBeLessThanOrEqual(8);
    }
    // One swing a second (20 ticks).
    for (let i = 1; i < mine.length; i++) expect(mine[i].tick - mine[i - 1].tick).toBe(20);

    // Run east across the cell border (x = 32): the wolf follows into cell 1, its memory with it.
    ownerCell(z, player).lifecycle.teleport(slotOf(player), 36, 22);
    let crossed = false;
    for (let t = 0; t < 300 && !crossed; t++) {
      tick();
      crossed = z.ownerOf(wolfHandle) === 1 && (f.flags[slotOf(wolfHandle)] & EntityFlags.IN_COMBAT) !== 0;
    }
    expect(crossed).toBe(true);
    // Then on past its leash (26 tiles from home, about x = 42): it gives up.
    ownerCell(z, player).lifecycle.teleport(slotOf(player), 47, 22);
    let evaded = false;
    let evadedAtX = 0;
    for (let t = 0; t < 300 && !evaded; t++) {
      tick();
      const s = slotOf(wolfHandle);
      if ((f.flags[s] & EntityFlags.EVADING) !== 0) {
        evaded = true;
        evadedAtX = f.x[s];
      }
    }
    expect(evadedAtX).toBeGreaterThan(38);
    expect(evaded).toBe(true);
    // Home again: no longer in combat or evading, full health, back in its area.
    for (let t = 0; t < 600 && (f.flags[slotOf(wolfHandle)] & EntityFlags.EVADING) !== 0; t++) z.tick();
    const s = slotOf(wolfHandle);
    expect(f.flags[s] & (EntityFlags.EVADING | EntityFlags.IN_COMBAT)).toBe(0);
    expect(f.hp[s]).toBe(f.maxHp[s]);
    expect(inArea(f.x[s], f.y[s], 2)).toBe(true);
    expect(z.violations).toBe(0);
  });

  it('does not aggro on a player in a safe area', () => {
    const z = npcZone();
    z.tick();
    const f = z.views.store.f;
    const [guard] = npcSlots(z, GUARD);
    const player = joinPlayer(z, 9, 60, 4);
    z.ticks(100);
    expect(f.flags[guard] & EntityFlags.IN_COMBAT).toBe(0);
    expect(player).toBeGreaterThanOrEqual(0);
  });

  it('lies dead as a corpse, is hidden, then respawns in its area with full health', () => {
    const z = npcZone();
    z.tick();
    const f = z.views.store.f;
    const [wolf] = npcSlots(z, WOLF);
    const handle = z.views.store.handleAt(wolf);
    z.cells[1].events.send(EventType.KILL, handle, 0, 0, 0); // from the other cell: through the ring
    z.ticks(2);
    expect(f.flags[wolf] & EntityFlags.DEAD).toBe(EntityFlags.DEAD);
    expect(f.hp[wolf]).toBe(0);
    const died = z.cells[0].tick;
    const grid = z.views.grid;
    // Listed in some cell's part of the grid (what replication and the NPCs' senses read).
    const inGrid = () => {
      for (let c = 0; c < 2; c++) {
        for (let t = 0; t < grid.tileCount[c].length; t++) {
          for (let i = 0; i < grid.tileCount[c][t]; i++) if (grid.slots[c][grid.tileStart[c][t] + i] === wolf) return true;
        }
      }
      return false;
    };
    expect(inGrid()).toBe(true); // a corpse is seen
    let hiddenAt = -1;
    let aliveAt = -1;
    for (let t = 0; t < 200 && aliveAt < 0; t++) {
      z.tick();
      if (hiddenAt < 0 && (f.flags[wolf] & EntityFlags.HIDDEN) !== 0) hiddenAt = z.cells[0].tick;
      if ((f.flags[wolf] & EntityFlags.HIDDEN) !== 0) expect(inGrid()).toBe(false); // then no one sees it
      if ((f.flags[wolf] & EntityFlags.DEAD) === 0) aliveAt = z.cells[0].tick;
    }
    // Respawn 4 s: a corpse for 2 s (half), hidden for the rest.
    expect(hiddenAt - died).toBeGreaterThanOrEqual(39);
    expect(hiddenAt - died).toBeLessThanOrEqual(42);
    expect(aliveAt - died).toBeGreaterThanOrEqual(79);
    expect(aliveAt - died).toBeLessThanOrEqual(82);
    expect(z.views.store.isValid(handle)).toBe(true);
    expect(f.hp[wolf]).toBe(60);
    z.tick();
    expect(inArea(f.x[wolf], f.y[wolf])).toBe(true);
    expect(inGrid()).toBe(true);
    expect(z.violations).toBe(0);
  });
});

describe('npc-ai after a cell restart', () => {
  it('adopts its NPCs from the store: the same entities, a corpse respawns, fighters calm down and wander their area again', () => {
    const z = npcZone();
    z.tick();
    const f = z.views.store.f;
    const wolves = npcSlots(z, WOLF);
    const handles = wolves.map((s) => z.views.store.handleAt(s));
    z.cells[0].events.send(EventType.KILL, handles[0], 0, 0, 0);
    z.cells[0].events.send(EventType.THREAT, handles[1], 0xabcdef, 50, 0);
    z.ticks(3);
    expect(f.flags[wolves[0]] & EntityFlags.DEAD).toBe(EntityFlags.DEAD);

    z.restartCell(0);
    expect(npcSlots(z, WOLF).map((s) => z.views.store.handleAt(s)).sort()).toEqual([...handles].sort());
    for (let t = 0; t < 200; t++) z.tick();
    // The corpse's respawn clock restarted (4 s): alive again with full health, in its area.
    expect(f.flags[wolves[0]] & EntityFlags.DEAD).toBe(0);
    expect(f.hp[wolves[0]]).toBe(60);
    for (const s of wolves) {
      expect(f.flags[s] & (EntityFlags.IN_COMBAT | EntityFlags.EVADING)).toBe(0);
      expect(inArea(f.x[s], f.y[s], 1)).toBe(true);
    }
    expect(z.violations).toBe(0);
  });
});
