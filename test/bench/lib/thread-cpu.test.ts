import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { readProcessThreads, windowCpu, windowCpuLine, type ProcessThreads } from '../../../bench/lib/thread-cpu.ts';

function threads(pid: number, at: number, list: [number, string, number, number][]): ProcessThreads {
  return { pid, at, threads: new Map(list.map(([tid, comm, user, system]) => [tid, { comm, userSeconds: user, systemSeconds: system }])) };
}

describe('windowCpu', () => {
  it('splits the server by role (its main thread, its cells, the rest) and counts a thread that started in the window from zero', () => {
    const a = threads(100, 1_000, [
      [100, 'node', 10, 4],
      [101, 'zone1-cell0', 20, 0],
      [102, 'zone1-cell1', 20, 0],
      [103, 'pglite', 5, 1],
    ]);
    const b = threads(100, 11_000, [
      [100, 'node', 13, 6.5],
      [101, 'zone1-cell0', 21.5, 0],
      [102, 'zone1-cell1', 21, 0.1],
      [103, 'pglite', 5.1, 1],
      [104, 'cell-spare-1', 0.5, 0],
      [105, 'V8Worker', 0.2, 0],
    ]);
    const c = windowCpu(a, b, { userCores: 0.66, kernelCores: 0.24 });
    expect(c.coordinator).toEqual({ userCores: 0.3, kernelCores: 0.25 });
    expect(c.cells).toEqual({ userCores: 0.3, kernelCores: 0.01, threads: 3 });
    expect(c.serverOther).toEqual({ userCores: 0.03, kernelCores: 0 });
    expect(c.bots).toEqual({ userCores: 0.66, kernelCores: 0.24 });
    expect(windowCpuLine(c)).toBe('coordinator 0.30 + 0.25 kernel, cells 0.30 + 0.01 kernel (3 threads), other server threads 0.03 + 0.00 kernel, bots 0.66 + 0.24 kernel');
  });

  it('gives zeros for an empty window rather than dividing by it', () => {
    const a = threads(1, 5_000, [[1, 'node', 1, 1]]);
    const c = windowCpu(a, a, { userCores: 0, kernelCores: 0 });
    expect(c.coordinator).toEqual({ userCores: 0, kernelCores: 0 });
  });
});

describe.runIf(process.platform === 'linux')('readProcessThreads on a real process', () => {
  it('finds a busy cell-named worker thread among this process\'s threads, and its CPU in the window', async () => {
    // A thread named as the server names a cell, spinning for 400 ms of CPU once told to; its port's listener keeps it alive after.
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', () => { const end = process.threadCpuUsage().user + 400_000; while (process.threadCpuUsage().user < end); parentPort.postMessage('done'); });`,
      { eval: true, name: 'zone7-cell3' },
    );
    try {
      await new Promise((resolve) => worker.once('online', resolve));
      const a = await readProcessThreads(process.pid);
      expect(a).not.toBeNull();
      const done = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('go');
      await done;
      const b = await readProcessThreads(process.pid);
      const names = [...b!.threads.values()].map((t) => t.comm);
      expect(names).toContain('zone7-cell3');
      const c = windowCpu(a!, b!, { userCores: 0, kernelCores: 0 });
      expect(c.cells.threads).toBe(1);
      // 0.4 s of CPU in a window at least that long: the cell's share is above zero and at most one core.
      const cellSeconds = (c.cells.userCores + c.cells.kernelCores) * ((b!.at - a!.at) / 1000);
      expect(cellSeconds).toBeGreaterThan(0.3);
      expect(c.cells.userCores).toBeLessThanOrEqual(1.05);
    } finally {
      await worker.terminate();
    }
  });

  it('answers null for a process that does not exist', async () => {
    expect(await readProcessThreads(2 ** 22 + 12345)).toBeNull();
  });
});
