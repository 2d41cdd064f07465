/**
 * Tessera's entry point: `npm start`. Reads the configuration, starts the
 * zone cells, the gate and the HTTP server, and stops gracefully on
 * SIGINT/SIGTERM.
 */
import { ConfigError, loadConfig } from './config.ts';
import { log } from './log.ts';
import { startTessera } from './server.ts';

async function main(): Promise<void> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    throw new Error(`Tessera needs Node.js 24 or newer (running ${process.version}); run it through npm (npm start), which uses the project's Node`);
  }
  const cfg = loadConfig();
  log.level = cfg.logLevel;
  log.info(
    {
      zone: cfg.zone.name,
      cells: `${cfg.zone.cellCols}x${cfg.zone.cellRows}`,
      tickHz: cfg.tickHz,
      database: cfg.databaseUrl ? 'postgresql' : 'embedded (none yet: guests only)',
      guests: cfg.allowGuests,
    },
    'starting tessera',
  );
  const tessera = await startTessera(cfg, { log });
  log.info({ host: cfg.host, port: tessera.port }, `listening on http://${cfg.host}:${tessera.port}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    tessera.close().then(
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
  log.fatal({ err }, 'failed to start');
  process.exit(1);
});
