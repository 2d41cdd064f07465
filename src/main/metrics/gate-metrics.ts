/**
 * What the gate reports as it works. The metrics module implements it with
 * prom-client; the default does nothing, so the gate runs without metrics.
 * Message types are protocol names ('hello', 'input', 'snapshot', ...).
 */
export interface GateMetrics {
  connectionOpened(): void;
  connectionClosed(code: number): void;
  handshake(result: 'ok' | 'bad_version' | 'auth_failed' | 'full' | 'timeout' | 'error' | 'unavailable'): void;
  messageIn(type: string, bytes: number): void;
  messageOut(type: string, bytes: number): void;
  /** A snapshot not sent because the client's send buffer was over the bound. */
  backpressureSkip(): void;
  /** A connection closed for staying over the bound too long. */
  backpressureKick(): void;
}

export const noGateMetrics: GateMetrics = {
  connectionOpened() {},
  connectionClosed() {},
  handshake() {},
  messageIn() {},
  messageOut() {},
  backpressureSkip() {},
  backpressureKick() {},
};
