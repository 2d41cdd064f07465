/**
 * The most CPU a healthy cell burns inside one tick, which the stall
 * detector's loop rule (CELL_LOOP_CPU_MS) must stay well above: a heavy
 * zone (2×1 cells, 8,000 NPCs, 2,000 players joined through the gate rings
 * before the first tick, every frame acknowledged with an input as
 * bench:core does), each cell's thread CPU (Worker.cpuUsage()) sampled every
 * 5 ms: the growth between two samples that saw the same heartbeat is CPU
 * spent in one tick (or sleeping before it, which costs none). Measured over
 * `ms` of steady play, then again from a restart of the zone onto the spare
 * and a warm host (cold code, every frame full) on. Used by
 * cell-resume.bench.ts (`npm run bench:resume -- tick-cpu`).
 */
import { pino } from 'pino';
import { generateZonePack } from '../src/content/map-generate.ts';
import { CellSupervisor } from '../src/main/zones/supervisor.ts';
import type { ReattachedPlayer } from '../src/shared/cell-contract.ts';
import { CellMessage, CellMsg } from '../src/shared/messages/cell-to-gate.ts';
import { encodeJoin, writeInput } from '../src/shared/messages/gate-to-cell.ts';
import type { Ring } from '../src/shared/ring.ts';
import type { ZoneSpec } from '../src/shared/zone-memory.ts';
import { round } from './lib/stats.ts';

const W = 1024;
const H = 768;
const NPCS = 8000;

export interface TickCpu {
  players: number;
  npcs: number;
  /** Most CPU within one heartbeat, ms, per cell, in steady play. */
  steadyMaxMs: number[];
  /** The same from a restart on: the spare's first ticks (cold code) and every frame full. */
  afterRestartMaxMs: number[];
  restart: unknown;
}

export async function measureTickCpu(players = 2000, ms = 8000): Promise<TickCpu> {
  const spec: ZoneSpec = { id: 1, name: 'bench', width: W, height: H, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: 12_000, tickHz: 20, sendHz: 20 };
  // No verdicts: this measures what the detector would see.
  const sup = new CellSupervisor(pino({ level: 'silent' }), 600_000, 600_000, { loopCpuMs: 1e9 });
  const started = sup.start([{ spec, map: generateZonePack(spec.name, W, H, 7), cell: { wanderers: NPCS, seed: 1 } }]);
  const zone = sup.zones[0];
  const v = zone.views;
  const gateIn = [v.gateToCell(0), v.gateToCell(1)];
  const outs = [v.cellToGate(0), v.cellToGate(1)];
  const cellOfConn = new Int32Array(players + 1);
  const seqOfConn = new Uint32Array(players + 1);
  const handles = new Int32Array(players + 1);
  let seed = 1;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let conn = 1; conn <= players; conn++) {
    const x = 2 + rnd() * (W - 4);
    const y = 2 + rnd() * (H - 4);
    cellOfConn[conn] = v.geometry.cellOf(x, y);
    const m = encodeJoin(conn, conn, x, y, 1, 0);
    const ring = gateIn[cellOfConn[conn]];
    const at = ring.reserve(m.length);
    if (at < 0) throw new Error('gate ring full while joining');
    ring.bytes.set(m, at);
    ring.commit(m.length);
  }
  for (const r of gateIn) r.flush();
  await started;
  const msg = new CellMessage();
  const drain = (out: Ring) => {
    for (let at = out.peek(); at >= 0; at = out.peek()) {
      msg.read(out.view, at, out.messageLength);
      if (msg.op === CellMsg.FRAME) writeInput(gateIn[cellOfConn[msg.conn]], msg.conn, ++seqOfConn[msg.conn], msg.tick, 1, Math.cos(msg.tick), Math.sin(msg.tick));
      else if (msg.op === CellMsg.MOVED) cellOfConn[msg.conn] = msg.cell;
      else if (msg.op === CellMsg.JOINED) handles[msg.conn] = msg.handle;
      out.release();
    }
    out.done();
  };
  const sample = async (forMs: number): Promise<number[]> => {
    const max = [0, 0];
    const seen = [0, 1].map(() => ({ tick: -1, cpu: 0 }));
    for (const end = Date.now() + forMs; Date.now() < end; ) {
      for (const out of outs) drain(out);
      for (const r of gateIn) r.flush();
      for (let c = 0; c < 2; c++) {
        if (zone.health[c] !== 'running') continue;
        const tick = zone.tickOf(c);
        const cpu = await zone.hosts[c].cpuMs();
        const s = seen[c];
        if (tick !== s.tick) [s.tick, s.cpu] = [tick, cpu];
        else max[c] = Math.max(max[c], cpu - s.cpu);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return max.map((x) => round(x, 1));
  };
  try {
    const steadyMaxMs = await sample(ms);
    for (const end = Date.now() + 30_000; sup.spare?.state !== 'idle'; ) {
      if (Date.now() > end) throw new Error('the spare did not load');
      await new Promise((r) => setTimeout(r, 20));
    }
    const down = new Promise((r) => sup.once('zoneDown', r));
    void zone.workers[0].terminate();
    await down;
    for (const out of outs) drain(out);
    const reattached: ReattachedPlayer[] = [];
    for (let conn = 1; conn <= players; conn++) if (handles[conn] !== 0) reattached.push({ conn, handle: handles[conn], characterId: conn });
    const [restart, afterRestartMaxMs] = await Promise.all([sup.restartZone(zone, reattached), sample(ms)]);
    return { players, npcs: NPCS, steadyMaxMs, afterRestartMaxMs, restart };
  } finally {
    await sup.stop();
  }
}
