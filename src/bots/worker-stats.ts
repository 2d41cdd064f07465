import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { createLatencyHistogram, encodeHistogram, type LatencyHistogram } from './latency.ts';
import type { IntervalStats } from './messages.ts';

function bump(m: Record<string, number>, key: string, by = 1): void {
  m[key] = (m[key] ?? 0) + by;
}

/**
 * One worker's counters and histograms since its last report. The bots bump
 * plain fields (no allocation per message); drain() encodes and resets.
 */
export class WorkerStats {
  welcomed = 0;
  failed: Record<string, number> = {};
  disconnects: Record<string, number> = {};
  errors: Record<string, number> = {};
  snapshots = 0;
  zoneChanges = 0;
  notices: Record<string, number> = {};
  /** What fighting bots did and saw (fight.ts): actions sent, kills, experience, deaths, refusals by reason. */
  combat: Record<string, number> = {};
  quests: Record<string, number> = {};
  items: Record<string, number> = {};
  framesIn = 0;
  bytesIn = 0;
  framesOut = 0;
  bytesOut = 0;
  readonly ping: LatencyHistogram = createLatencyHistogram();
  readonly input: LatencyHistogram = createLatencyHistogram();
  readonly gap: LatencyHistogram = createLatencyHistogram();
  readonly join: LatencyHistogram = createLatencyHistogram();
  private readonly loop: ReturnType<typeof monitorEventLoopDelay> = monitorEventLoopDelay({ resolution: 1 });
  private elu: EventLoopUtilization = performance.eventLoopUtilization();
  private cpu: NodeJS.CpuUsage = process.threadCpuUsage();

  constructor() {
    this.loop.enable();
  }

  fail(reason: string): void {
    bump(this.failed, reason);
  }

  disconnect(reason: string): void {
    bump(this.disconnects, reason);
  }

  error(reason: string): void {
    bump(this.errors, reason);
  }

  notice(name: string): void {
    bump(this.notices, name);
  }

  /** Counts a fighting bot's doing (an arrow: bots pass it around). */
  readonly combatCount = (name: string, by = 1): void => {
    bump(this.combat, name, by);
  };

  /** Counts a quester's doing (quester.ts). */
  readonly questCount = (name: string, by = 1): void => {
    bump(this.quests, name, by);
  };

  /** Counts a looter's doing (looter.ts). */
  readonly itemCount = (name: string, by = 1): void => {
    bump(this.items, name, by);
  };

  /** This interval's figures; resets every counter and histogram. */
  drain(worker: number, open: number, connecting: number): IntervalStats {
    const now = performance.eventLoopUtilization();
    const elu = performance.eventLoopUtilization(now, this.elu);
    this.elu = now;
    const cpu = process.threadCpuUsage(this.cpu);
    this.cpu = process.threadCpuUsage();
    const s: IntervalStats = {
      worker,
      open,
      connecting,
      welcomed: this.welcomed,
      failed: this.failed,
      disconnects: this.disconnects,
      errors: this.errors,
      snapshots: this.snapshots,
      zoneChanges: this.zoneChanges,
      notices: this.notices,
      combat: this.combat,
      quests: this.quests,
      items: this.items,
      framesIn: this.framesIn,
      bytesIn: this.bytesIn,
      framesOut: this.framesOut,
      bytesOut: this.bytesOut,
      ping: encodeHistogram(this.ping),
      input: encodeHistogram(this.input),
      gap: encodeHistogram(this.gap),
      join: encodeHistogram(this.join),
      loopDelayP99: this.loop.count > 0 ? this.loop.percentile(99) / 1e6 : 0,
      loopUtilisation: elu.utilization,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
    this.welcomed = 0;
    this.failed = {};
    this.disconnects = {};
    this.errors = {};
    this.notices = {};
    this.combat = {};
    this.quests = {};
    this.items = {};
    this.zoneChanges = 0;
    this.snapshots = this.framesIn = this.bytesIn = this.framesOut = this.bytesOut = 0;
    this.ping.reset();
    this.input.reset();
    this.gap.reset();
    this.join.reset();
    this.loop.reset();
    return s;
  }
}
