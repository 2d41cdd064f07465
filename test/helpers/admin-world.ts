/**
 * A whole world in this process composed as main.ts composes it: PGlite
 * storage in a temporary folder, accounts, the operator console (bans,
 * mutes, the admin API and page) and the cells, gate and HTTP server, on a
 * free loopback port. For the admin API and console tests. With
 * `{ content: true }` it runs the default world's content (data/, compiled
 * into the temporary folder) with items and quests on the database, as
 * main.ts does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAccounts, type Accounts } from '../../src/main/accounts/accounts.ts';
import { gateWorld } from '../../src/main/accounts/gate-world.ts';
import { openAdmin, type Admin } from '../../src/main/admin/admin.ts';
import { runRolesCommand } from '../../src/main/admin/roles-command.ts';
import { loadConfig } from '../../src/main/config.ts';
import type { LoadedWorld } from '../../src/content/load-world.ts';
import { prepareWorld } from '../../src/main/zones/content-world.ts';
import { openPglite } from '../../src/main/persistence/pglite-local.ts';
import type { Db } from '../../src/main/persistence/db.ts';
import { openStorageOn, type Storage } from '../../src/main/persistence/storage.ts';
import { startTessera, type Tessera } from '../../src/main/start-tessera.ts';
import { silentLog } from './zone.ts';

export interface AdminWorld {
  db: Db;
  storage: Storage;
  accounts: Accounts;
  admin: Admin;
  tessera: Tessera;
  /** http://127.0.0.1:PORT */
  base: string;
  /** ws://127.0.0.1:PORT/play */
  url: string;
  /** `npm run admin -- ...args` against this world's database. */
  roles(...args: string[]): Promise<{ code: number; out: string }>;
  /** The compiled content, with `{ content: true }`. */
  content: LoadedWorld | null;
  /** The temporary folder (the database in pglite/, the content build in build/). */
  dataDir: string;
  /** Stops everything; the temporary folder goes too unless `keepData`. */
  close(o?: { keepData?: boolean }): Promise<void>;
}

const DATA = new URL('../../data/', import.meta.url).pathname;

export async function startAdminWorld(
  env: Record<string, string> = {},
  limits: { perAddressPer10s?: number; perAccountPer10s?: number; content?: boolean } = {},
): Promise<AdminWorld> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-admin-'));
  const db = await openPglite(join(dataDir, 'pglite'));
  const tuning = { scryptLog2N: 10, hashThreads: 1, loginLimitPerIp: 10_000, loginLimitPerAccount: 1000, registerLimitPerIp: 10_000 };
  const storage = await openStorageOn({ dataDir, saveIntervalMs: 500, tuning }, db);
  let admin: Admin | undefined;
  const accounts = openAccounts({ storage, tuning, bans: { refusal: (a, ip) => admin?.bans.refusal(a, ip) } });
  admin = await openAdmin({ db, sessions: accounts.sessions, limiter: accounts.limiter, perAddressPer10s: limits.perAddressPer10s, perAccountPer10s: limits.perAccountPer10s });
  const zones = env.ZONES === undefined && !limits.content ? { NPC_COUNT: '0', ZONE_NAME: 'meadow', ZONE_CELLS: '2x1' } : {};
  const files = limits.content ? { CONTENT_DIR: DATA, CONTENT_BUILD_DIR: join(dataDir, 'build') } : {};
  const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1', ...zones, ...files, ...env });
  const content = limits.content ? prepareWorld(cfg, silentLog) : null;
  const tessera = await startTessera(cfg, {
    content,
    db: limits.content ? db : undefined,
    log: process.env.ADMIN_TEST_LOG ? (await import('pino')).pino({ level: process.env.ADMIN_TEST_LOG }) : silentLog,
    world: gateWorld(accounts, storage),
    bans: admin.bans,
    handlers: [admin.handleHttp, accounts.handleHttp],
  });
  admin.attach(tessera);
  const base = `http://127.0.0.1:${tessera.port}`;
  return {
    db,
    storage,
    accounts,
    admin,
    tessera,
    base,
    url: `ws://127.0.0.1:${tessera.port}/play`,
    roles: (...args) => runRolesCommand(db, args),
    content,
    dataDir,
    async close(o = {}) {
      await tessera.close();
      await accounts.close();
      await storage.close();
      if (!o.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any;
}

/** One HTTP request to the world: JSON `body` (or a raw string/Buffer with its own headers), a bearer token, a local address. */
export async function call(
  base: string,
  method: string,
  path: string,
  o: { body?: unknown; raw?: string | Buffer; token?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<Reply> {
  const { request } = await import('node:http');
  const url = new URL(path, base);
  const payload = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  const headers: Record<string, string> = {
    ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
    ...(payload !== undefined ? { 'content-length': String(Buffer.byteLength(payload)) } : {}),
    ...o.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers, localAddress: o.localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

let seq = 0;
/** Registers an account (and a character when `character` is given) and logs in. */
export async function newAccount(base: string, prefix: string, character?: string): Promise<{ username: string; password: string; token: string; characterId: number }> {
  const username = `${prefix}${process.pid % 1000}x${Date.now() % 1e6}x${seq++}`.slice(0, 32);
  const password = 'correct horse battery';
  const reg = await call(base, 'POST', '/api/accounts', { body: { username, password } });
  if (reg.status !== 201) throw new Error(`register ${username}: ${reg.status} ${JSON.stringify(reg.json)}`);
  const s = await call(base, 'POST', '/api/sessions', { body: { username, password } });
  if (s.status !== 201) throw new Error(`login ${username}: ${s.status}`);
  let characterId = 0;
  if (character) {
    const made = await call(base, 'POST', '/api/characters', { body: { name: character, classId: 1 }, token: s.json.token });
    if (made.status !== 201) throw new Error(`character ${character}: ${made.status} ${JSON.stringify(made.json)}`);
    characterId = made.json.character.id;
  }
  return { username: username.toLowerCase(), password, token: s.json.token, characterId };
}

/** Rows of the tables the admin API writes, to check a refused request changed none. */
export async function adminRows(db: Db): Promise<Record<string, number>> {
  const count = async (sql: string) => (await db.query<{ n: number }>(sql))[0]!.n;
  return {
    audit: await count('SELECT count(*)::int AS n FROM admin_audit'),
    bans: await count('SELECT count(*)::int AS n FROM bans'),
    liftedBans: await count('SELECT count(*)::int AS n FROM bans WHERE lifted_at IS NOT NULL'),
    mutes: await count('SELECT count(*)::int AS n FROM mutes'),
    staff: await count("SELECT count(*)::int AS n FROM accounts WHERE role <> 'player'"),
    admins: await count("SELECT count(*)::int AS n FROM accounts WHERE role = 'admin'"),
  };
}
