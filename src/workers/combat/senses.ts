import { Hostility } from '../../content/npc-table.ts';
import { indexOf, makeHandle } from '../../shared/entity-store.ts';
import { EntityFlags, EntityKind, SlotState } from '../../shared/layout.ts';
import type { CombatState } from './state.ts';

/** Handles sensed per player: its selected target, and the target of its cast (or of a skill waiting for it). */
const PER = 2;
export const Sensed = { SELECTED: 0, FOCUS: 1 } as const;

/** Area requests a cell resolves per tick, and targets kept in all. */
const MAX_AREAS = 256;
const MAX_AREA_TARGETS = 4096;

/**
 * What combat reads of other cells' entities, taken in the replicate half
 * (between the barriers, when nobody writes) and used by the next simulate,
 * as the NPCs' senses are: for each player this cell owns, where its
 * selected target and its cast's target are and whether they can be fought;
 * and the entities an area skill cast this tick hits. One tick old by
 * design: combat never reads another cell's entities while it writes them.
 */
export class CombatSenses {
  private readonly s: CombatState;
  readonly handle: Float64Array;
  readonly tick: Int32Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly flags: Uint32Array;
  readonly kind: Uint8Array;
  readonly template: Uint16Array;
  readonly level: Uint8Array;
  // Area requests (queued in simulate, resolved here, applied next simulate).
  areaCount = 0;
  readonly areaCaster: Float64Array = new Float64Array(MAX_AREAS);
  readonly areaSkill = new Uint16Array(MAX_AREAS);
  readonly areaX = new Float32Array(MAX_AREAS);
  readonly areaY = new Float32Array(MAX_AREAS);
  readonly areaAllies = new Uint8Array(MAX_AREAS);
  readonly areaMax = new Uint8Array(MAX_AREAS);
  /** The caster's numbers at cast time: attack power, spell power, crit chance, level, tile. */
  readonly areaPower = new Float32Array(MAX_AREAS * 5);
  /** Resolved: targets of request i are targets[first[i] .. first[i] + found[i]). */
  readonly areaFirst = new Int32Array(MAX_AREAS);
  readonly areaFound = new Int32Array(MAX_AREAS);
  readonly targets = new Float64Array(MAX_AREA_TARGETS);
  /** Requests resolved at the last sense(), ready for the next simulate. */
  resolved = 0;
  private readonly dist = new Float32Array(MAX_AREA_TARGETS);
  private readonly areaTileRange = new Int32Array(4);

  constructor(s: CombatState) {
    this.s = s;
    const n = s.ctx.store.capacity * PER;
    this.handle = new Float64Array(n).fill(-1);
    this.tick = new Int32Array(n).fill(-1);
    this.x = new Float32Array(n);
    this.y = new Float32Array(n);
    this.flags = new Uint32Array(n);
    this.kind = new Uint8Array(n);
    this.template = new Uint16Array(n);
    this.level = new Uint8Array(n);
  }

  /** Index of what `slot` sensed of `handle` at the last sense(), or -1 (not sensed, or gone since). */
  find(slot: number, handle: number): number {
    const last = this.s.ctx.tick - 1;
    for (let k = slot * PER; k < slot * PER + PER; k++) if (this.handle[k] === handle && this.tick[k] === last) return k;
    return -1;
  }

  /** Queues an area request for the next sense(); false when the tick's queue is full. */
  requestArea(caster: number, skill: number, x: number, y: number, allies: boolean, maxTargets: number, ap: number, sp: number, crit: number, level: number, tile: number): boolean {
    const i = this.areaCount;
    if (i === MAX_AREAS) return false;
    this.areaCaster[i] = caster;
    this.areaSkill[i] = skill;
    this.areaX[i] = x;
    this.areaY[i] = y;
    this.areaAllies[i] = allies ? 1 : 0;
    this.areaMax[i] = maxTargets;
    const p = i * 5;
    this.areaPower[p] = ap;
    this.areaPower[p + 1] = sp;
    this.areaPower[p + 2] = crit;
    this.areaPower[p + 3] = level;
    this.areaPower[p + 4] = tile;
    this.areaCount = i + 1;
    return true;
  }

  /** Replicate half: what each owned player's targets are now, and who this tick's areas hit. */
  sense(tick: number, selected: Uint32Array): void {
    const c = this.s.ctx;
    const list = c.owned.list;
    const players = this.s.players;
    for (let i = 0; i < c.owned.count; i++) {
      const slot = list[i];
      const p = players[slot];
      if (!p) continue;
      this.take(slot * PER + Sensed.SELECTED, selected[slot], tick);
      this.take(slot * PER + Sensed.FOCUS, p.castSkill !== 0 ? p.castTarget : p.waitTarget, tick);
    }
    this.resolveAreas();
  }

  private take(k: number, handle: number, tick: number): void {
    const store = this.s.ctx.store;
    if (handle === 0 || !store.isValid(handle)) {
      this.handle[k] = -1;
      return;
    }
    const f = store.f;
    const t = indexOf(handle);
    if (Atomics.load(f.state, t) !== SlotState.ALIVE) {
      this.handle[k] = -1;
      return;
    }
    this.handle[k] = handle;
    this.tick[k] = tick;
    this.x[k] = f.x[t];
    this.y[k] = f.y[t];
    this.flags[k] = f.flags[t];
    this.kind[k] = f.kind[t];
    this.template[k] = f.template[t];
    this.level[k] = f.level[t];
  }

  /**
   * True when an entity (of `kind`, `template`, `flags`) can be attacked: a
   * content NPC that is not friendly, dead, hidden or evading (the generic
   * wanderers of benchmark zones, template 0, are scenery).
   */
  hostile(kind: number, template: number, flags: number): boolean {
    if (kind !== EntityKind.NPC || (flags & (EntityFlags.DEAD | EntityFlags.HIDDEN | EntityFlags.EVADING)) !== 0) return false;
    const npcs = this.s.ctx.npcs;
    return template > 0 && template < npcs.count && npcs.hostility[template] !== Hostility.FRIENDLY;
  }

  /** Who each area request of this tick hits, nearest first, up to its most. */
  private resolveAreas(): void {
    const c = this.s.ctx;
    const { geometry: g, grid, store } = c.views;
    const f = store.f;
    const sk = c.skills;
    let used = 0;
    for (let i = 0; i < this.areaCount; i++) {
      this.areaFirst[i] = used;
      const r = sk.areaRadius[this.areaSkill[i]];
      const cx = this.areaX[i];
      const cy = this.areaY[i];
      const los = sk.lineOfSight[this.areaSkill[i]] === 1;
      const allies = this.areaAllies[i] === 1;
      const tr = this.areaTileRange;
      tr[0] = g.tileX(cx - r);
      tr[1] = g.tileX(cx + r);
      tr[2] = g.tileY(cy - r);
      tr[3] = g.tileY(cy + r);
      let n = 0;
      for (let ty = tr[2]; ty <= tr[3]; ty++) {
        for (let tx = tr[0]; tx <= tr[1]; tx++) {
          const t = ty * g.tilesX + tx;
          for (let cell = 0; cell < g.cellCount; cell++) {
            const k = grid.tileCount[cell][t];
            const start = grid.tileStart[cell][t];
            const slots = grid.slots[cell];
            for (let j = 0; j < k && used + n < MAX_AREA_TARGETS; j++) {
              const s = slots[start + j];
              if (Atomics.load(f.state, s) !== SlotState.ALIVE) continue;
              const dx = f.x[s] - cx;
              const dy = f.y[s] - cy;
              const d = dx * dx + dy * dy;
              if (d > r * r) continue;
              if (allies ? f.kind[s] !== EntityKind.PLAYER || (f.flags[s] & EntityFlags.DEAD) !== 0 : !this.hostile(f.kind[s], f.template[s], f.flags[s])) continue;
              if (!allies && this.s.safeAt(f.x[s], f.y[s])) continue;
              if (los && !this.s.lineOfSight(cx, cy, f.x[s], f.y[s])) continue;
              this.targets[used + n] = makeHandle(s, f.gen[s]);
              this.dist[used + n] = d;
              n++;
            }
          }
        }
      }
      // Nearest first (areas hit few: an insertion sort), then the most it may hit.
      for (let a = used + 1; a < used + n; a++) {
        const h = this.targets[a];
        const d = this.dist[a];
        let b = a;
        while (b > used && this.dist[b - 1] > d) {
          this.targets[b] = this.targets[b - 1];
          this.dist[b] = this.dist[b - 1];
          b--;
        }
        this.targets[b] = h;
        this.dist[b] = d;
      }
      if (n > this.areaMax[i]) n = this.areaMax[i];
      this.areaFound[i] = n;
      used += n;
    }
    this.resolved = this.areaCount;
    this.areaCount = 0;
  }
}
