/**
 * The operator console, composed: bans and mutes loaded from the database,
 * the admin API (/api/admin/) and its page (/admin/). main.ts opens it
 * after storage and accounts (it shares their database, session tokens and
 * rate limiter) and binds the running world once it has started.
 *
 * ```ts
 * const admin = await openAdmin({ db: storage.db, sessions: accounts.sessions, limiter: accounts.limiter });
 * openAccounts({ ..., bans: admin.bans });  startTessera(cfg, { bans: admin.bans, handlers: [admin.handleHttp, ...] });
 * admin.attach(tessera);
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { staticPage } from '../accounts/static.ts';
import type { RateLimiter } from '../accounts/rate-limit.ts';
import type { SessionStore } from '../accounts/sessions.ts';
import type { Gate } from '../gate/gate.ts';
import { GateOperator } from '../gate/operator.ts';
import { BanList } from '../moderation/bans.ts';
import { MuteList } from '../moderation/mute-list.ts';
import type { Db } from '../persistence/db.ts';
import type { CellSupervisor } from '../zones/supervisor.ts';
import { adminApi } from './admin-api.ts';
import { adminRoutes } from './admin-routes.ts';
import type { AdminWorld } from './admin-world.ts';
import { LiveViews } from './live-view.ts';
import type { SystemAnnouncer } from '../events/chat-announcements.ts';

export const ADMIN_PAGE_DIR = fileURLToPath(new URL('../../../web/admin/', import.meta.url));

export interface AdminOptions {
  db: Db;
  sessions: SessionStore;
  limiter: RateLimiter;
  maxBodyBytes?: number;
  /** The console's files; web/admin/ otherwise. */
  pageDir?: string;
  perAddressPer10s?: number;
  perAccountPer10s?: number;
}

export interface Admin {
  readonly bans: BanList;
  readonly mutes: MuteList;
  /** Actions written to the audit log since start, by action (metrics/admin.ts). */
  actionCounts(): ReadonlyMap<string, number>;
  /** Serves /api/admin/* and /admin/; false for other paths. */
  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Binds the running world: until then, actions on it answer 503. */
  attach(t: { gate: Gate; supervisor: CellSupervisor; chat?: SystemAnnouncer; items?: AdminWorld['items'] }): void;
}

export async function openAdmin(o: AdminOptions): Promise<Admin> {
  const [bans, mutes] = await Promise.all([BanList.load(o.db), MuteList.load(o.db)]);
  let world: AdminWorld | undefined;
  const counts = new Map<string, number>();
  const api = adminApi({
    db: o.db,
    sessions: o.sessions,
    limiter: o.limiter,
    bans,
    maxBodyBytes: o.maxBodyBytes,
    perAddressPer10s: o.perAddressPer10s,
    perAccountPer10s: o.perAccountPer10s,
    routes: adminRoutes({ db: o.db, bans, mutes, world: () => world, audited: (a) => counts.set(a, (counts.get(a) ?? 0) + 1) }),
  });
  const page = staticPage(o.pageDir ?? ADMIN_PAGE_DIR, '/admin');
  return {
    bans,
    mutes,
    actionCounts: () => counts,
    async handleHttp(req, res) {
      if (await api(req, res)) return true;
      return page(req, res, (req.url ?? '/').split('?', 1)[0]!);
    },
    attach({ gate, supervisor, chat, items }) {
      const op = new GateOperator(gate, supervisor.zones);
      world = { op, supervisor, chat, items: items ?? null, live: new LiveViews(supervisor.zones, () => gate.connections.values(), op) };
    },
  };
}
