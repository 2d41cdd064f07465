/**
 * The bots' WebSocket client against ws (`npm run bench:ws-client`): the
 * CPU a client process spends per frame it receives, with `ws` (as the bots
 * had it) and with src/bots/ws-client.ts (frames parsed from the socket's
 * `onread`), under the bots' traffic (issue 14).
 *
 * This process is the server: the gate's WebSocketServer
 * (gameSocketServer) behind an http server on 127.0.0.1, sending one frame
 * to every client per round at ROUND_HZ (sizes uniform in 100–500 bytes,
 * snapshots at a few dozen entities in view) through the gate's own
 * one-write path. Each block forks a child process that opens N clients
 * of one kind; each client sends a 16-byte message at INPUT_HZ (the bots'
 * inputs), spread over the period. After a warm-up the child measures its
 * own CPU (process.cpuUsage, user and system) over the block and the
 * frames it received. The kinds alternate block by block (A B B A …), so a
 * change in the machine's load hits both; the figure to read is the ratio
 * within each pair. The child counts messages but decodes nothing: the
 * bots' decoding (the shared ClientView) is the same either way and is
 * measured by bench:client-views.
 *
 * Options: --clients N (1000), --runs N (5 per kind), --block-seconds S
 * (6), --warm-seconds S (3), --round-hz N (20), --input-hz N (10).
 * Writes bench/results/ws-client-<date>.json.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { WsClient, WsState } from '../src/bots/ws-client.ts';
import { gameSocketServer } from '../src/main/gate/socket-events.ts';
import { MAX_HEADER_BYTES, sendBinaryFrame } from '../src/main/gate/ws-frame.ts';
import { mulberry32 } from '../src/shared/random.ts';
import { MachineProbe, stepLoad } from './lib/machine-load.ts';
import { machine as machineNow, median, round, writeResults } from './lib/stats.ts';

const MIN_FRAME = 100;
const MAX_FRAME = 500;
const INPUT_BYTES = 16;
/** The child's send scheduler runs this often, as the bot worker's does. */
const SCHED_MS = 10;

type Kind = 'ws' | 'own';

/** What a child reports at the end of its block. */
interface ChildReport {
  frames: number;
  bytes: number;
  userUs: number;
  systemUs: number;
  seconds: number;
  errors: number;
}

/** The child: `n` clients of `kind` on `url`; measures from 'start' to 'stop' and reports. */
async function runClients(kind: Kind, url: string, n: number, inputHz: number): Promise<void> {
  let frames = 0;
  let bytes = 0;
  let errors = 0;
  let open = 0;
  const input = Buffer.alloc(INPUT_BYTES, 7);
  const senders: (() => void)[] = [];
  const readBuffer = Buffer.allocUnsafe(64 * 1024);
  const opened = (): void => {
    if (++open === n) process.send!({ open });
  };
  for (let i = 0; i < n; i++) {
    if (kind === 'ws') {
      const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
      ws.on('open', opened);
      ws.on('message', (data: Buffer) => {
        frames++;
        bytes += data.length;
      });
      ws.on('error', () => errors++);
      senders.push(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send(input, { binary: true });
      });
    } else {
      const c = new WsClient(
        url,
        { maxPayload: 1 << 16, handshakeTimeoutMs: 20_000, readBuffer },
        {
          onOpen: opened,
          onMessage: (data) => {
            frames++;
            bytes += data.length;
          },
          onError: () => errors++,
          onClose: () => {},
        },
      );
      senders.push(() => {
        if (c.readyState === WsState.OPEN) c.send(input);
      });
    }
    // Connect in batches, as the bots ramp up, so the server's backlog is not flooded.
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
  }
  // Each client sends every 1000/inputHz ms; the scheduler sends the share due in each SCHED_MS slice.
  const perSlice = (n * inputHz * SCHED_MS) / 1000;
  let next = 0;
  let owed = 0;
  setInterval(() => {
    owed += perSlice;
    for (; owed >= 1; owed--) senders[next++ % n]();
  }, SCHED_MS);
  let startCpu = process.cpuUsage();
  let startAt = performance.now();
  let startFrames = 0;
  let startBytes = 0;
  process.on('message', (m: string) => {
    if (m === 'start') {
      startCpu = process.cpuUsage();
      startAt = performance.now();
      startFrames = frames;
      startBytes = bytes;
    } else if (m === 'stop') {
      const cpu = process.cpuUsage(startCpu);
      const report: ChildReport = { frames: frames - startFrames, bytes: bytes - startBytes, userUs: cpu.user, systemUs: cpu.system, seconds: (performance.now() - startAt) / 1000, errors };
      process.send!({ report }, () => process.exit(0));
    }
  });
}

interface BlockResult {
  kind: Kind;
  framesSent: number;
  framesReceived: number;
  /** The child's CPU per frame received, µs: user + system, and user alone. */
  usPerFrame: number;
  userUsPerFrame: number;
  /** The child's CPU in cores over the block. */
  cores: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '1000' },
      runs: { type: 'string', default: '5' },
      'block-seconds': { type: 'string', default: '6' },
      'warm-seconds': { type: 'string', default: '3' },
      'round-hz': { type: 'string', default: '20' },
      'input-hz': { type: 'string', default: '10' },
    },
  });
  const clients = Number(values.clients);
  const runs = Number(values.runs);
  const blockSeconds = Number(values['block-seconds']);
  const warmSeconds = Number(values['warm-seconds']);
  const roundHz = Number(values['round-hz']);
  const inputHz = Number(values['input-hz']);
  for (const [name, v] of Object.entries({ clients, runs, 'block-seconds': blockSeconds, 'warm-seconds': warmSeconds, 'round-hz': roundHz, 'input-hz': inputHz })) {
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`--${name} must be a positive number, not ${JSON.stringify(values[name as keyof typeof values])}`);
  }

  const machine = machineNow();
  const probe = new MachineProbe();
  let sockets: WebSocket[] = [];
  let received = 0;
  const wss = gameSocketServer(() => {});
  const http = createServer();
  http.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', () => received++);
      sockets.push(ws);
    }),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/play`;

  const rand = mulberry32(14);
  const payload = Buffer.allocUnsafe(MAX_FRAME);
  for (let i = 0; i < MAX_FRAME; i++) payload[i] = (rand() * 256) | 0;
  const periodMs = 1000 / roundHz;

  /** Rounds until `until` (performance.now()); returns the frames sent. */
  const sendRounds = async (until: number): Promise<number> => {
    let sent = 0;
    let due = performance.now();
    while (performance.now() < until) {
      for (const ws of sockets) {
        const len = MIN_FRAME + Math.floor(rand() * (MAX_FRAME - MIN_FRAME + 1));
        // The gate's path: a copy with headroom, the header in front, one write.
        const buf = Buffer.allocUnsafe(MAX_HEADER_BYTES + len);
        payload.copy(buf, MAX_HEADER_BYTES, 0, len);
        sendBinaryFrame(ws, buf, MAX_HEADER_BYTES);
        sent++;
      }
      due += periodMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else await new Promise((r) => setImmediate(r));
    }
    return sent;
  };

  const block = async (kind: Kind): Promise<BlockResult> => {
    sockets = [];
    const child = fork(new URL(import.meta.url).pathname, ['--client-process', kind, url, String(clients), String(inputHz)], { stdio: 'inherit' });
    await new Promise<void>((resolve) => child.once('message', () => resolve()));
    while (sockets.length < clients) await sleep(10);
    await sendRounds(performance.now() + warmSeconds * 1000);
    const receivedBefore = received;
    child.send('start');
    const framesSent = await sendRounds(performance.now() + blockSeconds * 1000);
    const report = await new Promise<ChildReport>((resolve) => {
      child.on('message', (m: { report?: ChildReport }) => {
        if (m.report) resolve(m.report);
      });
      child.send('stop');
    });
    await new Promise((r) => child.once('exit', r));
    for (const ws of sockets) ws.terminate();
    if (report.errors > 0) throw new Error(`${kind}: ${report.errors} client errors`);
    // The child measured from 'start' to 'stop' and received nearly every frame sent between them.
    if (report.frames < framesSent * 0.95) throw new Error(`${kind}: received ${report.frames} frames of ${framesSent} sent: the clients fell behind`);
    const inputs = received - receivedBefore;
    const wantInputs = clients * inputHz * blockSeconds;
    if (inputs < wantInputs * 0.9) throw new Error(`${kind}: the server got ${inputs} inputs, ${wantInputs} due`);
    const cpu = report.userUs + report.systemUs;
    return {
      kind,
      framesSent,
      framesReceived: report.frames,
      usPerFrame: round(cpu / report.frames, 2),
      userUsPerFrame: round(report.userUs / report.frames, 2),
      cores: round(cpu / 1e6 / report.seconds, 3),
    };
  };

  const before = await probe.sample();
  const blocks: BlockResult[] = [];
  const ratios: number[] = [];
  const userRatios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const order: Kind[] = i % 2 === 0 ? ['ws', 'own'] : ['own', 'ws'];
    const pair: BlockResult[] = [];
    for (const kind of order) {
      const b = await block(kind);
      pair.push(b);
      blocks.push(b);
      console.log(`${kind.padEnd(3)} ${b.usPerFrame} µs/frame (user ${b.userUsPerFrame}), ${b.cores} cores, ${b.framesReceived} frames`);
    }
    const ws = pair.find((b) => b.kind === 'ws')!;
    const own = pair.find((b) => b.kind === 'own')!;
    ratios.push(round(own.usPerFrame / ws.usPerFrame, 3));
    userRatios.push(round(own.userUsPerFrame / ws.userUsPerFrame, 3));
  }
  const after = await probe.sample();
  machine.finish();
  wss.close();
  http.close();

  const of = (kind: Kind) => blocks.filter((b) => b.kind === kind);
  const summaryOf = (kind: Kind) => ({
    usPerFrameMedian: round(median(of(kind).map((b) => b.usPerFrame)), 2),
    userUsPerFrameMedian: round(median(of(kind).map((b) => b.userUsPerFrame)), 2),
    coresMedian: round(median(of(kind).map((b) => b.cores)), 3),
  });
  const results = {
    machine,
    load: stepLoad(before, after),
    setup: `${clients} clients in a child process over loopback, the gate's WebSocketServer (no deflate) sending one frame per client per round at ${roundHz} Hz (${MIN_FRAME}-${MAX_FRAME} bytes uniform, the gate's one-write path), each client sending a ${INPUT_BYTES}-byte message at ${inputHz} Hz; ${runs} blocks of ${blockSeconds} s per kind after ${warmSeconds} s of warm-up each, alternating; the child's CPU by process.cpuUsage, user + system`,
    summary: {
      ws: summaryOf('ws'),
      own: summaryOf('own'),
      ratioOwnToWs: { median: round(median(ratios), 3), perPair: ratios, userMedian: round(median(userRatios), 3), userPerPair: userRatios },
    },
    blocks,
  };
  console.log(JSON.stringify(results.summary, null, 2));
  console.log(JSON.stringify(results.load));
  writeResults('ws-client', machine.date, results);
}

if (process.argv[2] === '--client-process') {
  await runClients(process.argv[3] as Kind, process.argv[4], Number(process.argv[5]), Number(process.argv[6]));
} else {
  await main();
}
