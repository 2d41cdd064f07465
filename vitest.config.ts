import { defineConfig } from 'vitest/config';

/**
 * Files that load the box on their own: a headless Chromium, a fleet of
 * bots, a flood, a fuzz run or a soak. They run one at a time, after the
 * rest, so that what they measure or wait for is not starved by a
 * neighbour. A new test of that kind belongs here (by path or by name).
 */
const ALONE = [
  'test/web/client/browser-*.test.ts',
  'test/e2e/account-page.test.ts',
  'test/e2e/admin-console.test.ts',
  'test/e2e/admin-console-items.test.ts',
  'test/e2e/default-world.test.ts',
  'test/e2e/gate-flood.test.ts',
  'test/e2e/anticheat.test.ts',
  'test/e2e/cell-faults-process.test.ts',
  'test/bots/**/*e2e*.test.ts',
  'test/bench/*e2e*.test.ts',
  'test/bots/fleet.test.ts',
  'test/bots/bot-zone-change.test.ts',
  'test/bots/fuzz/run.test.ts',
  'test/workers/handoff-stress.test.ts',
  'test/bots/soak/soak.test.ts',
];

export default defineConfig({
  test: {
    // Worker-thread and end-to-end tests start real servers: forks keep
    // them apart, and the timeouts give them room on a noisy 2-core box.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        // Two files at a time: most of them wait on servers, databases and
        // timers rather than on the CPU.
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ALONE, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
