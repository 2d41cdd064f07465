/**
 * Issue 14's "no collapse": past the largest count a server holds, its
 * lagging clients must get fewer frames, not bigger ones. Before the
 * pacing, a missed step sent full snapshots instead of deltas (the
 * average frame grew from 123 to 478 bytes), which cost both sides more
 * CPU and so made the lag worse. The check: at the first step a sweep
 * missed, what each player received a second (the bots' bytes in,
 * WebSocket headers included) is at most COLLAPSE_LIMIT times what it
 * received at the last step held. On the load bench's world more players
 * are also more entities in each view (about 18 at 1,000, 26 at 1,500), which
 * alone makes 1.5 times the bytes; so the verdict is on the bytes per
 * entity in view, and the line gives both ratios.
 */

/** The most a missed step's bytes per player may be, as a multiple of the last held step's. */
export const COLLAPSE_LIMIT = 1.5;

/** What the check reads from a sweep's steps, in the order they ran. */
export interface CollapseStep {
  players: number;
  held: boolean;
  bytesInPerSecondPerBot: number | null;
  entitiesInView: number | null;
}

export interface CollapseCheck {
  heldPlayers: number;
  missedPlayers: number;
  /** Bytes a second each bot received at the last step held, and at the first step missed. */
  heldBytesPerSecond: number;
  missedBytesPerSecond: number;
  /** Entities in each view at the two steps (null when not measured). */
  heldInView: number | null;
  missedInView: number | null;
  /** Bytes, missed ÷ held. */
  ratio: number;
  /** Bytes per entity in view, missed ÷ held (null without both views). */
  perEntityRatio: number | null;
  /** The per-entity ratio (the bytes' without it) is at most COLLAPSE_LIMIT. */
  withinLimit: boolean;
}

/**
 * The check over one sweep, or null when it cannot be made: no step was
 * missed, the first step was, or either step has no byte count.
 */
export function collapseCheck(steps: readonly CollapseStep[]): CollapseCheck | null {
  const miss = steps.findIndex((s) => !s.held);
  if (miss <= 0) return null;
  const held = steps[miss - 1];
  const missed = steps[miss];
  const h = held.bytesInPerSecondPerBot;
  const m = missed.bytesInPerSecondPerBot;
  if (h === null || m === null || !(h > 0) || !Number.isFinite(m)) return null;
  const ratio = m / h;
  const vh = held.entitiesInView;
  const vm = missed.entitiesInView;
  const perEntity = vh !== null && vm !== null && vh > 0 && vm > 0 ? m / vm / (h / vh) : null;
  return {
    heldPlayers: held.players,
    missedPlayers: missed.players,
    heldBytesPerSecond: h,
    missedBytesPerSecond: m,
    heldInView: vh,
    missedInView: vm,
    ratio: round2(ratio),
    perEntityRatio: perEntity === null ? null : round2(perEntity),
    withinLimit: (perEntity ?? ratio) <= COLLAPSE_LIMIT,
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** One line for the results: the two steps, their bytes a second per player, the ratio and the verdict. */
export function collapseLine(c: CollapseCheck | null): string {
  if (c === null) return 'No collapse check: no step was missed after a step held.';
  const got = (b: number, inView: number | null): string => `${(b / 1024).toFixed(2)} KB/s${inView === null ? '' : ` with ${inView.toFixed(1)} in view`}`;
  const perEntity = c.perEntityRatio === null ? '' : `, ${c.perEntityRatio}× per entity in view`;
  return (
    `${c.withinLimit ? 'No collapse' : '**Collapse**'}: at ${c.missedPlayers} players (missed) each player received ${got(c.missedBytesPerSecond, c.missedInView)}, ` +
    `against ${got(c.heldBytesPerSecond, c.heldInView)} at ${c.heldPlayers} (held): ${c.ratio}× the bytes${perEntity} (at most ${COLLAPSE_LIMIT}×).`
  );
}
