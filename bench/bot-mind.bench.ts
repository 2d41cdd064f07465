/**
 * Bot mind benchmark (`npm run bench:bots-mind`): what a playing bot's
 * mind costs its worker thread, on the default world's world book, with a
 * view of 60 entities (wolves, a few fighting the bot, ground items, other
 * players) in the Ashen Fields' wolf meadow:
 *
 * - observe: per snapshot (the events pass: fighter counters, looter kill spots), 5 events;
 * - decide, per input (10 a second): a `fight` bot with a looter; a quester
 *   hunting in the meadow (route, prey, the fighter on a wolf); a quester
 *   walking its A* route to Elder Maren with nothing to fight.
 *
 * Per call: median and p99 time over 5 runs, and bytes allocated per call
 * after warm-up (GC-free windows). Writes bench/results/bots-mind-<date>.json.
 */
import { newIntent } from '../src/bots/behavior.ts';
import { loadFightBook } from '../src/bots/fight-book.ts';
import { Mind } from '../src/bots/mind.ts';
import { Routes } from '../src/bots/routes.ts';
import { loadWorldBook } from '../src/bots/world-book.ts';
import { CombatEvent } from '../src/protocol/combat-codes.ts';
import { ClientView } from '../src/protocol/client-view.ts';
import { Limits } from '../src/protocol/opcodes.ts';
import { QuestAction, QuestRefusal, QuestState } from '../src/protocol/quest-codes.ts';
import { SelfState } from '../src/protocol/self-state.ts';
import { EntityKind } from '../src/shared/layout.ts';
import { mulberry32 } from '../src/shared/random.ts';
import { allocatedBytes, machine as machineNow, quantile, round, writeResults } from './lib/stats.ts';

const RUNS = 5;
const CALLS = 20_000;
const ME = 10;
const book = loadWorldBook('data')!;
const fightBook = loadFightBook('data');
const routes = new Routes(book.zones);
const wolf = fightBook.hostile.findIndex((_h, i) => book.zones[1].spawnAreas.some((a) => a.template === i && a.x === 10));

/** A view of the meadow: the bot at (20, 20), 30 wolves (3 on the bot), 10 ground items, 19 players. */
function meadow(tick: number, x = 20, y = 20): ClientView {
  const v = new ClientView(4);
  const t = v.current;
  t.ensure(60);
  t.count = 60;
  t.tick = tick;
  const rnd = mulberry32(5);
  for (let i = 0; i < 60; i++) {
    const id = ME + i;
    t.ids[i] = id;
    t.kind[i] = i === 0 ? EntityKind.PLAYER : i <= 30 ? EntityKind.NPC : i <= 40 ? EntityKind.ITEM : EntityKind.PLAYER;
    t.template[i] = i === 0 ? 0 : i <= 30 ? wolf : i <= 40 ? 1 : 0;
    t.x[i] = (i === 0 ? x : 12 + rnd() * 20) * Limits.positionScale;
    t.y[i] = (i === 0 ? y : 12 + rnd() * 20) * Limits.positionScale;
    t.hp[i] = 80;
    t.maxHp[i] = 100;
    t.level[i] = 2;
    t.target[i] = i >= 1 && i <= 3 ? ME : 0;
  }
  v.header.you = ME;
  v.header.tick = tick;
  v.self = new SelfState();
  v.events.push(CombatEvent.DAMAGE, 0, ME + 1, ME, 0, 4);
  v.events.push(CombatEvent.DAMAGE, 0, ME, ME + 1, 0, 7);
  v.events.push(CombatEvent.DEATH, 0, ME, ME + 2, 0, 0);
  v.events.push(CombatEvent.EXPERIENCE, 0, ME + 2, ME, 0, 30);
  v.events.push(CombatEvent.LOOT, 0, ME + 2, ME, 1, 1);
  return v;
}

function mind(behavior: 'fight' | 'quest'): Mind {
  const none = (): void => {};
  return new Mind({ behavior, index: 0, fightBook, world: book, routes, classId: 1, combat: none, quests: none, items: none, send: none });
}

/** Times `fn` CALLS times per run; per-call µs (median over runs of the run's mean, p99 of the runs' means) and bytes per call. */
function measure(fn: (k: number) => void): { usPerCall: { median: number; max: number; perRun: number[] }; bytesPerCall: number } {
  for (let k = 0; k < CALLS; k++) fn(k);
  const perRun: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let k = 0; k < CALLS; k++) fn(k);
    perRun.push(round(((performance.now() - t0) * 1000) / CALLS, 3));
  }
  const bytes: number[] = [];
  for (let w = 0; w < 15; w++) {
    const b = allocatedBytes(() => {
      for (let k = 0; k < 500; k++) fn(k);
    });
    if (b !== null) bytes.push(b / 500);
  }
  return { usPerCall: { median: quantile(perRun, 0.5), max: Math.max(...perRun), perRun }, bytesPerCall: bytes.length > 0 ? round(quantile(bytes, 0.5), 1) : NaN };
}

const machine = machineNow();
const view = meadow(100);
const it = newIntent();
const rnd = mulberry32(9);
const pos = { x: 20, y: 20 };

const fighter = mind('fight');
fighter.onMessage({ op: 'inventory', full: true, gold: 0, items: [], removed: [], results: [] }, 0);
const hunter = mind('quest');
hunter.onZone('field');
hunter.onMessage({ op: 'questLog', full: true, entries: [] }, 0);
hunter.onMessage({ op: 'questResult', action: QuestAction.ACCEPT, quest: 0, reason: QuestRefusal.OK }, 0);
hunter.onMessage({ op: 'questLog', full: false, entries: [{ quest: 0, state: QuestState.ACTIVE, completions: 0, counts: [1] }] }, 0);
const walker = mind('quest');
walker.onZone('town');
walker.onMessage({ op: 'questLog', full: true, entries: [] }, 0);
const town = new ClientView(4);
town.current.ensure(1);
town.current.count = 1;
town.current.ids[0] = ME;
town.current.kind[0] = EntityKind.PLAYER;
town.current.x[0] = 28.5 * Limits.positionScale;
town.current.y[0] = 35.5 * Limits.positionScale;
town.current.hp[0] = town.current.maxHp[0] = 100;
town.current.level[0] = 1;
town.header.you = ME;
town.self = new SelfState();

const results = {
  machine,
  setup: `default world book; a view of 60 entities in the wolf meadow (30 wolves, 3 on the bot; 10 ground items; 5 events); ${RUNS} runs x ${CALLS} calls, µs per call is each run's mean`,
  observe: measure(() => fighter.observe(view, 1000)),
  decideFight: measure((k) => fighter.decide(1000 + k * 100, view, pos, it, rnd, 128, 96)),
  decideQuestHunting: measure((k) => hunter.decide(1000 + k * 100, view, pos, it, rnd, 128, 96)),
  decideQuestWalking: measure((k) => walker.decide(1000 + k * 100, town, { x: 28.5, y: 35.5 }, it, rnd, 64, 64)),
};
machine.finish();
console.log(JSON.stringify(results, null, 2));
writeResults('bots-mind', machine.date, results);
