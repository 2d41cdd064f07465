/**
 * Cooldown and cast arithmetic over server ticks (pure, tested in Node).
 * The self record gives each skill the zone tick it is ready again; the
 * replicated cast fields give the low 16 bits of the tick a cast ends at
 * and its length in ticks.
 */

/** What a hotbar button shows of a cooldown. */
export interface CooldownView {
  /** Share of the cooldown still to run, 1 (just used) .. 0 (ready). */
  left: number;
  /** Seconds still to run (0: ready). */
  seconds: number;
}

/**
 * The cooldown of a skill ready at `readyTick` (0: never used) with a
 * cooldown of `cooldownMs`, at fractional server tick `tick`.
 */
export function cooldownAt(readyTick: number, cooldownMs: number, tick: number, tickHz: number, out: CooldownView): CooldownView {
  const ticksLeft = readyTick - tick;
  if (readyTick === 0 || ticksLeft <= 0) {
    out.left = 0;
    out.seconds = 0;
    return out;
  }
  const total = (cooldownMs / 1000) * tickHz;
  out.left = total > 0 ? Math.min(1, ticksLeft / total) : 1;
  out.seconds = ticksLeft / tickHz;
  return out;
}

/** A short label for seconds left: "12", "3", "0.4" (under a second: tenths); '' when ready. */
export function cooldownLabel(seconds: number): string {
  if (seconds <= 0) return '';
  if (seconds < 1) return seconds.toFixed(1);
  if (seconds < 60) return String(Math.ceil(seconds));
  return `${Math.ceil(seconds / 60)}m`;
}

/**
 * The full tick a cast ends at, from the low 16 bits the wire carries: the
 * first tick from `snapshotTick` on (the snapshot that said so) with those
 * bits (docs/protocol.md, castEnd).
 */
export function castEndTick(castEnd16: number, snapshotTick: number): number {
  let end = snapshotTick - (snapshotTick % 0x10000) + (castEnd16 & 0xffff);
  if (end < snapshotTick) end += 0x10000;
  return end;
}

/** Progress of a cast (0..1) at fractional tick `tick`; 0 for none. */
export function castProgress(castSkill: number, castEnd16: number, castTicks: number, snapshotTick: number, tick: number): number {
  if (castSkill === 0 || castTicks <= 0) return 0;
  const end = castEndTick(castEnd16, snapshotTick);
  const p = 1 - (end - tick) / castTicks;
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
