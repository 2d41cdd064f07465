/**
 * A small two-cell zone for combat (64×32, border at x = 32, AOI tiles of
 * 16), with content: two classes (a rage fighter and a mana caster) and
 * their skills, and NPCs placed where each test wants them:
 *
 * - dummies (passive, 1,000 health, idle): at (10, 5) and (14, 5) in cell
 *   0, at (33, 5) just over the border in cell 1;
 * - a friendly guard at (10, 12);
 * - a brute (aggressive, 40 a swing) at (50, 24) in cell 1;
 * - a weakling (passive, 30 health, 100 experience) at (12, 20);
 * - a biter (defensive, 5 a swing, and two skills: Bite, 25 every 3 s, and
 *   Harden, a self buff) at (6, 28);
 * - a wall at x = 20 from y = 8 down (line of sight), a safe area in the
 *   north-east corner (56..64, 0..8), the players' spawn point at (30, 4).
 *
 * Players join through the gate ring with a class (1 fighter, 2 caster) and
 * are driven by ACTIONs; what they see comes back through ClientView.
 */
import { encodeContentPack } from '../../../src/content/pack/content-pack.ts';
import { encodeZonePack } from '../../../src/content/pack/zone-pack.ts';
import { FILE_SCHEMAS, type Content } from '../../../src/content/schema/index.ts';
import { Terrain } from '../../../src/content/map-format.ts';
import type { ZoneMap } from '../../../src/content/zone-map.ts';
import { ClientView } from '../../../src/protocol/client-view.ts';
import { ActionKind } from '../../../src/protocol/combat-codes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { EntityKind, SlotState, StatSlot } from '../../../src/shared/layout.ts';
import { CellMsg, JoinStatus } from '../../../src/shared/messages/cell-to-gate.ts';
import { encodeJoin, writeAck, writeAction } from '../../../src/shared/messages/gate-to-cell.ts';
import { combatOf, type Combat } from '../../../src/workers/systems/combat.ts';
import type { SystemFactory } from '../../../src/workers/system.ts';
import type { ZoneSpec } from '../../../src/shared/zone-memory.ts';
import { InThreadZone } from '../fixtures/in-thread-zone.ts';

export const W = 64;
export const H = 32;
export const WALL_X = 20;
export const WALL_TOP = 8;
export const SPAWN = { x: 30, y: 4 };
export const SAFE = { name: 'camp', x: 56, y: 0, width: 8, height: 8 };
export const DUMMY_A = { x: 10, y: 5 };
export const DUMMY_B = { x: 14, y: 5 };
export const DUMMY_OVER = { x: 33, y: 5 };
export const GUARD_AT = { x: 10, y: 12 };
export const BRUTE_AT = { x: 50, y: 24 };
export const WEAKLING_AT = { x: 12, y: 20 };
export const BITER_AT = { x: 6, y: 28 };

/** Template, class and skill numbers (1-based, in content order). */
export const Npc = { DUMMY: 1, GUARD: 2, BRUTE: 3, WEAKLING: 4, BITER: 5 } as const;
export const Class = { FIGHTER: 1, CASTER: 2 } as const;
export const Skill = { STRIKE: 1, SHOUT: 2, CLEAVE: 3, BOLT: 4, MEND: 5, BURN: 6, CURSE: 7, NOVA: 8, FOCUS: 9, BITE: 10, HARDEN: 11 } as const;

export function zoneMap(): ZoneMap {
  const tiles = new Uint8Array(W * H);
  for (let y = WALL_TOP; y < H; y++) tiles[y * W + WALL_X] = Terrain.ROCK;
  const at = (name: string, npc: string, p: { x: number; y: number }) => ({ name, npc, x: p.x, y: p.y, patrol: [] });
  return {
    file: 'combat-fixture',
    width: W,
    height: H,
    tiles,
    spawnPoints: [{ name: 'start', ...SPAWN }],
    points: [],
    spawnAreas: [],
    npcs: [
      at('dummy-a', 'npc.dummy', DUMMY_A),
      at('dummy-b', 'npc.dummy', DUMMY_B),
      at('dummy-over', 'npc.dummy', DUMMY_OVER),
      at('guard', 'npc.guard', GUARD_AT),
      at('brute', 'npc.brute', BRUTE_AT),
      at('weakling', 'npc.weakling', WEAKLING_AT),
      at('biter', 'npc.biter', BITER_AT),
    ],
    portals: [],
    safeAreas: [SAFE],
    warnings: [],
  };
}

export function content(): Content {
  const npcs = FILE_SCHEMAS.npcs.parse({
    npcs: [
      { id: 'npc.dummy', name: 'Dummy', level: 1, stats: { health: 1000 }, speed: 0, ai: 'idle', hostility: 'passive', aggroRadius: 0, leashRadius: 0, experience: 100, respawnSeconds: 30 },
      { id: 'npc.guard', name: 'Guard', level: 10, stats: { health: 500 }, speed: 0, ai: 'idle', hostility: 'friendly', aggroRadius: 0, leashRadius: 0, respawnSeconds: 60 },
      {
        id: 'npc.brute', name: 'Brute', level: 5, stats: { health: 400, armor: 10 }, speed: 4, ai: 'idle', hostility: 'aggressive',
        aggroRadius: 6, leashRadius: 30, attack: { damage: { min: 40, max: 40 }, intervalMs: 1000, range: 1.5 }, experience: 50, respawnSeconds: 60,
      },
      { id: 'npc.weakling', name: 'Weakling', level: 2, stats: { health: 30 }, speed: 0, ai: 'idle', hostility: 'passive', aggroRadius: 0, leashRadius: 0, experience: 100, respawnSeconds: 30 },
      {
        id: 'npc.biter', name: 'Biter', level: 1, stats: { health: 5000 }, speed: 0, ai: 'idle', hostility: 'defensive', aggroRadius: 0, leashRadius: 30,
        attack: { damage: { min: 5, max: 5 }, intervalMs: 1000, range: 1.5 }, skills: ['skill.bite', 'skill.harden'], respawnSeconds: 60,
      },
    ],
  }).npcs;
  const skills = FILE_SCHEMAS.skills.parse({
    skills: [
      { id: 'skill.strike', name: 'Strike', target: 'enemy', cooldownMs: 6000, cost: 15, range: 1.5, effects: [{ type: 'damage', amount: { min: 10, max: 10 }, coefficient: 0 }] },
      { id: 'skill.shout', name: 'Shout', target: 'self', cooldownMs: 60000, range: 0, effects: [{ type: 'buff', stats: { attackPower: 10, critChance: 10000 }, durationMs: 3000 }] },
      { id: 'skill.cleave', name: 'Cleave', target: 'enemy', cooldownMs: 1000, range: 2, area: { radius: 5, maxTargets: 2 }, effects: [{ type: 'damage', amount: { min: 20, max: 20 } }] },
      { id: 'skill.bolt', name: 'Bolt', target: 'enemy', castMs: 1000, range: 10, cost: 20, effects: [{ type: 'damage', school: 'fire', amount: { min: 30, max: 30 }, coefficient: 1 }] },
      { id: 'skill.mend', name: 'Mend', target: 'ally', range: 8, cost: 10, effects: [{ type: 'heal', amount: { min: 40, max: 40 } }] },
      { id: 'skill.burn', name: 'Burn', target: 'enemy', range: 10, cost: 5, effects: [{ type: 'damageOverTime', school: 'fire', amount: { min: 5, max: 5 }, tickMs: 1000, durationMs: 4000 }] },
      { id: 'skill.curse', name: 'Curse', target: 'enemy', range: 10, effects: [{ type: 'debuff', stats: { armor: -50, dodgeChance: -300 }, durationMs: 5000 }] },
      { id: 'skill.nova', name: 'Nova', target: 'point', range: 10, cost: 10, area: { radius: 3, maxTargets: 8 }, effects: [{ type: 'damage', school: 'frost', amount: { min: 12, max: 12 } }] },
      { id: 'skill.focus', name: 'Focus', target: 'self', range: 0, effects: [{ type: 'buff', stats: { dodgeChance: 10000 }, durationMs: 60000 }] },
      { id: 'skill.bite', name: 'Bite', target: 'enemy', cooldownMs: 3000, range: 1.5, effects: [{ type: 'damage', amount: { min: 25, max: 25 } }] },
      { id: 'skill.harden', name: 'Harden', target: 'self', cooldownMs: 60000, range: 0, effects: [{ type: 'buff', stats: { armor: 50 }, durationMs: 30000 }] },
    ],
  }).skills;
  const classes = FILE_SCHEMAS.classes.parse({
    classes: [
      {
        id: 'class.fighter', name: 'Fighter', resource: 'rage',
        baseStats: { health: 120, mana: 100, healthRegen: 2, strength: 10, attackPower: 20, armor: 10 },
        growth: { health: 10, attackPower: 2 }, maxLevel: 4, experience: [100, 250, 450],
        skills: [{ skill: 'skill.strike' }, { skill: 'skill.shout' }, { skill: 'skill.cleave', level: 2 }, { skill: 'skill.focus' }],
      },
      {
        id: 'class.caster', name: 'Caster', resource: 'mana',
        baseStats: { health: 80, mana: 150, manaRegen: 3, intellect: 10, spellPower: 10 },
        growth: { health: 8, mana: 10 }, maxLevel: 4, experience: [100, 250, 450],
        skills: [{ skill: 'skill.bolt' }, { skill: 'skill.mend' }, { skill: 'skill.burn' }, { skill: 'skill.curse' }, { skill: 'skill.nova' }],
      },
    ],
  }).classes;
  return { npcs, items: [], loot: [], skills, classes, quests: [], events: [] };
}

/** The fixture zone; `tweak` may change the content first (a class's global cooldown, a template's skills); `spec` sets rates (sendHz). */
export function combatZone(extra: SystemFactory[] = [], tweak?: (c: Content) => void, tweakMap?: (m: ZoneMap) => void, spec: Partial<ZoneSpec> = {}): InThreadZone {
  const c = content();
  tweak?.(c);
  const map = zoneMap();
  tweakMap?.(map);
  const bytes = encodeContentPack(c);
  const sab = new SharedArrayBuffer(bytes.length);
  new Uint8Array(sab).set(bytes);
  return new InThreadZone({
    spec: { width: W, height: H, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: 256, ...spec },
    pack: encodeZonePack(map, 'combat'),
    cell: { content: sab },
    extra,
  });
}

/** Self records that changed without a stamp, over every cell (a combat mutation that forgot touch(): must stay 0). */
export function unstamped(z: InThreadZone): number {
  return z.cells.reduce((n, c) => n + c.stats[StatSlot.selfUnstamped], 0);
}

/** The combat of the cell that owns `handle` now. */
export function combatAt(z: InThreadZone, handle: number): Combat {
  return combatOf(z.cells[z.ownerOf(handle)])!;
}

/** Live NPC slots of a template. */
export function npcSlots(z: InThreadZone, template: number): number[] {
  const f = z.views.store.f;
  const out: number[] = [];
  for (let s = 0; s < z.views.store.capacity; s++) {
    if (Atomics.load(f.state, s) === SlotState.ALIVE && f.kind[s] === EntityKind.NPC && f.template[s] === template) out.push(s);
  }
  return out;
}

/** The NPC of a template standing nearest (x, y), as a handle. */
export function npcAt(z: InThreadZone, template: number, p: { x: number; y: number }): number {
  const f = z.views.store.f;
  let best = -1;
  for (const s of npcSlots(z, template)) if (best < 0 || Math.hypot(f.x[s] - p.x, f.y[s] - p.y) < Math.hypot(f.x[best] - p.x, f.y[best] - p.y)) best = s;
  if (best < 0) throw new Error(`no NPC of template ${template}`);
  return z.views.store.handleAt(best);
}

/**
 * A player of the test: joined with a class, acting through ACTIONs, seeing
 * through a ClientView fed by every frame its cells send.
 */
export class Fighter {
  readonly z: InThreadZone;
  readonly conn: number;
  readonly handle: number;
  readonly view = new ClientView();
  /** Every event its snapshots carried, with the snapshot's tick. */
  readonly events: { tick: number; type: number; detail: number; source: number; target: number; skill: number; amount: number }[] = [];
  private seq = 0;

  private constructor(z: InThreadZone, conn: number, handle: number) {
    this.z = z;
    this.conn = conn;
    this.handle = handle;
  }

  /** Joins a player (with a portal's combat carry when given: combat/carry.ts). */
  static join(z: InThreadZone, conn: number, cls: number, x: number, y: number, level = 0, xp = 0, carry?: Uint8Array, rewardSeq = 0): Fighter {
    const cell = z.views.geometry.cellOf(x, y);
    if (!z.gateIn[cell].push(encodeJoin(conn, conn, x, y, cls, 0, level, xp, carry, rewardSeq))) throw new Error('gate ring full');
    z.gateIn[cell].flush();
    z.tick();
    const joined = z.drain(cell).find((m) => m.op === CellMsg.JOINED && m.conn === conn);
    if (!joined || joined.status !== JoinStatus.OK) throw new Error('join refused');
    return new Fighter(z, conn, joined.handle);
  }

  get slot(): number {
    return indexOf(this.handle);
  }

  /** Sends an ACTION to the cell that owns the player now. */
  act(kind: number, target = 0, skill = 0, x = 0, y = 0, seq = ++this.seq): number {
    const ring = this.z.gateIn[this.z.ownerOf(this.handle)];
    if (!writeAction(ring, this.conn, seq, kind, target, skill, x, y)) throw new Error('gate ring full');
    ring.flush();
    return seq;
  }

  target(handle: number): number {
    return this.act(ActionKind.TARGET, handle);
  }

  attack(handle = 0): number {
    return this.act(ActionKind.ATTACK, handle, 1);
  }

  use(skill: number, target = 0, x = 0, y = 0): number {
    return this.act(ActionKind.SKILL, target, skill, x, y);
  }

  /** Applies the frames its cells sent it (call after each tick; other connections' frames are dropped). */
  see(): void {
    for (let c = 0; c < this.z.cells.length; c++) for (const m of this.z.drain(c)) if (m.op === CellMsg.FRAME && m.conn === this.conn) this.frame(m.body);
  }

  /** Applies one frame and acknowledges it, as a client does. */
  frame(body: Uint8Array): void {
    this.view.apply(body);
    const e = this.view.events;
    for (let i = 0; i < e.count; i++) this.events.push({ tick: this.view.lastTick, ...e.at(i) });
    const ring = this.z.gateIn[this.z.ownerOf(this.handle)];
    writeAck(ring, this.conn, this.view.lastTick);
    ring.flush();
  }

  /** Events of a type it was told, optionally only those after tick `since`. */
  told(type: number, since = 0) {
    return this.events.filter((e) => e.type === type && e.tick > since);
  }
}

/** Runs `n` ticks, letting each fighter see its frames after each. */
export function run(z: InThreadZone, n: number, ...fighters: Fighter[]): void {
  for (let i = 0; i < n; i++) {
    z.tick();
    if (fighters.length === 1) fighters[0].see();
    else see(z, fighters);
  }
}

/** Feeds each fighter its own frames when several share the zone (one drain per cell). */
function see(z: InThreadZone, fighters: Fighter[]): void {
  const byConn = new Map(fighters.map((f) => [f.conn, f]));
  for (let c = 0; c < z.cells.length; c++) {
    for (const m of z.drain(c)) {
      const f = byConn.get(m.conn);
      if (m.op === CellMsg.FRAME && f) f.frame(m.body);
    }
  }
}
