/**
 * Browser client benchmark (`npm run bench:client`): what a frame costs the
 * client with about 250 entities in view, and the size of what the page
 * downloads. A real server on the default world (content compiled into a
 * temporary folder, the client built by the staleness check), 250 guest
 * bots (lean: they acknowledge without decoding) walking to random spots
 * around Emberwick's square (all in the
 * player's view, which the protocol caps at 256 entities), and the client
 * in headless Chromium at 1280×720 watching them for 10 s per run.
 *
 * Per frame: the main thread's work (the game's update, interpolation,
 * prediction, and PixiJS's render submission; from the first ticker callback
 * to the last) and the interval between frames. Chromium here renders WebGL
 * in software (SwiftShader) on a 2-core box shared with the server and the
 * bots, so the interval is this machine's worst case, not a GPU's; the work
 * figure is the client's own cost. Bundle: every file of the build,
 * raw and gzipped. Writes bench/results/client-<date>.json.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadConfig } from '../src/main/config.ts';
import { ensureClientBuild } from '../src/main/http/client-build.ts';
import { startTessera } from '../src/main/start-tessera.ts';
import { prepareWorld } from '../src/main/zones/content-world.ts';
import { mulberry32 } from '../src/shared/random.ts';
import type { DebugState, FrameStats } from '../web/client/src/debug-types.ts';
import { launchChromium } from '../test/helpers/chromium.ts';
import WebSocket from 'ws';
import { encodeAck, encodeHello, encodeInput } from '../src/protocol/encode.ts';
import { MoveKind, ServerOp } from '../src/protocol/opcodes.ts';
import { silentLog } from '../test/helpers/zone.ts';
import { machine as machineNow, quantile, round, writeResults } from './lib/stats.ts';

const BOTS = Number(process.env.BOTS ?? 250);
const RUNS = Number(process.env.RUNS ?? 3);
const WINDOW_MS = 10_000;

function bundle(dir: string): { files: number; bytes: number; gzipBytes: number; largest: { file: string; bytes: number; gzipBytes: number } } {
  const files = readdirSync(join(dir, 'assets')).map((f) => join('assets', f));
  files.push('index.html');
  let bytes = 0;
  let gzipBytes = 0;
  let largest = { file: '', bytes: 0, gzipBytes: 0 };
  for (const f of files) {
    const body = readFileSync(join(dir, f));
    const gz = gzipSync(body, { level: 9 }).length;
    bytes += statSync(join(dir, f)).size;
    gzipBytes += gz;
    if (body.length > largest.bytes) largest = { file: f, bytes: body.length, gzipBytes: gz };
  }
  return { files: files.length, bytes, gzipBytes, largest };
}

/**
 * A bot as lean as can be, so the box's cores go to the server and the
 * browser: it never decodes a snapshot, only acknowledges every second tick
 * (from the header) so the server keeps sending deltas, and walks where it
 * is told.
 */
class LeanBot {
  readonly ws: WebSocket;
  private seq = 0;
  private tick = 0;
  placed = false;

  constructor(url: string, name: string) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('open', () => this.ws.send(encodeHello(name)));
    this.ws.on('error', () => {});
    this.ws.on('message', (data: Buffer) => {
      if (data[0] !== ServerOp.SNAPSHOT) return;
      this.placed = true;
      this.tick = data.readUInt32LE(1);
      if (this.tick % 2 === 0) this.ws.send(encodeAck(this.tick));
    });
  }

  moveTo(x: number, y: number): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeInput({ seq: ++this.seq, ackTick: this.tick, move: MoveKind.DESTINATION, dx: 0, dy: 0, x, y }));
  }

  close(): void {
    this.ws.close();
  }
}

const stats = (xs: number[]) => ({ p50: round(quantile(xs, 0.5), 2), p95: round(quantile(xs, 0.95), 2), p99: round(quantile(xs, 0.99), 2), max: round(Math.max(...xs), 2), n: xs.length });

async function main(): Promise<void> {
  const m = machineNow();
  const build = mkdtempSync(join(tmpdir(), 'tessera-bench-client-'));
  const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1', SPAWN_SPREAD: '7', CONTENT_BUILD_DIR: build, MAX_PLAYERS: String(BOTS + 10) });
  const content = prepareWorld(cfg, silentLog);
  if (!content) throw new Error('data/world.json is missing');
  await ensureClientBuild(cfg.clientBuildDir, silentLog);
  const server = await startTessera(cfg, { log: silentLog, content, clientDir: cfg.clientBuildDir });
  const url = `ws://127.0.0.1:${server.port}/play`;
  const bots: LeanBot[] = [];
  const rnd = mulberry32(7);
  let walking: ReturnType<typeof setInterval> | undefined;
  const chromium = await launchChromium({ webgl: true, viewport: { width: 1280, height: 720 } });
  try {
    for (let i = 0; i < BOTS; i++) bots.push(new LeanBot(url, `bench${i}`));
    const joined = Date.now() + 30_000;
    while (bots.some((b) => !b.placed) && Date.now() < joined) await new Promise((r) => setTimeout(r, 100));
    // Guests spawn within SPAWN_SPREAD of the town's spawn: each walks to random spots within 6 units of it, one in ten every 200 ms.
    const spawn = content.zones.find((z) => z.name === 'town')!;
    const centre = { x: spawn.width / 2, y: spawn.height / 2 };
    const town = (await import('../src/content/pack/zone-pack.ts')).decodeZonePack(new Uint8Array(spawn.pack));
    centre.x = town.spawnPoints[0]?.x ?? centre.x;
    centre.y = town.spawnPoints[0]?.y ?? centre.y;
    walking = setInterval(() => {
      for (const b of bots) if (rnd() < 0.1) b.moveTo(centre.x + (rnd() - 0.5) * 12, centre.y + (rnd() - 0.5) * 12);
    }, 200);
    const page = await chromium.context.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/client/?guest=Watcher&debug=1`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const s = (await page.evaluate('window.__tessera?.state()').catch(() => undefined)) as DebugState | undefined;
      if (s && !s.loading && s.me && s.others.length >= Math.min(240, BOTS)) break;
      if (Date.now() > deadline) throw new Error(`the client never saw the bots: ${JSON.stringify(s && { others: s.others.length, loading: s.loading })}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const runs: { work: ReturnType<typeof stats>; update: ReturnType<typeof stats>; interval: ReturnType<typeof stats>; fps: number; entities: number }[] = [];
    const work: number[] = [];
    const update: number[] = [];
    const interval: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const f = (await page.evaluate(`window.__tessera.frames(${WINDOW_MS})`)) as FrameStats;
      work.push(...f.work);
      update.push(...f.update);
      interval.push(...f.interval);
      const run = { work: stats(f.work), update: stats(f.update), interval: stats(f.interval), fps: round(f.interval.length / (f.interval.reduce((a, b) => a + b, 0) / 1000), 1), entities: f.entities };
      runs.push(run);
      console.log(`run ${r + 1}: ${run.entities} others in view, work p50 ${run.work.p50} ms p95 ${run.work.p95} ms (update p50 ${run.update.p50} ms), interval p50 ${run.interval.p50} ms (${run.fps} fps)`);
    }
    m.finish();
    const results = {
      benchmark: 'client',
      machine: m,
      setup: { bots: BOTS, viewport: '1280x720', renderer: 'WebGL on SwiftShader (software), headless Chromium', windowMs: WINDOW_MS, runs: RUNS },
      frameWorkMs: stats(work),
      frameUpdateMs: stats(update),
      frameIntervalMs: stats(interval),
      runs,
      bundle: bundle(cfg.clientBuildDir),
    };
    console.log(JSON.stringify({ frameWorkMs: results.frameWorkMs, frameUpdateMs: results.frameUpdateMs, frameIntervalMs: results.frameIntervalMs, bundle: results.bundle }, null, 2));
    writeResults('client', m.date, results);
  } finally {
    if (walking) clearInterval(walking);
    for (const b of bots) b.close();
    await chromium.close();
    await server.close();
    rmSync(build, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
