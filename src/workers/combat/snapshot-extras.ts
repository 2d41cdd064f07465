import type { CombatCheckpoints } from './checkpoint.ts';
import type { ExperienceConfirm } from './experience.ts';
import { experienceFor, MAX_CLASS_SKILLS } from '../../content/class-table.ts';
import { Limits } from '../../protocol/opcodes.ts';
import { MAX_SELF_BYTES, SelfFlags, SelfState, writeSelf } from '../../protocol/self-state.ts';
import { EventList, writeEvents } from '../../protocol/snapshot-events.ts';
import { Writer } from '../../protocol/writer.ts';
import { COMBAT_LOG_DUP, CombatLogRecord, StatSlot } from '../../shared/layout.ts';
import type { PlayerState } from '../player-state.ts';
import type { SnapshotExtras } from '../replication.ts';
import { AURA_SLOTS } from './auras.ts';
import { CombatLogReader } from './log.ts';
import type { PlayerCombat } from './player-combat.ts';
import type { CombatState } from './state.ts';
import { Derived } from './stats.ts';

/** Tile offsets of the 3×3 area of interest. */
const AOI_DX = [0, -1, 0, 1, -1, 1, -1, 0, 1];
const AOI_DY = [0, -1, -1, -1, 0, 0, 1, 1, 1];
/** The stats of the self record, in SELF_STATS order. */
const SELF_DERIVED = [Derived.ATTACK_POWER, Derived.SPELL_POWER, Derived.ARMOR, Derived.RESISTANCE, Derived.CRIT, Derived.DODGE, Derived.HP_REGEN, Derived.MANA_REGEN];

/**
 * A player's snapshot after its entities: the events section (what only it
 * is told first, then the combat log's events by or on it, then the rest
 * around it, from every cell's log for the 3×3 tiles, up to the limit) and
 * the self section (its record when it differs from the one its baseline
 * tick carried). Runs in the replicate half; allocates nothing.
 */
export class CombatSnapshot implements SnapshotExtras {
  private readonly s: CombatState;
  private readonly reader: CombatLogReader;
  private readonly events = new EventList();
  /** Events around the viewer that are not its own, while the scan runs. */
  private readonly others = new EventList();
  private readonly self = new SelfState();
  private readonly selfWriter = new Writer();
  private readonly selfScratch = new Uint8Array(MAX_SELF_BYTES);
  /** The viewer's AOI tile (column, row), and its handle. */
  private vtx = 0;
  private vty = 0;

  /** Set by createCombat: hands the player's combat state to the coordinator before its frame (checkpoint.ts). */
  checkpointer: CombatCheckpoints | null = null;
  /** Set by createCombat: asks the coordinator to make the player's new experience durable before it is told (experience.ts). */
  experience: ExperienceConfirm | null = null;

  constructor(s: CombatState) {
    this.s = s;
    this.reader = new CombatLogReader(s.ctx.views.combatLog, s.ctx.views.geometry);
  }

  checkpoint(player: PlayerState, slot: number, tick: number): boolean {
    this.experience?.ask(player.conn, slot, tick);
    return this.checkpointer ? this.checkpointer.write(player, slot, tick) : true;
  }

  write(w: Writer, player: PlayerState, slot: number, tick: number, baseTick: number): void {
    const p = this.s.players[slot];
    this.gather(player.handle, slot, p, player.lastFrameTick, tick);
    writeEvents(w, this.events);
    if (!p) {
      w.u8(0);
      return;
    }
    this.writeSelfSection(w, p, slot, player.lastFrameTick, tick, baseTick);
  }

  /**
   * The events of every tick since the player's previous frame (`last`; 0:
   * none, only this tick's), as far back as the log keeps: a frame every few
   * ticks carries each event once.
   */
  private gather(me: number, slot: number, p: PlayerCombat | undefined, last: number, tick: number): void {
    const list = this.events;
    list.count = 0;
    if (p) {
      for (let i = 0; i < p.privateCount; i++) list.push(p.told(i, 0), p.told(i, 1), p.told(i, 2), p.told(i, 3), p.told(i, 4), p.told(i, 5));
      p.privateCount = 0;
    }
    const g = this.s.ctx.views.geometry;
    const f = this.s.ctx.store.f;
    this.vtx = g.tileX(f.x[slot]);
    this.vty = g.tileY(f.y[slot]);
    // The viewer's own events first, then the others around it (one pass: the others wait in their own list).
    const others = this.others;
    others.count = 0;
    // A gap past the log's window lost the oldest ticks' events (counted by the Replicator: StatSlot.logTicksMissed).
    let from = last === 0 || last >= tick ? tick : last + 1;
    if (from < tick - this.reader.window + 1) from = tick - this.reader.window + 1;
    let cut = 0;
    for (let t = from; t <= tick; t++) cut += this.scan(me, t);
    for (let i = 0; i < others.count; i++) {
      if (list.count === Limits.maxSnapshotEvents) {
        cut += others.count - i;
        break;
      }
      list.push(others.type[i], others.detail[i], others.source[i], others.target[i], others.skill[i], others.amount[i]);
    }
    if (cut > 0) this.s.ctx.stats[StatSlot.snapshotEventsCut] += cut;
  }

  /** Adds the log's events in view: the viewer's to the list, the others to `others`; returns those left out for want of room. */
  private scan(me: number, tick: number): number {
    const g = this.s.ctx.views.geometry;
    const r = this.reader;
    const list = this.events;
    const others = this.others;
    let cut = 0;
    for (let k = 0; k < 9; k++) {
      const tx = this.vtx + AOI_DX[k];
      const ty = this.vty + AOI_DY[k];
      if (tx < 0 || ty < 0 || tx >= g.tilesX || ty >= g.tilesY) continue;
      const t = ty * g.tilesX + tx;
      for (let c = 0; c < r.cellCount; c++) {
        const n = r.countAt(c, t, tick);
        if (n === 0) continue;
        const first = r.firstAt(c, t, tick);
        for (let i = first; i < first + n; i++) {
          const detail = r.field(c, i, CombatLogRecord.detail);
          // A copy under the source's tile is read only when the target's tile is out of view.
          if ((detail & COMBAT_LOG_DUP) !== 0 && this.inView(r.field(c, i, CombatLogRecord.otherTile))) continue;
          const source = r.field(c, i, CombatLogRecord.source);
          const target = r.field(c, i, CombatLogRecord.target);
          const into = source === me || target === me ? list : others;
          if (into.count === Limits.maxSnapshotEvents) {
            cut++;
            continue;
          }
          into.push(r.field(c, i, CombatLogRecord.type), detail & 0xff, source, target, r.field(c, i, CombatLogRecord.skill), r.field(c, i, CombatLogRecord.amount));
        }
      }
    }
    return cut;
  }

  private inView(tile: number): boolean {
    const tilesX = this.s.ctx.views.geometry.tilesX;
    const tx = tile % tilesX;
    const ty = (tile - tx) / tilesX;
    return tx >= this.vtx - 1 && tx <= this.vtx + 1 && ty >= this.vty - 1 && ty <= this.vty + 1;
  }

  /**
   * The self section: its record when it differs from the baseline's (or
   * there is none), else "as in the baseline". Records are told apart by
   * their stamp (CombatState.selfStamp), so an unchanged record costs a
   * comparison, not an encoding. Once a second (staggered: on the first
   * frame after the player's second turns, whatever the frame rate) the
   * record is encoded anyway and its bytes compared with the last ones: a change no
   * stamp announced is caught there, stamped (and counted) and sent.
   */
  private writeSelfSection(w: Writer, p: PlayerCombat, slot: number, last: number, tick: number, baseTick: number): void {
    const s = this.s;
    let stamp = s.selfStamp[slot];
    const hz = s.ctx.tickHz;
    const check = Math.floor((tick + slot) / hz) !== Math.floor((last + slot) / hz);
    if (p.selfStamp !== stamp || check) {
      this.fillSelf(p, slot);
      const sw = this.selfWriter.reset(this.selfScratch);
      writeSelf(sw, this.self);
      const len = sw.length;
      const scratch = this.selfScratch;
      let same = p.selfStamp >= 0 && p.selfLength === len;
      for (let i = 0; same && i < len; i++) if (p.selfBytes[i] !== scratch[i]) same = false;
      if (!same && p.selfStamp === stamp) {
        // Changed, and nothing said so: a mutation without touch().
        s.touch(slot);
        stamp = s.selfStamp[slot];
        s.ctx.stats[StatSlot.selfUnstamped]++;
      }
      if (!same) for (let i = 0; i < len; i++) p.selfBytes[i] = scratch[i];
      p.selfLength = len;
      p.selfStamp = stamp;
    }
    const base = p.selfAt(baseTick);
    const same = base >= 0 && p.selfStampAt[base] === stamp;
    p.claimSelf(tick, stamp);
    if (same) w.u8(0);
    else {
      w.u8(1);
      w.raw(p.selfBytes, 0, p.selfLength);
    }
  }

  private fillSelf(p: PlayerCombat, slot: number): void {
    const s = this.s;
    const c = s.ctx;
    const f = c.store.f;
    const st = this.self;
    const cls = s.classOf(slot);
    const level = f.level[slot];
    st.actionSeq = p.actionSeq;
    st.resource = s.resourceOf(slot);
    st.flags = p.autoAttack ? SelfFlags.AUTO_ATTACK : 0;
    // What it was told: confirmed durable (experience.ts), not the live figure.
    st.xp = s.xpShown[slot];
    st.xpLevel = level > 1 ? experienceFor(c.classes, cls, level - 1) : 0;
    if (st.xpLevel > st.xp) st.xpLevel = st.xp;
    st.xpNext = experienceFor(c.classes, cls, level);
    if (st.xpNext !== 0 && st.xpNext <= st.xpLevel) st.xpNext = st.xpLevel + 1;
    for (let i = 0; i < SELF_DERIVED.length; i++) st.stats[i] = Math.round(s.stats.get(slot, SELF_DERIVED[i]));
    const classes = c.classes;
    const base = cls * MAX_CLASS_SKILLS;
    let n = 0;
    for (let i = 0; i < classes.skillCount[cls] && n < Limits.maxSelfSkills; i++) {
      if (classes.skillLevel[base + i] > level) continue;
      st.skills[n] = classes.skills[base + i];
      // Absolute: the record does not change when a cooldown runs out (the client compares with its tick).
      // The global cooldown holds every skill: a skill is ready at the later of the two.
      st.readyTick[n] = p.cooldown[i] > p.gcdEnd ? p.cooldown[i] : p.gcdEnd;
      n++;
    }
    st.skillCount = n;
    const a = s.auras;
    let m = 0;
    for (let i = slot * AURA_SLOTS; i < slot * AURA_SLOTS + a.count[slot] && m < Limits.maxSelfAuras; i++) {
      st.auraSkill[m] = a.skill[i];
      st.auraKind[m] = a.kind[i];
      st.auraEnd[m] = a.endTick[i] > 0 ? a.endTick[i] : 0;
      st.auraStacks[m] = a.stacks[i];
      m++;
    }
    st.auraCount = m;
  }
}
