import type { Registry } from 'prom-client';
import { registerFamily } from './family.ts';

/** What the operator console counts: its actions by name (kick, ban, teleport...), as audited. */
export interface AdminActionSource {
  actionCounts(): ReadonlyMap<string, number>;
}

/** `tessera_admin_actions_total{action}`: operator actions written to the audit log, read at scrape time. */
export function registerAdminMetrics(registry: Registry, source: AdminActionSource): void {
  registerFamily(registry, 'tessera_admin_actions_total', 'Operator console actions, as written to the audit log, by action.', 'counter', (out) => {
    for (const [action, n] of source.actionCounts()) out.push({ labels: { action }, value: n });
  });
}
