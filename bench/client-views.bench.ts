/**
 * Client view benchmark (`npm run bench:client-views`): what applying a
 * snapshot costs a bot worker, where a thousand bots' views take turns and
 * none of them is in the CPU's caches when its next snapshot comes, against
 * one view applying the same frames back to back (all of it cached).
 *
 * The frames are a real stream: IN_VIEW (30) entities in view (as the load
 * bench's 2,000 players have about 30), 9 in 10 of them moving each tick,
 * one entering and one leaving every CHURN (10) ticks, and the player's own record (stats,
 * skills, auras) sent when it changed, every 20th tick, as the server sends
 * it; each is a delta against the tick `LAG` before it, as a bot whose acks
 * are that far behind gets. Every view applies every frame, in order.
 *
 * Per apply: median and p99 over RUNS runs of the time per apply, for
 * VIEWS views in turn and for one; the ratio of the two is what the cold
 * state costs. Writes bench/results/client-views-<date>.json.
 */
import { ClientView } from '../src/protocol/client-view.ts';
import { Limits } from '../src/protocol/opcodes.ts';
import { SelfState, writeSelf } from '../src/protocol/self-state.ts';
import { encodeSnapshotEntities, maxSnapshotBytes } from '../src/protocol/snapshot-codec.ts';
import { writeNoEvents } from '../src/protocol/snapshot-events.ts';
import { writeNoChat } from '../src/protocol/chat-lines.ts';
import { ViewTable } from '../src/protocol/view-table.ts';
import { Writer } from '../src/protocol/writer.ts';
import { machine as machineNow, round, summary, writeResults } from './lib/stats.ts';

const VIEWS = Number(process.env.VIEWS ?? 1000);
const RUNS = Number(process.env.RUNS ?? 5);
const FRAMES = 200;
const LAG = Number(process.env.LAG ?? 4);
const IN_VIEW = Number(process.env.IN_VIEW ?? 30);
/** Ticks between one entity entering (and one leaving) and the next. */
const CHURN = Number(process.env.CHURN ?? 10);
for (const [name, v] of Object.entries({ VIEWS, RUNS, LAG, IN_VIEW, CHURN })) {
  if (!(Number.isInteger(v) && v >= 1)) throw new Error(`${name} must be a whole number of at least 1, got ${process.env[name]}`);
}

/** The view at `tick`: IN_VIEW entities, ids shifting by one every CHURN ticks, 9 in 10 of them moving. */
function stateAt(tick: number, t: ViewTable): ViewTable {
  const first = Math.floor(tick / CHURN);
  t.ensure(IN_VIEW);
  for (let i = 0; i < IN_VIEW; i++) {
    const k = first + i;
    t.ids[i] = k * 3 + 1;
    t.kind[i] = k % 7 === 0 ? 1 : 2;
    t.template[i] = k % 13;
    t.x[i] = 1000 + ((k * 37 + (i % 10 === 0 ? 0 : tick * ((k % 5) - 2))) & 0x3fff);
    t.y[i] = 2000 + ((k * 11 + (i % 10 === 0 ? 0 : tick * ((k % 3) - 1))) & 0x3fff);
    t.hp[i] = 50 - (k % 9 === 0 ? tick % 20 : 0);
    t.maxHp[i] = 50;
    t.level[i] = 1 + (k % 4);
    t.flags[i] = i % 10 === 0 ? 0 : 1;
  }
  t.count = IN_VIEW;
  t.tick = tick;
  return t;
}

function selfAt(tick: number, s: SelfState): SelfState {
  const era = Math.floor(tick / 20);
  s.actionSeq = era;
  s.resource = era % 3;
  s.xp = 1000 + era * 7;
  s.xpLevel = 900;
  s.xpNext = 2000;
  for (let i = 0; i < s.stats.length; i++) s.stats[i] = 10 + i + (era % 3);
  s.skillCount = 4;
  for (let i = 0; i < 4; i++) {
    s.skills[i] = i + 1;
    s.readyTick[i] = era * 20 + i;
  }
  s.auraCount = 2;
  for (let i = 0; i < 2; i++) {
    s.auraSkill[i] = 7 + i;
    s.auraKind[i] = 1;
    s.auraEnd[i] = era * 20 + 40;
    s.auraStacks[i] = 1;
  }
  return s;
}

/** The stream: a full snapshot at tick 1, then deltas against the tick LAG before (or the full one). */
function frames(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const w = new Writer();
  const buf = new Uint8Array(maxSnapshotBytes(Limits.maxViewEntities));
  const base = new ViewTable(64);
  const cur = new ViewTable(64);
  const self = new SelfState();
  for (let tick = 1; tick <= FRAMES; tick++) {
    const baseTick = tick === 1 ? 0 : Math.max(1, tick - LAG);
    w.reset(buf);
    encodeSnapshotEntities(w, tick, baseTick === 0 ? null : stateAt(baseTick, base), stateAt(tick, cur), tick, 1);
    writeNoEvents(w);
    // The self record when it differs from the baseline's: always in the full one, then when its era changes.
    const changed = baseTick === 0 || Math.floor(baseTick / 20) !== Math.floor(tick / 20);
    w.u8(changed ? 1 : 0);
    if (changed) writeSelf(w, selfAt(tick, self));
    writeNoChat(w);
    out.push(buf.slice(0, w.length));
  }
  return out;
}

/** ns per apply over every frame after the first, each applied to every view in turn. */
function run(views: ClientView[], stream: Uint8Array[]): number {
  for (const v of views) {
    v.reset();
    v.apply(stream[0]);
  }
  const t0 = performance.now();
  for (let f = 1; f < stream.length; f++) {
    const frame = stream[f];
    for (let i = 0; i < views.length; i++) views[i].apply(frame);
  }
  return ((performance.now() - t0) * 1e6) / ((stream.length - 1) * views.length);
}

function main(): void {
  const m = machineNow();
  const stream = frames();
  const many = Array.from({ length: VIEWS }, () => new ClientView());
  const one = [new ClientView()];
  // Warm-up: both paths compiled before anything is timed.
  run(many, stream);
  for (let i = 0; i < 20; i++) run(one, stream);
  const cold: number[] = [];
  const hot: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    cold.push(run(many, stream));
    // As many applies for one view as for the many, in runs of the same stream.
    let sum = 0;
    const reps = Math.max(1, Math.round(VIEWS / 10));
    for (let i = 0; i < reps; i++) sum += run(one, stream);
    hot.push(sum / reps);
    console.log(`run ${r + 1}: ${round(cold[r], 0)} ns per apply with ${VIEWS} views in turn, ${round(hot[r], 0)} ns with one`);
  }
  m.finish();
  const ratio = cold.map((c, i) => c / hot[i]);
  const results = {
    machine: m,
    setup: { views: VIEWS, framesPerRun: FRAMES, inView: IN_VIEW, churnTicks: CHURN, ackLagTicks: LAG, runs: RUNS, note: `ClientView.apply of real deltas (${IN_VIEW} in view, one entering and one leaving every ${CHURN} ticks, self record every 20th tick), every view applies every frame, views in turn` },
    nsPerApply: { views: summary(cold, 0), one: summary(hot, 0), ratio: summary(ratio, 2) },
  };
  console.log(`\nClientView.apply, ${VIEWS} views in turn: median ${results.nsPerApply.views.median} ns (p99 ${results.nsPerApply.views.p99}); one view: ${results.nsPerApply.one.median} ns; ratio ${results.nsPerApply.ratio.median} (${RUNS} runs)`);
  writeResults('client-views', m.date, results);
}

main();
