import type { Content } from '../../content/schema/kinds.ts';
import type { WorldEvent } from '../../content/schema/quests.ts';
import type { ZoneMap } from '../../content/zone-map.ts';
import type { Logger } from '../log.ts';
import { nextStart } from './schedule.ts';

/** A player who took part (a connection, as the quest service knows it). */
export interface EventPlayer {
  readonly id: number;
  readonly characterId: number;
}

/** What world events need of the gate. */
export interface WorldEventHost {
  /** A zone-wide announcement. */
  announce(zone: string, text: string): void;
  /** Spawns a scripted NPC at a point of a zone (false: the zone does not run here). */
  spawnNpc(zone: string, template: number, x: number, y: number): boolean;
  /** Removes the scripted NPCs of a template from every cell of a zone. */
  dismissNpcs(zone: string, template: number): void;
  /** Pays a participant its experience (must-deliver to its cell). */
  reward(p: EventPlayer, experience: number): void;
  /** Gives a participant gold and items (one item-store transaction; a character's, not a guest's). */
  grant(p: EventPlayer, items: readonly { template: string; count: number }[], gold: number, reason: string): void;
}

export const EventPhase = { WAITING: 0, RUNNING: 1 } as const;
export type EventOutcome = 'defeated' | 'expired';

/** One event's state, for metrics and the status page. */
export interface EventStatus {
  id: string;
  name: string;
  zone: string;
  running: boolean;
  /** Next start (waiting) or the end by time (running), ms since the epoch. */
  at: number;
  participants: number;
  outcomes: Record<EventOutcome, number>;
}

/** After the first credit for the boss's kill, credits of the same kill still arriving (other cells) are counted this long. */
const CREDIT_WINDOW_MS = 1000;

interface Running {
  readonly def: WorldEvent;
  readonly zone: string;
  readonly boss: { template: number; x: number; y: number } | undefined;
  start: number;
  running: boolean;
  /** Announcements made for this occurrence (indexes). */
  readonly announced: Set<number>;
  readonly participants: Map<number, EventPlayer>;
  killedAt: number;
  readonly outcomes: Record<EventOutcome, number>;
}

/**
 * Scheduled world events (data/events.json): announced ahead, started at
 * their time (the boss spawned at its point by the cell that owns it),
 * ended when the boss dies (the players credited with its kill are the ones
 * who took part, and are rewarded) or when their time runs out (the boss is
 * dismissed). Driven by tick(now) about once a second; all time is passed
 * in, so tests run it on a made-up clock.
 */
export class WorldEvents {
  private readonly events: Running[] = [];
  private readonly host: WorldEventHost;
  private readonly log: Logger;
  private readonly startedAt: number;

  constructor(content: Pick<Content, 'events' | 'npcs'>, maps: ReadonlyMap<string, ZoneMap>, host: WorldEventHost, log: Logger, startedAt: number) {
    this.host = host;
    this.log = log;
    this.startedAt = startedAt;
    for (const def of content.events) {
      const map = maps.get(def.map);
      if (!map) continue; // a zone this server does not run
      let boss: Running['boss'];
      if (def.boss) {
        const point = map.points.find((p) => p.name === def.boss!.point);
        const template = content.npcs.findIndex((n) => n.id === def.boss!.npc) + 1;
        if (point && template > 0) boss = { template, x: point.x, y: point.y };
        else log.warn({ event: def.id }, 'world event boss or point not found; it runs without one');
      }
      this.events.push({ def, zone: def.map, boss, start: nextStart(def.schedule, startedAt, startedAt), running: false, announced: new Set(), participants: new Map(), killedAt: 0, outcomes: { defeated: 0, expired: 0 } });
    }
  }

  /** Announces, starts and ends what is due at `now`. */
  tick(now: number): void {
    for (const e of this.events) {
      e.def.announcements.forEach((a, i) => {
        const at = e.start + a.offsetSeconds * 1000;
        // Those before and at the start while it is due; those after only while it runs.
        if (e.announced.has(i) || now < at || (a.offsetSeconds > 0 && !e.running)) return;
        e.announced.add(i);
        this.host.announce(e.zone, a.text);
      });
      if (!e.running && now >= e.start) this.begin(e);
      if (e.running && e.killedAt > 0 && now >= e.killedAt + CREDIT_WINDOW_MS) this.end(e, 'defeated', now);
      else if (e.running && now >= e.start + e.def.durationSeconds * 1000) this.end(e, 'expired', now);
    }
  }

  /** A player was credited with the kill of an NPC of `template` in `zone` (a QUEST_FACT KILL). */
  killCredit(p: EventPlayer, zone: string, template: number, now: number): void {
    for (const e of this.events) {
      if (!e.running || e.zone !== zone || e.boss?.template !== template) continue;
      if (e.killedAt === 0) e.killedAt = now;
      e.participants.set(p.id, p);
    }
  }

  status(): EventStatus[] {
    return this.events.map((e) => ({
      id: e.def.id,
      name: e.def.name,
      zone: e.zone,
      running: e.running,
      at: e.running ? e.start + e.def.durationSeconds * 1000 : e.start,
      participants: e.participants.size,
      outcomes: { ...e.outcomes },
    }));
  }

  private begin(e: Running): void {
    e.running = true;
    e.killedAt = 0;
    e.participants.clear();
    if (e.boss && !this.host.spawnNpc(e.zone, e.boss.template, e.boss.x, e.boss.y)) this.log.warn({ event: e.def.id, zone: e.zone }, 'world event boss not spawned');
    this.log.info({ event: e.def.id, zone: e.zone }, 'world event started');
  }

  private end(e: Running, outcome: EventOutcome, now: number): void {
    e.running = false;
    e.outcomes[outcome]++;
    if (outcome === 'expired' && e.boss) this.host.dismissNpcs(e.zone, e.boss.template);
    if (outcome === 'defeated') {
      const { experience, gold } = e.def.rewards;
      const items = e.def.rewards.items.map((i) => ({ template: i.item, count: i.count }));
      for (const p of e.participants.values()) {
        if (experience > 0) this.host.reward(p, experience);
        if (p.characterId !== 0 && (gold > 0 || items.length > 0)) this.host.grant(p, items, gold, `event:${e.def.id}`);
      }
    }
    this.log.info({ event: e.def.id, zone: e.zone, outcome, participants: e.participants.size }, 'world event ended');
    e.announced.clear();
    e.start = nextStart(e.def.schedule, this.startedAt, Math.max(now, e.start) + 1);
  }
}
