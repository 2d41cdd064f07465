/**
 * Chat benchmark (`npm run bench:chat`): what chat costs at 2,000 players
 * with 1 % of them chatting a second, half on say and half on zone (issue
 * 11), and at ten times that.
 *
 * Cells: a 1024×768 zone of two cells (16-unit AOI tiles), 2,000 players
 * standing where they joined, no NPCs, driven in one thread tick by tick as
 * the barriers would; every frame is acknowledged through the gate ring.
 * Says go in as the gate writes them (a SAY on the speaker's owner's ring),
 * a Poisson stream of the given rate. Times: the `replicate` system (which
 * now writes each player's chat run from every cell's say log) and
 * `say-log`, from the systems' histograms, per tick, with chat off and on.
 *
 * Coordinator: the chat service with 2,000 players in one zone (fake
 * connections), its outbox feeding real snapshot frames: the cost of
 * routing one zone message (checks, encoding once, 2,000 queue pushes) and
 * of each snapshot's copy out of the ring with and without lines waiting
 * (the gate's per-frame work, which chat changes). Writes
 * bench/results/chat-<date>.json.
 */
import { pino } from 'pino';
import { ChatService } from '../src/main/chat/chat-service.ts';
import { DEFAULT_CHAT_CONFIG } from '../src/main/chat-config.ts';
import { NO_CHAT } from '../src/main/gate/chat-hook.ts';
import type { Connection } from '../src/main/gate/connection.ts';
import { generateZonePack } from '../src/content/map-generate.ts';
import { ChatChannel } from '../src/protocol/chat-codes.ts';
import { encodeChatLine } from '../src/protocol/chat-lines.ts';
import { mulberry32 } from '../src/shared/random.ts';
import { CellMessage, CellMsg, JoinStatus } from '../src/shared/messages/cell-to-gate.ts';
import { AckLayout, encodeJoin, GateMsg, writeSay } from '../src/shared/messages/gate-to-cell.ts';
import { StatSlot, systemHistogram, TICK_BUCKETS_SECONDS } from '../src/shared/layout.ts';
import { allocateZoneMemory, ZoneViews, type ZoneSpec } from '../src/shared/zone-memory.ts';
import { indexOf } from '../src/shared/entity-store.ts';
import { CellRuntime } from '../src/workers/cell-runtime.ts';
import { SayLog, SayLogReader } from '../src/workers/chat/say-log.ts';
import { Writer } from '../src/protocol/writer.ts';
import { machine as machineNow, median, round, summary, writeResults } from './lib/stats.ts';

const PLAYERS = 2000;
const W = 1024;
const H = 768;
const TICK_HZ = 20;
const RUNS = 3;
const MEASURE_TICKS = 400;

interface Zone {
  cells: CellRuntime[];
  tick(): void;
}

/** `perSecond` says a second among the players, as a Poisson stream. */
function makeZone(seed: number, saysPerSecond: number): Zone {
  const spec: ZoneSpec = { id: 1, name: 'bench', width: W, height: H, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: PLAYERS + 64, tickHz: TICK_HZ };
  const init = allocateZoneMemory(spec, generateZonePack('bench', W, H, 3, 0));
  const cells = [0, 1].map((cell) => new CellRuntime({ zone: init, cell, seed }));
  const views = new ZoneViews(init);
  const gateIn = [0, 1].map((c) => views.gateToCell(c));
  const gateOut = [0, 1].map((c) => views.cellToGate(c));
  const rnd = mulberry32(seed);
  const handles = new Uint32Array(PLAYERS + 1);
  for (let conn = 1; conn <= PLAYERS; conn++) {
    const x = 2 + rnd() * (W - 4);
    const y = 2 + rnd() * (H - 4);
    const ring = gateIn[views.geometry.cellOf(x, y)];
    ring.push(encodeJoin(conn, conn, x, y, 0, 0));
    ring.flush();
  }
  const lines = Array.from({ length: 16 }, (_, i) => encodeChatLine(ChatChannel.SAY, 0, 0, `player${i}`, `a line of ordinary length, number ${i}`));
  const m = new CellMessage();
  let debt = 0;
  const tick = () => {
    // The gate's side: this tick's says, on the speakers' owners' rings.
    debt += saysPerSecond / TICK_HZ;
    while (debt >= rnd()) {
      debt -= 1;
      const conn = 1 + Math.floor(rnd() * PLAYERS);
      if (handles[conn] === 0) continue;
      const owner = Atomics.load(views.store.f.owner, indexOf(handles[conn]));
      writeSay(gateIn[owner], conn, lines[conn & 15]);
      gateIn[owner].flush();
    }
    for (const c of cells) c.simulateHalf();
    for (const c of cells) c.replicateHalf();
    for (const c of cells) c.endTick();
    CellRuntime.endZoneTick(views);
    // The clients: every frame acknowledged.
    for (let c = 0; c < 2; c++) {
      const out = gateOut[c];
      for (let at = out.peek(); at >= 0; at = out.peek()) {
        m.read(out.view, at, out.messageLength);
        if (m.op === CellMsg.JOINED && m.status === JoinStatus.OK) handles[m.conn] = m.handle;
        if (m.op === CellMsg.FRAME) {
          const ring = gateIn[c];
          const o = ring.reserve(AckLayout.bytes);
          if (o >= 0) {
            ring.view.setUint8(o, GateMsg.ACK);
            ring.view.setUint32(o + AckLayout.conn, m.conn, true);
            ring.view.setUint32(o + AckLayout.ackTick, m.tick, true);
            ring.commit(AckLayout.bytes);
          }
        }
        out.release();
      }
      out.done();
      gateIn[c].flush();
    }
  };
  return { cells, tick };
}

function systemsMs(z: Zone, names: string[], ticks: number): number[] {
  const sums = z.cells.map((c) => names.map((n) => systemHistogram(c.systemNames.indexOf(n)) + TICK_BUCKETS_SECONDS.length + 1));
  const total = () => z.cells.reduce((a, c, i) => a + sums[i].reduce((b, at) => b + c.stats[at], 0), 0);
  const out: number[] = [];
  for (let t = 0; t < ticks; t++) {
    const before = total();
    z.tick();
    out.push((total() - before) * 1000);
  }
  return out;
}

function cells(saysPerSecond: number) {
  const replicate: number[] = [];
  const sayLog: number[] = [];
  let logged = 0;
  for (let r = 0; r < RUNS; r++) {
    const z = makeZone(21 + r, saysPerSecond);
    for (let i = 0; i < 200; i++) z.tick();
    const before = z.cells.reduce((a, c) => a + c.stats[StatSlot.sayLogged], 0);
    replicate.push(...systemsMs(z, ['replicate'], MEASURE_TICKS));
    sayLog.push(...systemsMs(z, ['say-log'], MEASURE_TICKS));
    logged += z.cells.reduce((a, c) => a + c.stats[StatSlot.sayLogged], 0) - before;
  }
  return {
    saysPerSecond,
    replicateMsPerTick: summary(replicate),
    replicateUsPerPlayerPerTick: round((median(replicate) * 1000) / PLAYERS, 3),
    sayLogMsPerTick: summary(sayLog, 4),
    // Says were logged through both measurements (replicate, then say-log).
    saysLoggedPerTick: round(logged / (RUNS * 2 * MEASURE_TICKS), 2),
  };
}

/** The coordinator's part: zone messages routed to 2,000 players, and each snapshot's copy with lines waiting. */
function coordinator(zoneMessagesPerSecond: number) {
  const peers = new Map<number, Connection>();
  for (let id = 1; id <= PLAYERS; id++) peers.set(id, { id, phase: 'playing', zone: 0, handle: id, characterId: id, name: `player${id}` } as unknown as Connection);
  let now = 0;
  const chat = new ChatService({ ...DEFAULT_CHAT_CONFIG, ratePerMinute: 60_000, burst: 100, repeatLimit: 0 }, { connections: peers, zoneNames: () => ['bench'], say: () => true }, pino({ level: 'warn' }), { now: () => now });
  // A snapshot as big as the usual one (~30 entities in view, a few hundred bytes), at an offset in a ring-like buffer.
  const ring = Buffer.alloc(64 * 1024, 7);
  const frameLen = 420;
  ring[100 + frameLen - 1] = 0;
  const all = [...peers.values()];
  const routeUs: number[] = [];
  const frameWithUs: number[] = [];
  const frameBaseUs: number[] = [];
  // Per simulated second: route the zone messages, then 20 snapshots per player through the outbox, and
  // the same snapshots copied as without chat (in alternating order: the box is shared and noisy).
  for (let second = 0; second < 42; second++) {
    now += 1000;
    let t0 = performance.now();
    for (let i = 0; i < zoneMessagesPerSecond; i++) chat.receive(all[(second * 97 + i * 31) % PLAYERS], { op: 'chat', channel: ChatChannel.ZONE, target: '', text: `zone message ${i} of an ordinary length` });
    const routed = performance.now() - t0;
    const withChat = () => {
      const t = performance.now();
      for (let f = 0; f < TICK_HZ; f++) for (const c of all) chat.frame(c, true, ring, 100, 100 + frameLen);
      return performance.now() - t;
    };
    const copyOnly = () => {
      const t = performance.now();
      for (let f = 0; f < TICK_HZ; f++) for (const c of all) NO_CHAT.frame(c, true, ring, 100, 100 + frameLen);
      return performance.now() - t;
    };
    let framed: number;
    let base: number;
    if (second % 2 === 0) {
      framed = withChat();
      base = copyOnly();
    } else {
      base = copyOnly();
      framed = withChat();
    }
    if (second < 2) continue; // warm-up
    if (zoneMessagesPerSecond > 0) routeUs.push((routed * 1000) / zoneMessagesPerSecond);
    frameWithUs.push((framed * 1000) / (TICK_HZ * PLAYERS));
    frameBaseUs.push((base * 1000) / (TICK_HZ * PLAYERS));
  }
  // Paired by second, so a busy moment of the box weighs on both sides.
  const perFrameExtra = median(frameWithUs.map((w, i) => w - frameBaseUs[i]));
  return {
    zoneMessagesPerSecond,
    routeUsPerZoneMessage: routeUs.length ? summary(routeUs, 1) : null,
    frameUs: { withChat: summary(frameWithUs, 3), copyOnly: summary(frameBaseUs, 3), extraPaired: round(perFrameExtra, 3) },
    coordinatorMsPerSecond: round(((routeUs.length ? median(routeUs) : 0) * zoneMessagesPerSecond) / 1000 + (perFrameExtra * TICK_HZ * PLAYERS) / 1000, 2),
  };
}

/** The say run alone: SayLogReader.writeRun for 2,000 viewers, with `lines` lines in the two cells' logs at random tiles. */
function sayRun(lines: number) {
  const spec: ZoneSpec = { id: 1, name: 'bench', width: W, height: H, aoiTile: 16, cellCols: 2, cellRows: 1, capacity: 64, tickHz: TICK_HZ };
  const views = new ZoneViews(allocateZoneMemory(spec, generateZonePack('bench', W, H, 3, 0)));
  const stats = new Float64Array(StatSlot.words);
  const logs = [0, 1].map((c) => new SayLog(views.sayLog[c], stats, StatSlot.sayLogged, StatSlot.sayDropped));
  const rnd = mulberry32(5);
  const g = views.geometry;
  const line = encodeChatLine(ChatChannel.SAY, 0, 1, 'player1', 'a line of ordinary length');
  for (let i = 0; i < lines; i++) logs[i % 2].add(Math.floor(rnd() * g.tilesX), Math.floor(rnd() * g.tilesY), line, 0, line.length);
  for (const l of logs) l.publish(1);
  const reader = new SayLogReader(views.sayLog);
  const out = new Uint8Array(8192);
  const w = new Writer();
  const vx = Int32Array.from({ length: PLAYERS }, () => Math.floor(rnd() * g.tilesX));
  const vy = Int32Array.from({ length: PLAYERS }, () => Math.floor(rnd() * g.tilesY));
  const ns: number[] = [];
  let written = 0;
  for (let round = 0; round < 60; round++) {
    const t0 = performance.now();
    for (let p = 0; p < PLAYERS; p++) {
      w.reset(out);
      reader.writeRun(w, vx[p], vy[p], 1, 1);
      written += out[0];
    }
    if (round >= 10) ns.push(((performance.now() - t0) * 1e6) / PLAYERS);
  }
  return { linesInLogs: lines, nsPerViewer: summary(ns, 1), linesHeardPerViewer: round(written / (60 * PLAYERS), 3) };
}

const machine = machineNow();
// 1 % of 2,000 players chat a second: 20 messages, half say, half zone; and ten times that.
const results = {
  machine,
  setup: `${PLAYERS} players, ${W}x${H} zone, 2 cells in one thread, 16-unit AOI tiles, ${TICK_HZ} Hz; ${RUNS} runs x ${MEASURE_TICKS} ticks after 200 warm-up ticks; cell times from the system histograms`,
  sayRun: [sayRun(0), sayRun(1), sayRun(10), sayRun(64)],
  cells: { off: cells(0), onePercent: cells(10), tenPercent: cells(100) },
  coordinator: { off: coordinator(0), onePercent: coordinator(10), tenPercent: coordinator(100) },
};
machine.finish();
console.log(JSON.stringify(results, null, 2));
writeResults('chat', machine.date, results);
