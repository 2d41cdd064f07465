import type { Registry } from 'prom-client';
import { CloseCode } from '../../protocol/errors.ts';
import { ClientOp, ServerOp } from '../../protocol/opcodes.ts';
import {
  GATE_DROP_REASONS,
  GATE_REFUSALS,
  PORTAL_REFUSALS,
  RATE_LIMITS,
  RESUME_EVENTS,
  type GateDropReason,
  type GateMetrics,
  type GateRefusal,
  type PortalRefusal,
  type RateLimit,
  type ResumeEvent,
} from './gate-metrics.ts';
import { registerFamily, type Sample } from './family.ts';

type HandshakeResult = Parameters<GateMetrics['handshake']>[0];
const HANDSHAKE_RESULTS: HandshakeResult[] = ['ok', 'bad_version', 'auth_failed', 'full', 'timeout', 'error', 'unavailable', 'resume_refused', 'banned'];

/**
 * Close code → lower-case name, for the `reason` label: the protocol's
 * codes, and the two a peer never sends but the gate sees (RFC 6455): a
 * close frame without a code (1005), and a connection that ended without
 * one (1006: the client vanished, or the gate cut a socket that broke the
 * WebSocket framing).
 */
const CLOSE_REASONS = new Map<number, string>([
  ...Object.entries(CloseCode).map(([name, code]): [number, string] => [code, name.toLowerCase()]),
  [1005, 'no_status'],
  [1006, 'abnormal'],
]);

/** Per message type: messages and bytes. */
interface Traffic {
  messages: number;
  bytes: number;
}

/**
 * The gate's figures, kept as plain numbers and rendered at scrape time.
 *
 * The gate calls messageIn/messageOut for every frame (tens of thousands a
 * second at 2,000 players), so a call is one Map lookup and two additions;
 * prom-client's labelled inc() would hash the label set on every call.
 */
export class PromGateMetrics implements GateMetrics {
  connections = 0;
  backpressureSkips = 0;
  backpressureKicks = 0;
  readonly handshakes = new Map<string, number>();
  /** Keyed by close code; codes the protocol does not define count as 'other'. */
  readonly closes = new Map<string, number>();
  readonly trafficIn = new Map<string, Traffic>();
  readonly trafficOut = new Map<string, Traffic>();
  readonly drops = new Map<GateDropReason, number>(GATE_DROP_REASONS.map((r) => [r, 0]));
  /** Zone changes by `from` and `to`, keyed "from\0to" (zone names cannot hold a NUL). */
  readonly zoneChanges = new Map<string, number>();
  readonly portalRefusals = new Map<PortalRefusal, number>(PORTAL_REFUSALS.map((r) => [r, 0]));
  readonly refusals = new Map<GateRefusal, number>(GATE_REFUSALS.map((r) => [r, 0]));
  readonly rateLimits = new Map<RateLimit, number>(RATE_LIMITS.map((r) => [r, 0]));
  readonly resumes = new Map<ResumeEvent, number>(RESUME_EVENTS.map((e) => [e, 0]));
  private controlWaiting: () => number = () => 0;
  private detached: () => number = () => 0;

  constructor() {
    // Every known label value starts at zero, so panels and rates have their
    // series before the first event, and a first event is a visible increase.
    for (const r of HANDSHAKE_RESULTS) this.handshakes.set(r, 0);
    for (const code of CLOSE_REASONS.keys()) this.closes.set(String(code), 0);
    // The protocol's message names, plus the gate's own: 'invalid' (an
    // undecodable client frame) and 'event' (a must-deliver cell frame).
    for (const name of [...Object.keys(ClientOp).map((n) => n.toLowerCase()), 'invalid']) this.trafficIn.set(name, { messages: 0, bytes: 0 });
    for (const name of [...Object.keys(ServerOp).map((n) => n.toLowerCase()), 'event']) this.trafficOut.set(name, { messages: 0, bytes: 0 });
  }

  connectionOpened(): void {
    this.connections++;
  }

  connectionClosed(code: number): void {
    this.connections--;
    // A client may close with any code from 1000 to 4999: bound the label set.
    const key = CLOSE_REASONS.has(code) ? String(code) : 'other';
    this.closes.set(key, (this.closes.get(key) ?? 0) + 1);
  }

  handshake(result: HandshakeResult): void {
    this.handshakes.set(result, (this.handshakes.get(result) ?? 0) + 1);
  }

  messageIn(type: string, bytes: number): void {
    count(this.trafficIn, type, bytes);
  }

  messageOut(type: string, bytes: number): void {
    count(this.trafficOut, type, bytes);
  }

  backpressureSkip(): void {
    this.backpressureSkips++;
  }

  backpressureKick(): void {
    this.backpressureKicks++;
  }

  dropped(reason: GateDropReason): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
  }

  watchControlWaiting(read: () => number): void {
    this.controlWaiting = read;
  }

  zoneChange(from: string, to: string): void {
    // Zones are configured (at most 64), so the label set is bounded by the portals the maps draw.
    const key = `${from}\0${to}`;
    this.zoneChanges.set(key, (this.zoneChanges.get(key) ?? 0) + 1);
  }

  portalRefused(reason: PortalRefusal): void {
    this.portalRefusals.set(reason, (this.portalRefusals.get(reason) ?? 0) + 1);
  }

  refused(reason: GateRefusal): void {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
  }

  rateLimited(limit: RateLimit): void {
    this.rateLimits.set(limit, (this.rateLimits.get(limit) ?? 0) + 1);
  }

  resume(event: ResumeEvent): void {
    this.resumes.set(event, (this.resumes.get(event) ?? 0) + 1);
  }

  watchDetached(read: () => number): void {
    this.detached = read;
  }

  /** Registers the gate families in `registry`. */
  register(registry: Registry): void {
    const single = (name: string, help: string, type: 'counter' | 'gauge', read: () => number) =>
      registerFamily(registry, name, help, type, (out) => out.push({ labels: {}, value: read() }));
    single('tessera_gate_connections', 'Open WebSocket connections at the gate.', 'gauge', () => this.connections);
    single('tessera_gate_backpressure_skips_total', 'Snapshots not sent because the client send buffer was over its bound.', 'counter', () => this.backpressureSkips);
    single('tessera_gate_backpressure_kicks_total', 'Connections closed for staying over the send-buffer bound too long.', 'counter', () => this.backpressureKicks);
    single('tessera_gate_control_waiting', 'JOINs and LEAVEs waiting for room in a full cell ring (must-deliver: they go out in order on a later drain).', 'gauge', () => this.controlWaiting());
    single('tessera_gate_detached', 'Players whose connection dropped and whose character waits in the world for a resume (RESUME_GRACE_MS).', 'gauge', () => this.detached());
    registerFamily(registry, 'tessera_gate_resumes_total', 'Dropped connections, by what became of them: dropped (the character waits), resumed, expired (the grace ran out; saved and gone), refused (a RESUME with an unknown, used or expired token).', 'counter', (out) => {
      for (const [event, n] of this.resumes) out.push({ labels: { event }, value: n });
    });
    registerFamily(registry, 'tessera_gate_dropped_total', 'Droppable messages the gate did not pass on, by reason (an input on a full cell ring; a snapshot older than one already sent).', 'counter', (out) => {
      for (const [reason, n] of this.drops) out.push({ labels: { reason }, value: n });
    });
    registerFamily(registry, 'tessera_gate_zone_changes_total', 'Players who went through a portal into another zone, by the zone they left and the zone they entered.', 'counter', (out) => {
      for (const [key, n] of this.zoneChanges) {
        const [from, to] = key.split('\0');
        out.push({ labels: { from, to }, value: n });
      }
    });
    registerFamily(registry, 'tessera_gate_portal_refusals_total', 'Portal transfers refused (the player stays next to the portal), by reason.', 'counter', (out) => {
      for (const [reason, n] of this.portalRefusals) out.push({ labels: { reason }, value: n });
    });
    registerFamily(registry, 'tessera_gate_refused_total', 'Upgrades on /play refused before a WebSocket was made, by reason (per-address socket, handshake and connection-rate limits: 429; shutting down: 503).', 'counter', (out) => {
      for (const [reason, n] of this.refusals) out.push({ labels: { reason }, value: n });
    });
    registerFamily(registry, 'tessera_gate_rate_limited_total', 'Connections closed (4004) for going over their message or byte rate, by limit.', 'counter', (out) => {
      for (const [limit, n] of this.rateLimits) out.push({ labels: { limit }, value: n });
    });
    registerFamily(registry, 'tessera_gate_handshakes_total', 'Handshakes by result.', 'counter', (out) => {
      for (const [result, n] of this.handshakes) out.push({ labels: { result }, value: n });
    });
    registerFamily(registry, 'tessera_gate_closes_total', 'Connections closed, by WebSocket close code.', 'counter', (out) => {
      for (const [code, n] of this.closes) out.push({ labels: { code, reason: CLOSE_REASONS.get(Number(code)) ?? 'other' }, value: n });
    });
    const traffic = (field: keyof Traffic) => (out: Sample[]) => {
      for (const [type, t] of this.trafficIn) out.push({ labels: { direction: 'in', type }, value: t[field] });
      for (const [type, t] of this.trafficOut) out.push({ labels: { direction: 'out', type }, value: t[field] });
    };
    registerFamily(registry, 'tessera_gate_messages_total', 'WebSocket messages through the gate, by direction and protocol message type.', 'counter', traffic('messages'));
    registerFamily(registry, 'tessera_gate_bytes_total', 'WebSocket payload bytes through the gate, by direction and protocol message type.', 'counter', traffic('bytes'));
  }
}

/** More message types than the protocol will ever have: a bound on label values. */
const MAX_TYPES = 64;

function count(map: Map<string, Traffic>, type: string, bytes: number): void {
  let t = map.get(type);
  if (!t) {
    const key = map.size < MAX_TYPES ? type : 'other';
    t = map.get(key) ?? { messages: 0, bytes: 0 };
    map.set(key, t);
  }
  t.messages++;
  t.bytes += bytes;
}
