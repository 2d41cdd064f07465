import type { Registry } from 'prom-client';
import type { CellHealth, CellSupervisor, ZoneHandle } from '../zones/supervisor.ts';
import { ACK_LAG_BUCKETS_SECONDS, ACTION_RESULTS, AOI_BUCKETS, FRAME_INTERVAL_BUCKETS_SECONDS, CellControl, ENTITY_KIND_COUNT, ENTITY_KINDS, EntityKind, NPC_STATE_NAMES, StatSlot, systemHistogram, TICK_BUCKETS_SECONDS } from '../../shared/layout.ts';
import type { Ring } from '../../shared/ring.ts';
import { readHistogram } from '../../shared/stats.ts';
import { pushHistogram, registerFamily, type Sample } from './family.ts';

/** Label value of each entity kind (NONE is never counted). */
const KIND_LABELS: readonly string[] = ENTITY_KINDS;

/** Tick phases as the cells time them, and the stat slot of each histogram. */
const PHASES = [
  ['simulate', StatSlot.histSimulate],
  ['replicate', StatSlot.histReplicate],
  ['total', StatSlot.histTick],
] as const;

/** Views of one cell, built once: a scrape must not allocate views per cell. */
interface CellView {
  labels: { zone: string; cell: string };
  stats: Float64Array;
  gateToCell: Ring;
  cellToGate: Ring;
  /** Rings from this cell to its neighbours. */
  toPeers: Ring[];
}

interface ZoneView {
  zone: ZoneHandle;
  cells: CellView[];
}

/**
 * Renders what the zone cells write into their shared metric slots, control
 * words and ring headers. Everything is read at scrape time with plain loads
 * (Atomics for the Int32 words): the cells do no work for a scrape.
 */
export function registerCellMetrics(registry: Registry, supervisor: CellSupervisor): () => void {
  const cache = new WeakMap<ZoneHandle, ZoneView>();
  const zoneView = (zone: ZoneHandle): ZoneView => {
    let v = cache.get(zone);
    if (!v) {
      const n = zone.views.geometry.cellCount;
      const cells: CellView[] = [];
      for (let cell = 0; cell < n; cell++) {
        const toPeers: Ring[] = [];
        for (let peer = 0; peer < n; peer++) {
          const ring = zone.views.cellToCell(cell, peer);
          if (ring) toPeers.push(ring);
        }
        cells.push({
          labels: { zone: zone.spec.name, cell: String(cell) },
          stats: zone.views.stats(cell),
          gateToCell: zone.views.gateToCell(cell),
          cellToGate: zone.views.cellToGate(cell),
          toPeers,
        });
      }
      v = { zone, cells };
      cache.set(zone, v);
    }
    return v;
  };
  const eachCell = (fn: (c: CellView, cell: number, z: ZoneHandle) => void): void => {
    for (const zone of supervisor.zones) {
      const zv = zoneView(zone);
      for (let cell = 0; cell < zv.cells.length; cell++) fn(zv.cells[cell], cell, zone);
    }
  };
  /** A family with one sample per cell, read from one stat slot. */
  const perCellSlot = (name: string, help: string, type: 'counter' | 'gauge', slot: number) =>
    registerFamily(registry, name, help, type, (out) => eachCell((c) => out.push({ labels: c.labels, value: c.stats[slot] })));

  registerFamily(
    registry,
    'tessera_tick_duration_seconds',
    'Time a cell spent in each tick phase (simulate, replicate) and in both (total), barrier waits excluded.',
    'histogram',
    (out) =>
      eachCell((c) => {
        for (const [phase, slot] of PHASES) {
          const h = readHistogram(c.stats, slot, TICK_BUCKETS_SECONDS);
          // _count is the +Inf bucket, so the two always agree even when the
          // scrape lands between a cell's bucket and count stores.
          const count = h.cumulative[h.cumulative.length - 1];
          pushHistogram(out, 'tessera_tick_duration_seconds', { ...c.labels, phase }, TICK_BUCKETS_SECONDS, h.cumulative, h.sum, count);
        }
      }),
  );
  perCellSlot('tessera_ticks_total', 'Ticks a cell has completed.', 'counter', StatSlot.ticks);
  registerFamily(
    registry,
    'tessera_system_duration_seconds',
    'Time each system of a cell took per run (systems in the cell\'s list order; the list is in docs/architecture.md).',
    'histogram',
    (out) =>
      eachCell((c, cell, zone) => {
        const names = zone.systems[cell];
        for (let i = 0; i < names.length; i++) {
          const h = readHistogram(c.stats, systemHistogram(i), TICK_BUCKETS_SECONDS);
          const count = h.cumulative[h.cumulative.length - 1];
          pushHistogram(out, 'tessera_system_duration_seconds', { ...c.labels, system: names[i] }, TICK_BUCKETS_SECONDS, h.cumulative, h.sum, count);
        }
      }),
  );
  perCellSlot('tessera_tick_overruns_total', 'Ticks that ended after the next one was due.', 'counter', StatSlot.overruns);
  perCellSlot('tessera_tick_rate_hertz', 'Ticks per second a cell achieved over the last second.', 'gauge', StatSlot.tickRate);
  registerFamily(registry, 'tessera_tick_target_hertz', 'Configured simulation rate of a zone.', 'gauge', (out) => {
    for (const zone of supervisor.zones) out.push({ labels: { zone: zone.spec.name }, value: zone.spec.tickHz });
  });

  registerFamily(registry, 'tessera_entities', 'Entities a cell owns, by kind.', 'gauge', (out) =>
    eachCell((c) => {
      for (let k = 0; k < ENTITY_KIND_COUNT; k++) {
        if (k === EntityKind.NONE) continue;
        out.push({ labels: { ...c.labels, kind: KIND_LABELS[k] }, value: c.stats[StatSlot.entitiesByKind + k] });
      }
    }),
  );
  registerFamily(registry, 'tessera_players_online', 'Players in the world (owned by a cell), by zone.', 'gauge', (out) => {
    for (const zone of supervisor.zones) {
      let players = 0;
      for (let cell = 0; cell < zone.views.geometry.cellCount; cell++) {
        players += Atomics.load(zone.views.control, zone.views.cellWord(cell, CellControl.players));
      }
      out.push({ labels: { zone: zone.spec.name }, value: players });
    }
  });
  registerFamily(registry, 'tessera_handoffs_total', 'Entities handed to another cell (out) or adopted from one (in).', 'counter', (out) =>
    eachCell((c) => {
      out.push({ labels: { ...c.labels, direction: 'out' }, value: c.stats[StatSlot.handoffsOut] });
      out.push({ labels: { ...c.labels, direction: 'in' }, value: c.stats[StatSlot.handoffsIn] });
    }),
  );
  perCellSlot('tessera_handoff_retries_total', 'Handoffs put off to the next tick because a ring was full.', 'counter', StatSlot.handoffRetries);
  registerFamily(registry, 'tessera_cell_inputs_total', 'Player inputs a cell handled, by result.', 'counter', (out) =>
    eachCell((c) => {
      out.push({ labels: { ...c.labels, result: 'applied' }, value: c.stats[StatSlot.inputsApplied] });
      out.push({ labels: { ...c.labels, result: 'rejected' }, value: c.stats[StatSlot.inputsRejected] });
      out.push({ labels: { ...c.labels, result: 'forwarded' }, value: c.stats[StatSlot.inputsForwarded] });
      out.push({ labels: { ...c.labels, result: 'stale' }, value: c.stats[StatSlot.inputsStale] });
    }),
  );
  perCellSlot('tessera_cell_must_deliver_waiting', 'Must-deliver messages (joins, leaves, moves, forwards, events) a cell holds for a full ring; they go out in order on a later tick.', 'gauge', StatSlot.mustDeliverWaiting);
  perCellSlot('tessera_cell_must_deliver_queued_total', 'Must-deliver messages that ever had to wait for room in a ring.', 'counter', StatSlot.mustDeliverQueued);
  registerFamily(registry, 'tessera_cell_events_total', 'Event-channel actions on entities: sent, applied by the owner, or whose target no longer exists.', 'counter', (out) =>
    eachCell((c) => {
      out.push({ labels: { ...c.labels, result: 'sent' }, value: c.stats[StatSlot.eventsSent] });
      out.push({ labels: { ...c.labels, result: 'applied' }, value: c.stats[StatSlot.eventsApplied] });
      out.push({ labels: { ...c.labels, result: 'target_gone' }, value: c.stats[StatSlot.eventsTargetGone] });
    }),
  );
  registerFamily(registry, 'tessera_npcs', 'Content NPCs a cell owns, by AI state.', 'gauge', (out) =>
    eachCell((c) => {
      for (let k = 0; k < NPC_STATE_NAMES.length; k++) out.push({ labels: { ...c.labels, state: NPC_STATE_NAMES[k] }, value: c.stats[StatSlot.npcsByState + k] });
    }),
  );
  registerFamily(registry, 'tessera_npc_path_searches_total', 'A* searches of a cell\'s NPCs (straight walks excluded), by result.', 'counter', (out) =>
    eachCell((c) => {
      out.push({ labels: { ...c.labels, result: 'found' }, value: c.stats[StatSlot.npcPathFound] });
      out.push({ labels: { ...c.labels, result: 'failed' }, value: c.stats[StatSlot.npcPathFailures] });
    }),
  );
  perCellSlot('tessera_npc_path_nodes_total', 'A* nodes a cell\'s NPCs expanded (the per-tick budget is shared by the cell).', 'counter', StatSlot.npcPathNodes);
  registerFamily(registry, 'tessera_cell_actions_total', 'Players\' combat ACTIONs a cell handled, by result: applied, refused (told to the player with the reason), stale (a retried seq).', 'counter', (out) =>
    eachCell((c) => {
      for (let k = 0; k < ACTION_RESULTS.length; k++) out.push({ labels: { ...c.labels, result: ACTION_RESULTS[k] }, value: c.stats[StatSlot.actions + k] });
    }),
  );
  registerFamily(registry, 'tessera_combat_events_total', 'Combat events (hits, heals, deaths, casts...) a cell logged for replication, dropped for a full log, or cut from snapshots past their limit.', 'counter', (out) =>
    eachCell((c) => {
      out.push({ labels: { ...c.labels, result: 'logged' }, value: c.stats[StatSlot.combatLogged] });
      out.push({ labels: { ...c.labels, result: 'dropped' }, value: c.stats[StatSlot.combatDropped] });
      out.push({ labels: { ...c.labels, result: 'cut' }, value: c.stats[StatSlot.snapshotEventsCut] });
    }),
  );
  registerFamily(registry, 'tessera_chat_say_lines_total', 'Say lines a cell logged for the players around the speaker, dropped for a full say log, or cut from snapshots past the lines a run holds.', 'counter', (out) =>
    eachCell((c) => {
      out.push({ labels: { ...c.labels, result: 'logged' }, value: c.stats[StatSlot.sayLogged] });
      out.push({ labels: { ...c.labels, result: 'dropped' }, value: c.stats[StatSlot.sayDropped] });
      out.push({ labels: { ...c.labels, result: 'cut' }, value: c.stats[StatSlot.sayCut] });
    }),
  );
  perCellSlot('tessera_teleports_total', 'Entities a cell moved to another point of the zone (respawns, portals, operators).', 'counter', StatSlot.teleports);
  registerFamily(registry, 'tessera_cell_frames_total', 'Snapshot frames a cell encoded for the gate (queued), dropped for a full ring, or shed while the gate was behind.', 'counter', (out) =>
    eachCell((c) => {
      out.push({ labels: { ...c.labels, result: 'queued' }, value: c.stats[StatSlot.framesOut] });
      out.push({ labels: { ...c.labels, result: 'dropped' }, value: c.stats[StatSlot.framesDropped] });
      out.push({ labels: { ...c.labels, result: 'shed' }, value: c.stats[StatSlot.framesShed] });
    }),
  );
  perCellSlot('tessera_cell_baselines_expired_total', 'Full snapshots a cell sent because the baseline the client acknowledged was older than its shared entity rows reach.', 'counter', StatSlot.baselinesExpired);
  perCellSlot('tessera_cell_entity_rows', 'Rows of a cell\'s shared entity states, which every client view refers to (grows with the entities that change per tick and the oldest view a client may still acknowledge).', 'gauge', StatSlot.entityRows);
  perCellSlot('tessera_cell_frame_bytes_total', 'Bytes of snapshot frames a cell queued for the gate.', 'counter', StatSlot.frameBytesOut);
  registerFamily(registry, 'tessera_aoi_entities', 'Entities in a player\'s 3x3-tile area of interest, per snapshot.', 'histogram', (out) =>
    eachCell((c) => {
      const h = readHistogram(c.stats, StatSlot.histAoi, AOI_BUCKETS);
      const count = h.cumulative[h.cumulative.length - 1];
      pushHistogram(out, 'tessera_aoi_entities', c.labels, AOI_BUCKETS, h.cumulative, h.sum, count);
    }),
  );
  // Per client, once a second, folded into one histogram per cell: no per-client series.
  const perClient = (name: string, help: string, slot: number, buckets: readonly number[]) =>
    registerFamily(registry, name, help, 'histogram', (out) =>
      eachCell((c) => {
        const h = readHistogram(c.stats, slot, buckets);
        pushHistogram(out, name, c.labels, buckets, h.cumulative, h.sum, h.cumulative[h.cumulative.length - 1]);
      }),
    );
  perClient('tessera_client_ack_lag_seconds', 'How far behind the tick a client\'s newest acknowledged snapshot is, sampled once a second per client.', StatSlot.histAckLag, ACK_LAG_BUCKETS_SECONDS);
  perClient('tessera_client_frame_interval_seconds', 'Time between a client\'s snapshots (1 / SEND_HZ, longer while a lagging client is paced), sampled once a second per client.', StatSlot.histFrameInterval, FRAME_INTERVAL_BUCKETS_SECONDS);
  registerFamily(registry, 'tessera_client_pacing_changes_total', 'Times a lagging client\'s snapshot interval was doubled (backoff) or halved again as it caught up (recovery).', 'counter', (out) =>
    eachCell((c) => {
      out.push({ labels: { ...c.labels, change: 'backoff' }, value: c.stats[StatSlot.paceBackoffs] });
      out.push({ labels: { ...c.labels, change: 'recovery' }, value: c.stats[StatSlot.paceRecoveries] });
    }),
  );
  perCellSlot('tessera_log_ticks_missed_total', 'Ticks of combat events and say lines a snapshot could not carry: the gap since the player\'s previous frame outran the logs\' window.', 'counter', StatSlot.logTicksMissed);

  registerRingMetrics(registry, eachCell);
  return registerHealthMetrics(registry, supervisor);
}

type EachCell = (fn: (c: CellView, cell: number, z: ZoneHandle) => void) => void;

/**
 * Ring occupancy. gate_to_cell and cell_to_gate are the cell's own rings;
 * cell_to_cell sums the rings from the cell to every other cell of its zone.
 */
function registerRingMetrics(registry: Registry, eachCell: EachCell): void {
  const rings = (c: CellView): [string, Ring[]][] => [
    ['gate_to_cell', [c.gateToCell]],
    ['cell_to_gate', [c.cellToGate]],
    ['cell_to_cell', c.toPeers],
  ];
  const family = (name: string, help: string, type: 'counter' | 'gauge', read: (r: Ring) => number) =>
    registerFamily(registry, name, help, type, (out: Sample[]) =>
      eachCell((c) => {
        for (const [ring, list] of rings(c)) {
          let v = 0;
          for (const r of list) v += read(r);
          out.push({ labels: { ...c.labels, ring }, value: v });
        }
      }),
    );
  family('tessera_ring_used_bytes', 'Bytes in use in a shared-memory ring right now.', 'gauge', (r) => r.used);
  family('tessera_ring_capacity_bytes', 'Data capacity of a shared-memory ring.', 'gauge', (r) => r.capacity);
  family('tessera_ring_high_water_bytes', 'Most bytes ever in use in a ring at a flush.', 'gauge', (r) => r.highWater);
  family('tessera_ring_full_events_total', 'Reservations a ring refused for want of space.', 'counter', (r) => r.fullEvents);
}

/**
 * Cell health from the supervisor: up (ticking) or not, and counts of
 * failures and restarts seen through its 'health' events. Returns a function
 * that stops listening.
 */
function registerHealthMetrics(registry: Registry, supervisor: CellSupervisor): () => void {
  const failures = new Map<string, number>();
  const restarts = new Map<string, number>();
  const key = (zone: string, cell: number) => `${zone}\u0000${cell}`;
  const onHealth = (e: { zone: string; cell: number; health: CellHealth }) => {
    const k = key(e.zone, e.cell);
    if (e.health === 'failed') failures.set(k, (failures.get(k) ?? 0) + 1);
    // A cell is 'starting' only before its first tick, so a 'starting'
    // event (the initial state is set without one) is a restart.
    if (e.health === 'starting') restarts.set(k, (restarts.get(k) ?? 0) + 1);
  };
  supervisor.on('health', onHealth);
  const perCell = (fn: (zone: ZoneHandle, cell: number, labels: { zone: string; cell: string }) => number) => (out: Sample[]) => {
    for (const zone of supervisor.zones) {
      for (let cell = 0; cell < zone.health.length; cell++) {
        const labels = { zone: zone.spec.name, cell: String(cell) };
        out.push({ labels, value: fn(zone, cell, labels) });
      }
    }
  };
  registerFamily(
    registry,
    'tessera_cell_up',
    'Whether a cell is ticking (1) or starting, stuck, failed or stopped (0).',
    'gauge',
    perCell((zone, cell) => (zone.health[cell] === 'running' ? 1 : 0)),
  );
  registerFamily(
    registry,
    'tessera_cell_failures_total',
    'Times a cell worker failed (threw, exited or errored).',
    'counter',
    perCell((zone, cell) => failures.get(key(zone.spec.name, cell)) ?? 0),
  );
  registerFamily(
    registry,
    'tessera_cell_restarts_total',
    'Times the supervisor restarted a cell.',
    'counter',
    perCell((zone, cell) => restarts.get(key(zone.spec.name, cell)) ?? 0),
  );
  return () => supervisor.off('health', onHealth);
}
