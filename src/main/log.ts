import { pino, type Logger } from 'pino';
import { LOG_LEVELS } from './config.ts';

/**
 * Structured logs: one JSON line per event, with zone, cell and player ids as
 * fields (child loggers carry them). LOG_LEVEL picks the threshold.
 */
export const log: Logger = pino({
  // Until loadConfig has checked LOG_LEVEL (and reported a bad one as a
  // ConfigError), a value pino does not know must not throw here at import.
  level: (LOG_LEVELS as readonly string[]).includes(process.env.LOG_LEVEL?.trim() ?? '') ? process.env.LOG_LEVEL!.trim() : 'info',
  base: { svc: 'tessera' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type { Logger };
