/**
 * The admin API's routes: what each does, the permission it needs and what
 * it writes to the audit log. Every action checks its target first, then
 * writes the audit row (who, what, on whom, why), then acts: an action the
 * log cannot record (database down) is not done.
 */
import { ApiError, invalid } from '../accounts/api-errors.ts';
import { sendJson, svc } from '../accounts/api.ts';
import { pathId } from '../accounts/validate.ts';
import type { Connection } from '../gate/connection.ts';
import type { Db } from '../persistence/db.ts';
import type { BanList } from '../moderation/bans.ts';
import { describeBan, keyOf } from '../moderation/bans.ts';
import type { MuteList } from '../moderation/mute-list.ts';
import type { AdminRequest, AdminRoute } from './admin-api.ts';
import * as store from './admin-store.ts';
import * as v from './admin-validate.ts';
import type { AdminWorld } from './admin-world.ts';
import { itemRoutes } from './item-routes.ts';

export type { AdminWorld } from './admin-world.ts';


export interface AdminRoutesDeps {
  db: Db;
  bans: BanList;
  mutes: MuteList;
  world: () => AdminWorld | undefined;
  /** Told each action once its audit row is written (the metrics' counter). */
  audited?: (action: string) => void;
}

/** Most players one live view lists (counts are always whole). */
export const MAX_LIVE_PLAYERS = 500;

export function adminRoutes(d: AdminRoutesDeps): AdminRoute[] {
  const world = (): AdminWorld => {
    const w = d.world();
    if (!w) throw new ApiError('unavailable', 'the world is not running yet', { retryAfterS: 2 });
    return w;
  };
  const audit = async (r: AdminRequest, action: string, target: string, reason: string, detail: Record<string, unknown> = {}) => {
    await svc(store.writeAudit(d.db, { actorId: r.me.id, actor: r.me.username, action, target, reason, detail }), 'database');
    d.audited?.(action);
  };

  /** The live connection a body names by `conn` or `characterId` (prefix names them `toConn`, `toCharacterId`). */
  const livePlayer = (w: AdminWorld, body: Record<string, unknown>, to = false): Connection => {
    const [connF, charF] = to ? (['toConn', 'toCharacterId'] as const) : (['conn', 'characterId'] as const);
    const which = v.oneOf(body, [connF, charF]);
    const c = which === connF ? w.op.connection(v.id(body[connF], connF, 0xfffffffe)) : w.op.byCharacter(v.id(body[charF], charF));
    if (!c) throw new ApiError('not_playing', `that ${which === connF ? 'connection' : 'character'} is not online`);
    return c;
  };
  const who = (c: Connection): string => (c.characterId !== 0 ? `character:${c.characterId}:${c.name}` : `guest:${c.id}:${c.name}`);

  const routes: AdminRoute[] = [
    {
      method: 'GET',
      re: /^\/api\/admin\/me$/,
      needs: 'read',
      async run(r) {
        sendJson(r.res, 200, { id: r.me.id, username: r.me.username, role: r.me.role });
      },
    },
    {
      // The console's one poll: zones and the players matching its filter.
      method: 'GET',
      re: /^\/api\/admin\/live$/,
      needs: 'read',
      async run(r) {
        const zone = r.query.get('zone');
        const q = {
          zone: zone === null || zone === '' ? undefined : v.zoneName(zone),
          name: v.query(r.query.get('name'), 'name', 32),
          limit: v.limit(r.query.get('limit'), MAX_LIVE_PLAYERS, 100),
        };
        sendJson(r.res, 200, world().live.build(q));
      },
    },
    {
      method: 'GET',
      re: /^\/api\/admin\/find$/,
      needs: 'read',
      async run(r) {
        const q = v.query(r.query.get('q'), 'q', 32);
        if (q === undefined) throw invalid('q', 'q (a name or its beginning) is required');
        const w = world();
        const [characters, accounts] = await Promise.all([svc(store.findCharacters(d.db, q, 20), 'database'), svc(store.findAccounts(d.db, q, 20), 'database')]);
        const online = w.op.byName(q, 20).map((c) => w.live.player(c));
        sendJson(r.res, 200, { online, characters, accounts });
      },
    },
    {
      method: 'GET',
      re: /^\/api\/admin\/audit$/,
      needs: 'read',
      async run(r) {
        const before = r.query.get('before');
        const beforeId = before === null ? undefined : pathId(before);
        if (before !== null && beforeId === undefined) throw invalid('before', 'before must be an audit id');
        const entries = await svc(store.listAudit(d.db, v.limit(r.query.get('limit'), 200, 50), beforeId), 'database');
        sendJson(r.res, 200, { entries });
      },
    },
    {
      method: 'POST',
      re: /^\/api\/admin\/kick$/,
      needs: 'kick',
      async run(r) {
        const body = await r.body();
        const why = v.reason(body.reason);
        const w = world();
        const c = livePlayer(w, body);
        await audit(r, 'kick', who(c), why);
        w.op.kick(c, why);
        sendJson(r.res, 200, { kicked: c.id });
      },
    },
    {
      method: 'POST',
      re: /^\/api\/admin\/teleport$/,
      needs: 'teleport',
      async run(r) {
        const body = await r.body();
        const why = v.reason(body.reason);
        // The input is checked whole before any player is looked up.
        const toPlayer = body.toConn !== undefined || body.toCharacterId !== undefined;
        let x = toPlayer ? 0 : v.coordinate(body.x, 'x');
        let y = toPlayer ? 0 : v.coordinate(body.y, 'y');
        const zoneName = toPlayer || body.zone === undefined ? undefined : v.zoneName(body.zone);
        const w = world();
        const c = livePlayer(w, body);
        let zoneIndex = c.zone;
        if (zoneName !== undefined) {
          zoneIndex = w.op.zoneIndex(zoneName);
          if (zoneIndex < 0) throw invalid('zone', `no zone ${zoneName} runs here`);
        }
        if (toPlayer) {
          const to = livePlayer(w, body, true);
          const at = w.op.position(to);
          if (!at) throw new ApiError('not_playing', 'the character to go to is not in the world now');
          ({ x, y, zone: zoneIndex } = at);
        }
        const zone = w.op.zoneName(zoneIndex);
        if (c.phase !== 'playing' || c.transfer || c.teleportTo) throw new ApiError('not_playing', 'the player is joining or changing zone; try again');
        const spec = w.supervisor.zones[zoneIndex]!.spec;
        if (!Number.isFinite(x) || x < 0 || y < 0 || x >= spec.width || y >= spec.height) throw invalid('x', `(${x}, ${y}) is off the map of zone ${zone} (${spec.width} x ${spec.height})`);
        if (w.supervisor.zones[zoneIndex]!.lost) throw new ApiError('zone_busy', `zone ${zone} is down`);
        await audit(r, 'teleport', who(c), why, { from: w.op.zoneName(c.zone), zone, x, y });
        const result = w.op.teleport(c, x, y, zoneIndex);
        if (result === 'other_zone') throw new ApiError('zone_busy', `zone ${zone} is down`);
        if (result !== 'ok') throw new ApiError('not_playing', 'the player is joining or changing zone; try again');
        sendJson(r.res, 200, { teleported: c.id, zone, x, y });
      },
    },
    {
      method: 'POST',
      re: /^\/api\/admin\/announce$/,
      needs: 'announce',
      async run(r) {
        const body = await r.body();
        const message = v.announcement(body.message);
        const w = world();
        let zone: number | undefined;
        if (body.zone !== undefined && body.zone !== null) {
          zone = w.op.zoneIndex(v.zoneName(body.zone));
          if (zone < 0) throw invalid('zone', `no zone ${String(body.zone)} runs here`);
        }
        await audit(r, 'announce', zone === undefined ? 'everyone' : `zone:${w.op.zoneName(zone)}`, message);
        // A NOTICE for the client's banner, and a SYSTEM line that stays in the chat box.
        const told = w.op.announce(message, zone);
        w.chat?.announce(zone === undefined ? 'all' : w.op.zoneName(zone), message);
        sendJson(r.res, 200, { told });
      },
    },
    {
      method: 'GET',
      re: /^\/api\/admin\/mutes$/,
      needs: 'read',
      async run(r) {
        sendJson(r.res, 200, { mutes: await svc(d.mutes.list(), 'database') });
      },
    },
    {
      method: 'POST',
      re: /^\/api\/admin\/mutes$/,
      needs: 'mute',
      async run(r) {
        const body = await r.body();
        const why = v.reason(body.reason);
        const minutes = v.minutes(body.minutes);
        let characterId: number;
        if (v.oneOf(body, ['characterId', 'conn']) === 'conn') {
          const c = livePlayer(world(), body);
          if (c.characterId === 0) throw invalid('conn', 'a guest has no character to mute; kick it instead');
          characterId = c.characterId;
        } else characterId = v.id(body.characterId, 'characterId');
        const ch = await svc(store.characterById(d.db, characterId), 'database');
        if (!ch) throw new ApiError('not_found', 'no such character');
        const until = Date.now() + minutes * 60_000;
        await audit(r, 'mute', `character:${ch.id}:${ch.name}`, why, { minutes, until: new Date(until).toISOString() });
        await svc(d.mutes.mute(ch.id, until, why, r.me.id), 'database');
        sendJson(r.res, 201, { characterId: ch.id, name: ch.name, untilMs: until });
      },
    },
    {
      method: 'DELETE',
      re: /^\/api\/admin\/mutes\/([^/]+)$/,
      needs: 'mute',
      async run(r) {
        const id = pathId(r.arg);
        const why = v.reason(r.query.get('reason'));
        if (id === undefined || d.mutes.mutedUntil(id) === 0) throw new ApiError('not_found', 'that character is not muted');
        await audit(r, 'unmute', `character:${id}`, why);
        await svc(d.mutes.unmute(id), 'database');
        sendJson(r.res, 204, undefined);
      },
    },
    {
      method: 'GET',
      re: /^\/api\/admin\/bans$/,
      needs: 'read',
      async run(r) {
        sendJson(r.res, 200, { bans: await svc(d.bans.list(), 'database') });
      },
    },
    {
      method: 'POST',
      re: /^\/api\/admin\/bans$/,
      needs: 'ban',
      async run(r) {
        const body = await r.body();
        const why = v.reason(body.reason);
        const forGood = body.forGood === true;
        if (body.forGood !== undefined && typeof body.forGood !== 'boolean') throw invalid('forGood', 'forGood must be true or false');
        if (forGood && body.minutes !== undefined) throw invalid('minutes', 'give minutes or forGood, not both');
        const until = forGood ? null : Date.now() + v.minutes(body.minutes) * 60_000;
        const which = v.oneOf(body, ['username', 'address', 'conn']);
        let target: { accountId: number } | { address: string };
        let label: string;
        if (which === 'username') {
          const username = v.usernameRef(body.username);
          const [acct] = (await svc(store.findAccounts(d.db, username, 1), 'database')).filter((a) => a.username === username);
          if (!acct) throw new ApiError('not_found', 'no such account');
          if (acct.id === r.me.id) throw invalid('username', 'you cannot ban yourself');
          target = { accountId: acct.id };
          label = `account:${acct.username}`;
        } else if (which === 'address') {
          target = { address: v.address(body.address) };
          label = `address:${keyOf(target.address)}`;
        } else {
          const c = livePlayer(world(), body);
          target = c.accountId !== 0 ? { accountId: c.accountId } : { address: c.remote };
          label = c.accountId !== 0 ? `account:${c.accountId} (${c.name})` : `address:${keyOf(c.remote)} (${c.name})`;
        }
        await audit(r, 'ban', label, why, { until: until === null ? 'for good' : new Date(until).toISOString() });
        const ban = await svc(d.bans.ban(target, why, until, r.me.id), 'database');
        const told = describeBan(ban);
        const key = ban.address;
        const closed = d.world()?.op.closeBanned((c) => (ban.accountId !== null ? c.accountId === ban.accountId : keyOf(c.remote) === key), told) ?? 0;
        sendJson(r.res, 201, { ban, closed });
      },
    },
    {
      method: 'POST',
      re: /^\/api\/admin\/bans\/([^/]+)\/lift$/,
      needs: 'ban',
      async run(r) {
        const id = pathId(r.arg);
        const body = await r.body();
        const why = v.reason(body.reason);
        const live = id === undefined ? undefined : (await svc(d.bans.list(), 'database')).find((b) => b.id === id);
        if (!live) throw new ApiError('not_found', 'no ban in force with that id');
        await audit(r, 'ban.lift', live.accountId !== null ? `account:${live.username}` : `address:${live.address}`, why, { ban: live.id });
        await svc(d.bans.lift(live.id, r.me.id), 'database');
        sendJson(r.res, 200, { lifted: live.id });
      },
    },
    {
      method: 'GET',
      re: /^\/api\/admin\/roles$/,
      needs: 'roles',
      async run(r) {
        sendJson(r.res, 200, { staff: await svc(store.listStaff(d.db), 'database') });
      },
    },
    {
      method: 'POST',
      re: /^\/api\/admin\/roles$/,
      needs: 'roles',
      async run(r) {
        const body = await r.body();
        const why = v.reason(body.reason);
        const username = v.usernameRef(body.username);
        const role = v.role(body.role);
        if (username === r.me.username) throw invalid('username', 'you cannot change your own role');
        const [acct] = (await svc(store.findAccounts(d.db, username, 1), 'database')).filter((a) => a.username === username);
        if (!acct) throw new ApiError('not_found', 'no such account');
        await audit(r, 'role', `account:${acct.username}`, why, { from: acct.role, to: role });
        const changed = await svc(store.setRole(d.db, username, role), 'database');
        sendJson(r.res, 200, changed);
      },
    },
    {
      method: 'POST',
      re: /^\/api\/admin\/zones\/([^/]+)\/restart$/,
      needs: 'restart',
      async run(r) {
        const body = await r.body();
        const why = v.reason(body.reason);
        const w = world();
        const name = v.zoneName(r.arg);
        const zone = w.supervisor.zones.find((z) => z.spec.name === name);
        if (!zone) throw new ApiError('not_found', `no zone ${name} runs here`);
        if (!w.supervisor.restartable(zone)) throw new ApiError('zone_busy', `zone ${name} is down, restarting or stopping`);
        await audit(r, 'zone.restart', `zone:${name}`, why);
        if (!w.supervisor.restartOnPurpose(zone, `restarted by ${r.me.username}: ${why}`)) {
          throw new ApiError('zone_busy', `zone ${name} is down, restarting or stopping`);
        }
        sendJson(r.res, 202, { restarting: name });
      },
    },
  ];
  return [...routes, ...itemRoutes({ db: d.db, world, audited: d.audited })];
}
