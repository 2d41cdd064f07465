import { codecOf, type FieldCodec } from '../protocol/field-codec.ts';
import { Limits } from '../protocol/opcodes.ts';
import { maxSnapshotBytes, snapshotBound } from '../protocol/snapshot-codec.ts';
import { encodeSnapshotRefs } from '../protocol/snapshot-encode.ts';
import { writeNoEvents } from '../protocol/snapshot-events.ts';
import { writeNoChat } from '../protocol/chat-lines.ts';
import { Writer } from '../protocol/writer.ts';
import { beginFrame, commitFrame, FrameKind } from '../shared/messages/cell-to-gate.ts';
import { AOI_BUCKETS, StatSlot } from '../shared/layout.ts';
import type { Ring } from '../shared/ring.ts';
import { indexOf, makeHandle } from '../shared/entity-store.ts';
import { sortStack, sortU32 } from '../shared/sort-u32.ts';
import { observe } from '../shared/stats.ts';
import type { ZoneViews } from '../shared/zone-memory.ts';
import { EntityRows } from './entity-rows.ts';
import type { BaselineHistory } from './baselines.ts';
import type { PlayerState } from './player-state.ts';

/** Tile offsets of the 3×3 area of interest, the viewer's own tile first. */
const AOI_DX = [0, -1, 0, 1, -1, 1, -1, 0, 1];
const AOI_DY = [0, -1, -1, -1, 0, 0, 1, 1, 1];

/**
 * The sections of a snapshot after its entities: its events and the
 * player's self record (combat/snapshot-extras.ts). `baseTick` is the tick
 * the snapshot is a delta against (0: a full snapshot).
 */
export interface SnapshotExtras {
  write(w: Writer, p: PlayerState, slot: number, tick: number, baseTick: number): void;
  /**
   * Before a player's frame: hands the coordinator what its private state
   * became (combat's checkpoint), so nothing the frame shows is lost with the
   * cell. False when that could not be written: the frame waits for the
   * player's next send tick (the logs keep its events meanwhile).
   */
  checkpoint?(p: PlayerState, slot: number, tick: number): boolean;
}

/**
 * The last section of a snapshot: its chat (chat/say-snapshot.ts writes the
 * lines said around the player, then the empty run the gate fills).
 */
export interface SnapshotChat {
  write(w: Writer, p: PlayerState, slot: number, tick: number): void;
}

/** No events, no self record: what a cell without combat sends. */
export const NO_EXTRAS: SnapshotExtras = {
  write(w) {
    writeNoEvents(w);
    w.u8(0);
  },
};

/** No chat: both runs empty. */
export const NO_CHAT: SnapshotChat = {
  write(w) {
    writeNoChat(w);
  },
};

/**
 * The replicate phase for one cell: per owned player, gather the entities in
 * the 3×3 tiles around it (from every cell's region of the shared grid),
 * diff against the client's acknowledged baseline and encode one frame in
 * place in the outbound ring. Each entity in anyone's view is quantised
 * once a tick into the cell's shared entity rows (entity-rows.ts), and a
 * client's view keeps references to them. Reads shared state only;
 * allocates nothing.
 */
export class Replicator {
  private readonly views: ZoneViews;
  private readonly ring: Ring;
  private readonly stats: Float64Array;
  private readonly writer = new Writer();
  /** Ids gathered by the last gather(), sorted; valid until the next call. */
  readonly ids = new Uint32Array(Limits.maxViewEntities);
  private readonly slots = new Int32Array(Limits.maxViewEntities);
  private readonly sortStack = sortStack();
  /** Every slot in the 3×3 tiles, and their squared distances when crowded. */
  private readonly candidates: Int32Array;
  private readonly distances: Float32Array;
  /** Per slot: the gather that last picked it (== epoch: picked and not yet placed). */
  private readonly picked: Uint32Array;
  private epoch = 0;
  /** Handles new to the view since the last one (sorted apart, then merged in). */
  private readonly fresh = new Uint32Array(Limits.maxViewEntities);
  private readonly maxBody: number;
  private readonly codec: FieldCodec;
  private readonly extras: SnapshotExtras;
  private readonly chat: SnapshotChat;
  /** The entity rows its players' views refer to (their cell's: CellPlayers.rows). */
  readonly rows: EntityRows;

  constructor(
    views: ZoneViews,
    ring: Ring,
    stats: Float64Array,
    extras: SnapshotExtras = NO_EXTRAS,
    chat: SnapshotChat = NO_CHAT,
    rows: EntityRows = new EntityRows(views.store.schema),
  ) {
    this.views = views;
    this.rows = rows;
    this.ring = ring;
    this.stats = stats;
    this.extras = extras;
    this.chat = chat;
    this.maxBody = maxSnapshotBytes(Limits.maxViewEntities, views.store.schema);
    this.codec = codecOf(views.store.schema);
    this.candidates = new Int32Array(views.store.capacity);
    this.distances = new Float32Array(views.store.capacity);
    this.picked = new Uint32Array(views.store.capacity);
  }

  /**
   * Gathers the viewer's area of interest into ids/slots, sorted by id, and
   * returns the count. Past Limits.maxViewEntities only the nearest are kept,
   * and the viewer itself always is. The viewer's last view, `prevIds`
   * [prevRow, prevRow + prevCount) (sorted), makes the order cheap: a view
   * changes by a few entities a tick, so those still in it keep their order
   * and only the new ones are sorted and merged in, instead of sorting the
   * whole view again.
   */
  gather(viewerSlot: number, prevIds: Uint32Array | null = null, prevRow = 0, prevCount = 0): number {
    const { geometry: g, grid, store } = this.views;
    const f = store.f;
    const vx = f.x[viewerSlot];
    const vy = f.y[viewerSlot];
    const tx = g.tileX(vx);
    const ty = g.tileY(vy);
    const cand = this.candidates;
    let n = 0;
    for (let k = 0; k < 9; k++) {
      const x = tx + AOI_DX[k];
      const y = ty + AOI_DY[k];
      if (x < 0 || y < 0 || x >= g.tilesX || y >= g.tilesY) continue;
      const t = y * g.tilesX + x;
      for (let c = 0; c < g.cellCount; c++) {
        const count = grid.tileCount[c][t];
        if (count === 0) continue;
        const start = grid.tileStart[c][t];
        const list = grid.slots[c];
        for (let i = 0; i < count; i++) cand[n++] = list[start + i];
      }
    }
    const max = this.ids.length;
    if (n > max) {
      const dist = this.distances;
      for (let i = 0; i < n; i++) {
        const s = cand[i];
        const dx = f.x[s] - vx;
        const dy = f.y[s] - vy;
        dist[i] = s === viewerSlot ? -1 : dx * dx + dy * dy;
      }
      selectNearest(cand, dist, n, max);
      n = max;
    }
    // Sorted by handle (the delta against the baseline merges two sorted lists); a handle holds its slot.
    if (prevIds === null || prevCount === 0) this.sortAll(n);
    else this.mergeInto(prevIds, prevRow, prevCount, n);
    const ids = this.ids;
    const slots = this.slots;
    for (let i = 0; i < n; i++) slots[i] = indexOf(ids[i]);
    return n;
  }

  private sortAll(n: number): void {
    const ids = this.ids;
    const cand = this.candidates;
    const gen = this.views.store.f.gen;
    for (let i = 0; i < n; i++) {
      const slot = cand[i];
      ids[i] = makeHandle(slot, gen[slot]);
    }
    sortU32(ids, n, this.sortStack);
  }

  /** ids[0, n) sorted: the picked handles of the last view, in its order, merged with the others sorted. */
  private mergeInto(old: Uint32Array, row: number, count: number, n: number): void {
    const cand = this.candidates;
    const gen = this.views.store.f.gen;
    const picked = this.picked;
    let epoch = (this.epoch + 1) >>> 0;
    if (epoch === 0) {
      // Wrapped after four billion gathers: clear once.
      picked.fill(0);
      epoch = 1;
    }
    this.epoch = epoch;
    for (let i = 0; i < n; i++) picked[cand[i]] = epoch;
    // Those still in view, in the last view's order (a slot reused by another entity has another handle).
    const ids = this.ids;
    let kept = 0;
    for (let i = row; i < row + count; i++) {
      const h = old[i];
      const slot = indexOf(h);
      if (picked[slot] !== epoch || makeHandle(slot, gen[slot]) !== h) continue;
      picked[slot] = 0;
      ids[kept++] = h;
    }
    // The rest are new to the view: sorted on their own.
    const fresh = this.fresh;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const slot = cand[i];
      if (picked[slot] === epoch) fresh[m++] = makeHandle(slot, gen[slot]);
    }
    if (m === 0) return;
    sortU32(fresh, m, this.sortStack);
    // Merge from the back, in place: kept + m === n, and ids has room for n.
    let i = kept - 1;
    let j = m - 1;
    for (let o = n - 1; j >= 0; o--) ids[o] = i >= 0 && ids[i] > fresh[j] ? ids[i--] : fresh[j--];
  }

  /**
   * Encodes and queues one snapshot for `p`, its events and chat those of
   * every tick since `p.lastFrameTick` (the caller, the replicate system,
   * moves that on: send-pacing.ts). Returns false when the outbound ring is
   * full (counted; the client's next delta covers the gap).
   */
  replicate(p: PlayerState, viewerSlot: number, tick: number): boolean {
    const rows = this.rows;
    if (p.rows !== rows) throw new Error(`player ${p.handle}'s views refer to another cell's entity rows`);
    const history = p.history;
    const prev = history.before(tick);
    const n = prev === null ? this.gather(viewerSlot) : this.gather(viewerSlot, history.slab.ids, prev.row, prev.count);
    observe(this.stats, StatSlot.histAoi, AOI_BUCKETS, n);
    // Views older than the acknowledged one go first: they can never be a baseline again.
    const cur = history.claim(tick, p.ackTick, n);
    // find() after claim(): an acknowledged view that was just evicted is
    // gone, and the current tick can never be its own baseline.
    const found = p.ackTick < tick ? history.find(p.ackTick) : null;
    let base = found === cur ? null : found;
    // The client's views share one table; read it after claim(), which may replace it.
    const slab = history.slab;
    // Each entity's state this tick, quantised once for the whole cell; the view keeps references.
    cur.oldest = rows.refs(this.views.store.replicated, this.slots, this.ids, n, tick, slab.refs, cur.row);
    const ids = this.ids;
    const slabIds = slab.ids;
    for (let i = 0, o = cur.row; i < n; i++, o++) slabIds[o] = ids[i];
    cur.count = n;
    // A baseline whose rows the ring has gone round past (its client lagged past their reach): a full snapshot.
    if (base !== null && base.count > 0 && !rows.live(base.oldest)) {
      base = null;
      this.stats[StatSlot.baselinesExpired]++;
    }
    this.keepRows(history);
    this.stats[StatSlot.entityRows] = rows.capacity;
    const ring = this.ring;
    // Room for this view at its largest (a full view of maxViewEntities would need maxBody).
    const room = snapshotBound(n, base ? base.count : 0, this.views.store.schema);
    const body = beginFrame(ring, FrameKind.SNAPSHOT, p.conn, tick, room < this.maxBody ? room : this.maxBody);
    if (body < 0) {
      this.stats[StatSlot.framesDropped]++;
      return false;
    }
    // A gap past the logs' window: the oldest ticks' events and lines are gone (a full ring or a failed checkpoint, twice over).
    const gap = p.lastFrameTick === 0 ? 0 : tick - p.lastFrameTick - this.views.logWindow;
    if (gap > 0) this.stats[StatSlot.logTicksMissed] += gap;
    const w = this.writer.reset(ring.bytes, body, room < this.maxBody ? room : this.maxBody);
    if (base === null) encodeSnapshotRefs(w, tick, p.lastInputSeq, p.handle, rows.table, rows.mask, 0, null, slab.refs, 0, 0, slabIds, slab.refs, cur.row, n, this.codec);
    else encodeSnapshotRefs(w, tick, p.lastInputSeq, p.handle, rows.table, rows.mask, base.tick, slabIds, slab.refs, base.row, base.count, slabIds, slab.refs, cur.row, n, this.codec);
    this.extras.write(w, p, viewerSlot, tick, base ? base.tick : 0);
    this.chat.write(w, p, viewerSlot, tick);
    commitFrame(ring, w.length);
    this.stats[StatSlot.framesOut]++;
    this.stats[StatSlot.frameBytesOut] += w.length;
    return true;
  }

  /**
   * Keeps the rows of every view the client may still acknowledge until its
   * next frame: the oldest row any of them names (a newer view may name an
   * older row than an older view does: an entity unchanged since).
   */
  private keepRows(history: BaselineHistory): void {
    const rows = this.rows;
    const tables = history.tables;
    let keep = -1;
    let keepAge = 0;
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i];
      if (t.tick === 0 || t.count === 0) continue;
      // A view whose rows are gone already is no baseline: keep the others'.
      if (!rows.live(t.oldest)) continue;
      const age = rows.age(t.oldest);
      if (age > keepAge) {
        keepAge = age;
        keep = t.oldest;
      }
    }
    if (keep >= 0) rows.need(keep);
  }
}

/**
 * Partially orders `slots[0, n)` so that its first `k` entries are those of
 * smallest `dist` (Hoare quickselect; dist moves with its slot).
 */
function selectNearest(slots: Int32Array, dist: Float32Array, n: number, k: number): void {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = dist[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (dist[i] < pivot) i++;
      while (dist[j] > pivot) j--;
      if (i <= j) {
        const d = dist[i];
        dist[i] = dist[j];
        dist[j] = d;
        const s = slots[i];
        slots[i] = slots[j];
        slots[j] = s;
        i++;
        j--;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}
