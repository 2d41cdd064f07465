/**
 * The process entry point: `npm start` runs this file. Reads the
 * configuration and tuning, compiles the content when its build is stale
 * and loads it (zones/content-world.ts), builds the browser client when
 * its build is stale (http/client-build.ts), starts tracing (when OTEL_* asks for it), opens
 * storage (persistence/) and builds accounts on it (accounts/), composes
 * them for the gate and the HTTP server, starts the cells, gate and HTTP
 * server (start-tessera.ts), and stops gracefully on SIGINT/SIGTERM: no new
 * players, every character released and saved, cells stopped, saves flushed.
 */
import { accountClassesOf } from './accounts/classes.ts';
import { loadConfig } from './config.ts';
import { startCompileCache } from './compile-cache.ts';
import { readTuning } from './tuning.ts';
import { loadTls } from './http/tls.ts';
import { ConfigError } from './env.ts';
import { log } from './log.ts';
import { CloseCode } from '../protocol/errors.ts';
import type { Metrics } from './metrics/registry.ts';
import type { Tessera } from './start-tessera.ts';
import { startTracing } from './tracing.ts';
import { prepareWorld } from './zones/content-world.ts';
import { ContentCompileError } from '../content/compile.ts';
import { WorldLoadError } from '../content/load-world.ts';
import { ContentFileError } from '../content/pack/errors.ts';

async function main(): Promise<void> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    throw new Error(`Tessera needs Node.js 24 or newer (running ${process.version}); run it through npm (npm start), which uses the project's Node`);
  }
  // Before the threads start: they find their stripped TypeScript cached (compile-cache.ts).
  startCompileCache();
  const cfg = loadConfig();
  const tuning = readTuning();
  log.level = cfg.logLevel;
  // Unreadable or mismatched certificate files stop the start here, before anything opens.
  const tls = cfg.tls ? loadTls(cfg.tls) : undefined;
  // Before anything opens: broken content stops the start with every problem named.
  const content = prepareWorld(cfg, log);
  // The browser client, built when its sources are newer than its build; the world runs without it if that fails.
  const { ensureClientBuild } = await import('./http/client-build.ts');
  const clientDir = await ensureClientBuild(cfg.clientBuildDir, log).then(
    () => cfg.clientBuildDir,
    (err: unknown) => {
      log.error({ err }, `the browser client could not be built; /client/ is not served (npm run client:build says why)`);
      return null;
    },
  );
  // Tracing first: its instrumentations must see node:http and pg load.
  const tracing = await startTracing();
  const [{ openStorage }, { openAccounts }, { openAdmin }, { gateWorld }, { createMetrics }, { startMetricsServer }, { CellSupervisor }, { startTessera }, { registerWorldEventMetrics }] =
    await Promise.all([
      import('./persistence/storage.ts'),
      import('./accounts/accounts.ts'),
      import('./admin/admin.ts'),
      import('./accounts/gate-world.ts'),
      import('./metrics/registry.ts'),
      import('./metrics/metrics-server.ts'),
      import('./zones/supervisor.ts'),
      import('./start-tessera.ts'),
      import('./metrics/world-events.ts'),
    ]);
  log.info(
    {
      zones:
        content && cfg.zonesFromContent
          ? content.zones.map((z) => `${z.name}:${z.width}x${z.height}:${z.cellCols}x${z.cellRows}`).join(',')
          : cfg.zones.map((z) => `${z.name}:${z.width}x${z.height}:${z.cellCols}x${z.cellRows}`).join(','),
      content: content?.hash ?? 'none',
      tickHz: cfg.tickHz,
      sendHz: cfg.sendHz,
      database: cfg.databaseUrl ? 'postgresql' : `embedded PGlite in ${cfg.dataDir}`,
      redis: cfg.redisUrl ? 'redis' : 'in process',
      guests: cfg.allowGuests,
      tracing: tracing.enabled,
      tls: tls !== undefined,
      trustedProxies: cfg.trustedProxies.entries.join(',') || 'none',
    },
    'starting tessera',
  );
  // Storage and accounts open before the registry exists: their latencies go through a late-bound sink.
  let observe: Metrics['persistence'] | undefined;
  let tessera: Tessera | undefined;
  const storage = await openStorage({
    databaseUrl: cfg.databaseUrl,
    redisUrl: cfg.redisUrl,
    dataDir: cfg.dataDir,
    tuning,
    timings: { save: (seconds, ok) => observe?.observeSave(seconds, ok) },
  });
  // Bans are checked by the account API's login and the gate's handshake; the console changes them.
  let admin: Awaited<ReturnType<typeof openAdmin>> | undefined;
  const accounts = openAccounts({
    storage,
    tuning,
    bans: { refusal: (accountId, address) => admin?.bans.refusal(accountId, address) },
    maxBodyBytes: cfg.http.maxBodyBytes,
    classes: content ? accountClassesOf(content.catalogue.classes) : undefined,
    timings: { login: (result, seconds) => observe?.observeLogin(result, seconds) },
    onCharacterDeleted: (id) => tessera?.gate.closeCharacter(id, CloseCode.CHARACTER_DELETED, 'character deleted'),
    onSessionsRevoked: (_account, ids) => {
      for (const id of ids) tessera?.gate.closeCharacter(id, CloseCode.SESSION_REVOKED, 'logged out everywhere');
    },
  });
  admin = await openAdmin({ db: storage.db, sessions: accounts.sessions, limiter: accounts.limiter, maxBodyBytes: cfg.http.maxBodyBytes });
  const supervisor = new CellSupervisor(log, cfg.supervisor.stuckAfterMs, cfg.supervisor.killStuckAfterMs, {
    loopCpuMs: cfg.supervisor.loopCpuMs,
    spare: cfg.memory.cellSpare,
    youngGenerationMb: cfg.memory.cellYoungGenerationMb || undefined,
  });
  // Test only (NODE_ENV=test, TESSERA_FAULT_HOOKS): a parent process may kill or stall cells over IPC.
  const faults = cfg.faultHooks ? new (await import('./faults/fault-hooks.ts')).FaultHooks() : undefined;
  const { registerAdminMetrics } = await import('./metrics/admin.ts');
  const metrics = createMetrics({
    supervisor,
    persistence: { stats: () => ({ ...storage.stats(), ...accounts.stats() }) },
    extra: (registry) => {
      registerAdminMetrics(registry, admin!);
      registerWorldEventMetrics(registry, () => tessera?.gate.parts.events?.status() ?? []);
    },
  });
  observe = metrics.persistence;
  const separateMetrics = cfg.metricsPort !== undefined;
  tessera = await startTessera(cfg, {
    log,
    supervisor,
    world: gateWorld(accounts, storage),
    db: storage.db,
    content,
    clientDir,
    gateMetrics: metrics.gate,
    httpMetrics: metrics.http,
    chatMetrics: metrics.chat,
    itemMetrics: metrics.items,
    tls,
    bans: admin.bans,
    // The anti-cheat's temporary bans go in the same bans table (null: made by the server, not an operator).
    anticheat: { metrics: metrics.anticheat, ban: (target, reason, untilMs) => admin!.bans.ban(target, reason, untilMs, null) },
    cellOptions: faults?.cellOptions(),
    // Operators' mutes (the console) are what chat refuses.
    mute: admin.mutes,
    // The admin API first: the account API answers everything else under /api/.
    handlers: [...(separateMetrics ? [] : [metrics.handleHttp]), admin.handleHttp, accounts.handleHttp],
  });
  admin.attach(tessera);
  faults?.listen(process, supervisor, log);
  const metricsServer = separateMetrics ? await startMetricsServer(metrics, cfg.metricsPort!, cfg.host) : undefined;
  log.info({ host: cfg.host, port: tessera.port, tls: tessera.tls }, `listening on ${tessera.tls ? 'https' : 'http'}://${cfg.host}:${tessera.port}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    (async () => {
      await tessera.close();
      metricsServer?.close();
      metrics.close();
      await accounts.close();
      await storage.close();
      await tracing.shutdown();
    })().then(
      () => {
        log.info('stopped cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    log.fatal(err.message);
    process.exit(2);
  }
  if (err instanceof ContentCompileError || err instanceof ContentFileError || err instanceof WorldLoadError) {
    log.fatal(err.message);
    process.exit(3);
  }
  log.fatal({ err }, 'failed to start');
  process.exit(1);
});
