/** World events on a made-up clock: schedule, announcements, the boss, who took part, rewards, time-outs. */
import { describe, expect, it } from 'vitest';
import { WorldEvent } from '../../../src/content/schema/quests.ts';
import { nextStart } from '../../../src/main/events/schedule.ts';
import { WorldEvents, type EventPlayer, type WorldEventHost } from '../../../src/main/events/world-events.ts';
import { silentLog } from '../../helpers/zone.ts';
import { fieldMap } from '../../helpers/zone-maps.ts';

const T0 = Date.UTC(2026, 11, 2, 10, 0, 0);
const S = 1000;

const boss = WorldEvent.parse({
  id: 'event.king',
  name: 'The King',
  map: 'field',
  schedule: { type: 'interval', everySeconds: 1800, offsetSeconds: 600 },
  durationSeconds: 900,
  boss: { npc: 'npc.king', point: 'throne' },
  announcements: [
    { offsetSeconds: -120, text: 'soon' },
    { offsetSeconds: 0, text: 'now' },
    { offsetSeconds: 840, text: 'waning' },
  ],
  rewards: { experience: 500, gold: 25, items: [{ item: 'item.potion', count: 2 }] },
});

class Host implements WorldEventHost {
  readonly said: [string, string][] = [];
  readonly spawned: [string, number, number, number][] = [];
  readonly dismissed: [string, number][] = [];
  readonly paid: [number, number][] = [];
  readonly granted: [number, { template: string; count: number }[], number, string][] = [];
  grant(p: EventPlayer, items: readonly { template: string; count: number }[], gold: number, reason: string): void {
    this.granted.push([p.id, [...items], gold, reason]);
  }
  announce(zone: string, text: string): void {
    this.said.push([zone, text]);
  }
  spawnNpc(zone: string, template: number, x: number, y: number): boolean {
    this.spawned.push([zone, template, x, y]);
    return true;
  }
  dismissNpcs(zone: string, template: number): void {
    this.dismissed.push([zone, template]);
  }
  reward(p: EventPlayer, xp: number): void {
    this.paid.push([p.id, xp]);
  }
}

function world() {
  const map = fieldMap('field', { width: 32, height: 32, points: [{ name: 'throne', x: 20, y: 8 }] });
  const host = new Host();
  const events = new WorldEvents({ events: [boss], npcs: [{ id: 'npc.wolf' }, { id: 'npc.king' }] as never }, new Map([['field', map]]), host, silentLog, T0);
  return { host, events };
}

describe('world events', () => {
  it('schedules interval events from the server start and daily ones at their UTC times', () => {
    const every = { type: 'interval' as const, everySeconds: 1800, offsetSeconds: 600 };
    expect(nextStart(every, T0, T0)).toBe(T0 + 600 * S);
    expect(nextStart(every, T0, T0 + 600 * S + 1)).toBe(T0 + 2400 * S);
    const daily = { type: 'daily' as const, times: ['20:30', '09:15'] };
    expect(nextStart(daily, T0, T0)).toBe(Date.UTC(2026, 11, 2, 20, 30));
    expect(nextStart(daily, T0, Date.UTC(2026, 11, 2, 21, 0))).toBe(Date.UTC(2026, 11, 3, 9, 15));
  });

  it('announces ahead, spawns the boss at its point, and rewards those credited with its kill', () => {
    const { host, events } = world();
    events.tick(T0 + 479 * S);
    expect(host.said).toEqual([]);
    events.tick(T0 + 480 * S);
    expect(host.said).toEqual([['field', 'soon']]);
    events.tick(T0 + 600 * S);
    expect(host.said.at(-1)).toEqual(['field', 'now']);
    expect(host.spawned).toEqual([['field', 2, 20, 8]]);
    expect(events.status()[0]).toMatchObject({ running: true, at: T0 + 1500 * S });
    const a = { id: 1, characterId: 10 };
    const b = { id: 2, characterId: 0 };
    events.killCredit(a, 'field', 1, T0 + 700 * S); // a wolf: nothing
    events.tick(T0 + 702 * S);
    expect(events.status()[0].running).toBe(true);
    events.killCredit(a, 'town', 2, T0 + 700 * S); // another zone: nothing
    events.killCredit(a, 'field', 2, T0 + 700 * S);
    events.killCredit(b, 'field', 2, T0 + 700 * S + 400); // the same kill, from another cell
    events.tick(T0 + 700 * S + 500);
    expect(host.paid).toEqual([]);
    events.tick(T0 + 701 * S);
    expect(host.paid).toEqual([
      [1, 500],
      [2, 500],
    ]);
    // Gold and items to the character; the guest (character 0) is paid experience only.
    expect(host.granted).toEqual([[1, [{ template: 'item.potion', count: 2 }], 25, 'event:event.king']]);
    expect(host.dismissed).toEqual([]);
    expect(events.status()[0]).toMatchObject({ running: false, at: T0 + 2400 * S, outcomes: { defeated: 1, expired: 0 } });
    // The waning line belongs to a running event: never said for this one.
    events.tick(T0 + 1500 * S);
    expect(host.said.map(([, t]) => t)).toEqual(['soon', 'now']);
  });

  it('dismisses the boss when time runs out, rewarding nobody, and runs again at the next interval', () => {
    const { host, events } = world();
    events.tick(T0 + 600 * S);
    events.tick(T0 + 1440 * S);
    expect(host.said.at(-1)).toEqual(['field', 'waning']);
    events.tick(T0 + 1500 * S);
    expect(host.dismissed).toEqual([['field', 2]]);
    expect(host.paid).toEqual([]);
    expect(host.granted).toEqual([]);
    expect(events.status()[0]).toMatchObject({ running: false, outcomes: { defeated: 0, expired: 1 } });
    events.tick(T0 + 2400 * S);
    expect(host.spawned).toHaveLength(2);
    expect(host.said.map(([, t]) => t)).toEqual(['soon', 'now', 'waning', 'soon', 'now']);
  });

  it('leaves out events of zones this server does not run', () => {
    const host = new Host();
    const events = new WorldEvents({ events: [boss], npcs: [] }, new Map(), host, silentLog, T0);
    events.tick(T0 + 3600 * S);
    expect(events.status()).toEqual([]);
    expect(host.spawned).toEqual([]);
  });
});
