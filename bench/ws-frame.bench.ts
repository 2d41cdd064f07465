/**
 * Frame-write benchmark (`npm run bench:ws-frame`): the gate's CPU per
 * server→client frame, `ws.send` (header and payload corked and written
 * with one `writev`) against one `socket.write` of a frame built in one
 * buffer (src/main/gate/ws-frame.ts), to real ws clients over loopback
 * (issue 14).
 *
 * This process is the gate: the gate's own WebSocketServer
 * (gameSocketServer) behind an http server on 127.0.0.1. A child process
 * holds the clients (plain `ws`, deflate offered and declined, as the
 * bots), so their CPU is not this process's. Each round sends one frame to
 * every client, as a drain of the rings does, its bytes copied out of a
 * stand-in ring first, as the gate copies them (both modes pay the copy);
 * sizes drawn uniformly from 100–500 bytes (snapshots at a few dozen
 * entities in view). Rounds come at ROUND_HZ. The modes alternate in blocks
 * of BLOCK_SECONDS (A B A B …, RUNS blocks each) so that a change in the
 * machine's load hits both; before each block the clients have received
 * everything sent so far.
 *
 * Figures, per frame: the send loop's CPU (the main thread's,
 * process.threadCpuUsage around the loop: copies, framing and the write
 * system calls, which on loopback also run the receiving side's TCP path),
 * and the CPU over the whole block, of the main thread and of the process
 * (adds the event loop, write completions and GC's helper threads). Median and
 * p99 over rounds, median over blocks, and the ratio one-write / ws.send
 * within each adjacent pair of blocks. The machine's load and the CPU used
 * by other processes are recorded: on a shared box, compare the ratios of
 * one run, not absolute figures across runs.
 *
 * Options: --clients N (500), --runs N (10 per mode), --block-seconds S (2),
 * --round-hz N (20). Writes bench/results/ws-frame-<date>.json.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { gameSocketServer } from '../src/main/gate/socket-events.ts';
import { directSocketOf, MAX_HEADER_BYTES, sendBinaryFrame } from '../src/main/gate/ws-frame.ts';
import { mulberry32 } from '../src/shared/random.ts';
import { MachineProbe, stepLoad } from './lib/machine-load.ts';
import { machine as machineNow, median, quantile, round, writeResults } from './lib/stats.ts';

const MIN_FRAME = 100;
const MAX_FRAME = 500;
const RING_BYTES = 1 << 16;

type Mode = 'ws.send' | 'one-write';

/** What the client process reports: messages and payload bytes received so far. */
interface ClientCounts {
  messages: number;
  bytes: number;
  errors: number;
}

/** The child: `n` clients on `url`, counting what they decode; answers 'count' requests over IPC. */
function runClients(url: string, n: number): void {
  const counts: ClientCounts = { messages: 0, bytes: 0, errors: 0 };
  let open = 0;
  for (let i = 0; i < n; i++) {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      if (++open === n) process.send!({ open });
    });
    ws.on('message', (data: Buffer) => {
      counts.messages++;
      counts.bytes += data.length;
    });
    ws.on('error', () => counts.errors++);
  }
  process.on('message', (m: string) => {
    if (m === 'count') process.send!({ counts });
    if (m === 'exit') process.exit(0);
  });
}

/** Asks the child for its counts. */
function countsOf(child: ChildProcess): Promise<ClientCounts> {
  return new Promise((resolve) => {
    const on = (m: { counts?: ClientCounts }): void => {
      if (!m.counts) return;
      child.off('message', on);
      resolve(m.counts);
    };
    child.on('message', on);
    child.send('count');
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until the clients have decoded `messages` messages (everything sent). */
async function drained(child: ChildProcess, messages: number): Promise<ClientCounts> {
  for (;;) {
    const c = await countsOf(child);
    if (c.messages >= messages || c.errors > 0) return c;
    await sleep(20);
  }
}

interface BlockResult {
  mode: Mode;
  rounds: number;
  frames: number;
  meanFrameBytes: number;
  /** Send loop CPU per frame, µs, per round. */
  loopUsPerFrame: { median: number; p99: number };
  /** Process CPU per frame over the block, µs, and the main thread's alone. */
  processUsPerFrame: number;
  threadUsPerFrame: number;
  /** Rounds whose send loop overran the round period (the rate was not held). */
  lateRounds: number;
}

function cpuUs(u: NodeJS.CpuUsage): number {
  return u.user + u.system;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '500' },
      runs: { type: 'string', default: '10' },
      'block-seconds': { type: 'string', default: '2' },
      'round-hz': { type: 'string', default: '20' },
    },
  });
  const clients = Number(values.clients);
  const runs = Number(values.runs);
  const blockSeconds = Number(values['block-seconds']);
  const roundHz = Number(values['round-hz']);
  for (const [name, v] of Object.entries({ clients, runs, 'block-seconds': blockSeconds, 'round-hz': roundHz })) {
    if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
  }

  const machine = machineNow();
  const probe = new MachineProbe();
  const wss = gameSocketServer(() => {});
  const http = createServer();
  const sockets: WebSocket[] = [];
  http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => sockets.push(ws)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const child = fork(new URL(import.meta.url).pathname, ['--client-process', url, String(clients)], { stdio: 'inherit' });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  while (sockets.length < clients) await sleep(10);
  for (const ws of sockets) if (directSocketOf(ws) === null) throw new Error('a gate socket does not allow direct writes: nothing to compare');

  const rand = mulberry32(14);
  const ring = Buffer.allocUnsafe(RING_BYTES);
  for (let i = 0; i < RING_BYTES; i++) ring[i] = (rand() * 256) | 0;
  const nextFrame = (): { at: number; len: number } => {
    const len = MIN_FRAME + Math.floor(rand() * (MAX_FRAME - MIN_FRAME + 1));
    return { at: Math.floor(rand() * (RING_BYTES - len)), len };
  };

  let sentMessages = 0;
  let sentBytes = 0;
  const periodMs = 1000 / roundHz;
  const roundsPerBlock = Math.round(blockSeconds * roundHz);

  const block = async (mode: Mode): Promise<BlockResult> => {
    await drained(child, sentMessages);
    const perRound: number[] = [];
    let frames = 0;
    let bytes = 0;
    let late = 0;
    const start = process.cpuUsage();
    const startThread = process.threadCpuUsage();
    const t0 = performance.now();
    for (let r = 0; r < roundsPerBlock; r++) {
      const before = process.threadCpuUsage();
      const roundStart = performance.now();
      for (const ws of sockets) {
        const { at, len } = nextFrame();
        if (mode === 'ws.send') {
          // The gate before: the copy out of the ring, then ws.send.
          const buf = Buffer.allocUnsafe(len);
          ring.copy(buf, 0, at, at + len);
          ws.send(buf, { binary: true });
        } else {
          // The gate now: the copy with headroom, the header in front, one write.
          const buf = Buffer.allocUnsafe(MAX_HEADER_BYTES + len);
          ring.copy(buf, MAX_HEADER_BYTES, at, at + len);
          sendBinaryFrame(ws, buf, MAX_HEADER_BYTES);
        }
        bytes += len;
      }
      frames += sockets.length;
      perRound.push(cpuUs(process.threadCpuUsage(before)) / sockets.length);
      const spent = performance.now() - roundStart;
      if (spent > periodMs) late++;
      const wait = t0 + (r + 1) * periodMs - performance.now();
      if (wait > 0) await sleep(wait);
      else await new Promise((resolve) => setImmediate(resolve));
    }
    const total = cpuUs(process.cpuUsage(start));
    const thread = cpuUs(process.threadCpuUsage(startThread));
    sentMessages += frames;
    sentBytes += bytes;
    return {
      mode,
      rounds: roundsPerBlock,
      frames,
      meanFrameBytes: round(bytes / frames, 1),
      loopUsPerFrame: { median: round(median(perRound), 2), p99: round(quantile(perRound, 0.99), 2) },
      processUsPerFrame: round(total / frames, 2),
      threadUsPerFrame: round(thread / frames, 2),
      lateRounds: late,
    };
  };

  // One block of each to warm up (JIT, socket buffers), not recorded.
  await block('ws.send');
  await block('one-write');
  const before = await probe.sample();
  const blocks: BlockResult[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always follows the other.
    const order: Mode[] = i % 2 === 0 ? ['ws.send', 'one-write'] : ['one-write', 'ws.send'];
    for (const mode of order) {
      const b = await block(mode);
      blocks.push(b);
      console.log(`${mode.padEnd(9)} loop ${b.loopUsPerFrame.median} µs/frame (p99 ${b.loopUsPerFrame.p99}), thread ${b.threadUsPerFrame}, process ${b.processUsPerFrame} µs/frame, late rounds ${b.lateRounds}`);
    }
  }
  const final = await drained(child, sentMessages);
  const after = await probe.sample();
  machine.finish();
  child.send('exit');
  for (const ws of sockets) ws.terminate();
  wss.close();
  http.close();

  if (final.errors > 0 || final.messages !== sentMessages || final.bytes !== sentBytes) {
    throw new Error(`clients decoded ${final.messages} messages / ${final.bytes} bytes (${final.errors} errors), ${sentMessages} / ${sentBytes} sent`);
  }
  const of = (mode: Mode) => blocks.filter((b) => b.mode === mode);
  const ratios = (pick: (b: BlockResult) => number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      const pair = blocks.slice(2 * i, 2 * i + 2);
      const a = pair.find((b) => b.mode === 'ws.send')!;
      const b = pair.find((b) => b.mode === 'one-write')!;
      out.push(round(pick(b) / pick(a), 3));
    }
    return out;
  };
  const loopRatios = ratios((b) => b.loopUsPerFrame.median);
  const processRatios = ratios((b) => b.processUsPerFrame);
  const threadRatios = ratios((b) => b.threadUsPerFrame);
  const summaryOf = (mode: Mode) => ({
    loopUsPerFrameMedian: round(median(of(mode).map((b) => b.loopUsPerFrame.median)), 2),
    loopUsPerFrameP99: round(median(of(mode).map((b) => b.loopUsPerFrame.p99)), 2),
    processUsPerFrame: round(median(of(mode).map((b) => b.processUsPerFrame)), 2),
    threadUsPerFrame: round(median(of(mode).map((b) => b.threadUsPerFrame)), 2),
  });
  const results = {
    machine,
    load: stepLoad(before, after),
    setup: `${clients} ws clients in a child process over loopback, the gate's WebSocketServer (no deflate); one frame per client per round at ${roundHz} Hz, ${MIN_FRAME}-${MAX_FRAME} bytes uniform, copied out of a stand-in ring; ${runs} blocks of ${blockSeconds} s per mode, alternating, after one warm-up block each; CPU by process.threadCpuUsage (the send loop, per round; the main thread per block) and process.cpuUsage (per block), user + system`,
    summary: {
      'ws.send': summaryOf('ws.send'),
      'one-write': summaryOf('one-write'),
      ratioOneWriteToWsSend: {
        loopMedian: round(median(loopRatios), 3),
        loopPerPair: loopRatios,
        processMedian: round(median(processRatios), 3),
        processPerPair: processRatios,
        threadMedian: round(median(threadRatios), 3),
        threadPerPair: threadRatios,
      },
    },
    blocks,
    clientsDecoded: final,
  };
  console.log(JSON.stringify(results.summary, null, 2));
  console.log(JSON.stringify(results.load));
  writeResults('ws-frame', machine.date, results);
}

if (process.argv[2] === '--client-process') {
  runClients(process.argv[3], Number(process.argv[4]));
} else {
  await main();
}
