import type { Connection } from './connection.ts';

/**
 * What the gate tells the anti-cheat of its own refusals (main/anticheat/,
 * which sits above the gate and plugs itself in: start-tessera.ts): a frame
 * the decoder refused, and a connection over its message or byte rate. The
 * gate has closed the connection already; the anti-cheat counts it by check
 * and weighs it toward a ban across reconnects.
 */
export interface GateViolations {
  malformed(c: Connection): void;
  flood(c: Connection): void;
}

/** No anti-cheat: the gate's refusals are counted in its own metrics only. */
export const NO_VIOLATIONS: GateViolations = { malformed() {}, flood() {} };
