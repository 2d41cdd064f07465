import type { Logger } from '../log.ts';
import type { CellHost } from './cell-hosts.ts';
import type { CellHealth, ZoneHandle } from './zone-handle.ts';

/** What the watch acts through: the supervisor's zones, health reports and kill. */
export interface WatchedZones {
  readonly zones: readonly ZoneHandle[];
  setHealth(zone: ZoneHandle, cell: number, health: CellHealth): void;
  /** Terminates a cell (its peers are released by the broken barrier). */
  kill(zone: ZoneHandle, cell: number, why: string, stalledSince: number): void;
}

/**
 * Samples every ticking cell each `sampleMs`: its heartbeat, whether it is
 * inside a tick and, only while its heartbeat stands still inside a tick,
 * its thread's CPU time (Worker.cpuUsage(), answered by the thread's clock
 * even while the thread loops); each cell's stall detector
 * (stall-detector.ts) gives the verdict: reported stuck, back to running,
 * or terminated as looping or hung.
 */
export class StallWatch {
  private readonly log: Logger;
  private readonly watched: WatchedZones;
  private readonly sampleMs: number;
  private timer: NodeJS.Timeout | undefined;
  private sampling = false;

  constructor(log: Logger, watched: WatchedZones, sampleMs: number) {
    this.log = log;
    this.watched = watched;
    this.sampleMs = sampleMs;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.sample(), this.sampleMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round of samples (a round still waiting for CPU figures makes the next one skip). */
  async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const asked = new Map<CellHost, Promise<number | undefined>>();
      for (const zone of this.watched.zones) {
        for (let cell = 0; cell < zone.health.length; cell++) {
          if (!watching(zone.health[cell]) || !zone.detectors[cell].wantsCpu(zone.tickOf(cell), zone.inTick(cell))) continue;
          const host = zone.hosts[cell];
          asked.set(host, host.cpuMs().catch(() => undefined));
        }
      }
      const cpu = new Map<CellHost, number | undefined>();
      for (const [host, p] of asked) cpu.set(host, await p);
      const now = Date.now();
      for (const zone of this.watched.zones) {
        for (let cell = 0; cell < zone.health.length; cell++) this.judge(zone, cell, now, cpu.get(zone.hosts[cell]));
      }
    } finally {
      this.sampling = false;
    }
  }

  private judge(zone: ZoneHandle, cell: number, now: number, cpuMs: number | undefined): void {
    const h = zone.health[cell];
    if (!watching(h)) return;
    const d = zone.detectors[cell];
    const tick = zone.tickOf(cell);
    const inTick = zone.inTick(cell);
    const verdict = d.observe(now, tick, inTick, cpuMs);
    // Nothing to say (the common case, every 100 ms for every cell): nothing allocated.
    if ((verdict === 'running' && h === 'running') || (verdict === 'stuck' && h === 'stuck')) return;
    const at = { zone: zone.spec.name, cell, tick, inTick, stalledMs: d.stillMs(now), cpuInTickMs: Math.round(d.cpuInTickMs) };
    if (verdict === 'running') {
      this.log.warn(at, 'cell ticking again');
      this.watched.setHealth(zone, cell, 'running');
    } else if (verdict === 'stuck') {
      this.log.error(at, inTick ? 'cell stuck inside a tick' : 'cell stuck between ticks (late: slow or starved)');
      this.watched.setHealth(zone, cell, 'stuck');
    } else {
      const why = verdict === 'looping' ? `looping: ${at.cpuInTickMs} ms of CPU in one tick` : `no progress for ${at.stalledMs} ms`;
      this.log.error({ ...at, verdict }, `terminating a ${verdict} cell`);
      this.watched.kill(zone, cell, `stuck at tick ${tick} (${why})`, now - at.stalledMs);
    }
  }
}

/** Cells the watch judges: those that have ticked and not ended. */
function watching(h: CellHealth): boolean {
  return h === 'running' || h === 'stuck';
}
