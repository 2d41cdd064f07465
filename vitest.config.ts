import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that load the box on their own: a headless Chromium, a fleet of
 * bots, a flood, a fuzz run or a soak. They run one at a time, after the
 * rest, so that what they measure or wait for is not starved by a
 * neighbour. A new test of that kind belongs here (by path or by name).
 * Not of that kind, and so with the rest (CPU time, user+sys with vitest's
 * own, against wall time, measured alone): test/e2e/default-world.test.ts
 * (two guests walking and fighting: 14 s in 69 s), and the two questing
 * bots of test/bots/bots-quest-e2e.test.ts (31 s in 83 s) and
 * bots-loot-e2e.test.ts (35 s in 121 s, on a loaded box); they wait on
 * game time. Nor test/e2e/anticheat.test.ts (54 s in 194 s) and
 * test/e2e/cell-faults-process.test.ts (15 s in 34 s), which passed on a
 * box at load 11-14.
 */
const ALONE = [
  'test/web/client/browser-*.test.ts',
  'test/e2e/account-page.test.ts',
  'test/e2e/admin-console.test.ts',
  'test/e2e/admin-console-items.test.ts',
  'test/e2e/gate-flood.test.ts',
  'test/bots/bots-e2e.test.ts',
  'test/bots/bots-fight-e2e.test.ts',
  'test/bench/*e2e*.test.ts',
  'test/bots/fleet.test.ts',
  'test/bots/bot-zone-change.test.ts',
  'test/bots/fuzz/run.test.ts',
  'test/workers/handoff-stress.test.ts',
  'test/bots/soak/soak.test.ts',
];

/**
 * The longest files of the 'shared' project, longest first (CI durations).
 * They start first, so that two workers end together instead of one of them
 * running a three-minute file after the rest are done. A fresh CI checkout
 * has no vitest cache to order by; locally the cache orders the others.
 */
const LONG_FIRST = [
  'test/bots/bots-quest-e2e.test.ts',
  'test/e2e/default-world.test.ts',
  'test/main/zones/supervisor.test.ts',
  'test/e2e/quests.test.ts',
  'test/e2e/quest-xp-durable-process.test.ts',
  'test/bots/bots-loot-e2e.test.ts',
  'test/e2e/anticheat.test.ts',
  'test/e2e/items.test.ts',
  'test/main/gate/zone-change-e2e.test.ts',
  'test/integration/persistence-crash.test.ts',
  'test/e2e/account-play-embedded.test.ts',
  'test/e2e/xp-durable-process.test.ts',
  'test/integration/prometheus.test.ts',
  'test/main/admin/admin-cli.test.ts',
  'test/integration/items-crash.test.ts',
];

class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = LONG_FIRST.findIndex((p) => f.moduleId.endsWith(p));
      return i < 0 ? LONG_FIRST.length : i;
    };
    // Stable: the groups stay in their order, and the unlisted files in the base order.
    return sorted.sort((a, b) => a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder || rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    // Worker-thread and end-to-end tests start real servers: forks keep
    // them apart, and the timeouts give them room on a noisy 2-core box.
    pool: 'forks',
    // Before any test starts a thread: shared/wasm-wrappers.ts says why.
    setupFiles: ['test/helpers/wasm-wrappers-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    sequence: { sequencer: LongFirstSequencer },
    projects: [
      {
        extends: true,
        // Three files at a time on two cores: most of them wait on servers,
        // databases and timers rather than on the CPU (run alone, this
        // project used 1.65 cores on average this way, and took 492 s
        // against about 600 s with two at a time; in CI about 525 s).
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ALONE, maxWorkers: 3, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
