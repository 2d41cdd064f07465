import { pino, type Logger } from 'pino';

/**
 * Structured logs: one JSON line per event, with zone, cell and player ids as
 * fields (child loggers carry them). LOG_LEVEL picks the threshold.
 */
export const log: Logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { svc: 'tessera' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type { Logger };
