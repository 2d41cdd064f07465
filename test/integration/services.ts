/** Real PostgreSQL and Redis for integration tests: the soak's launchers (src/bots/soak/services.ts). */
export * from '../../src/bots/soak/services.ts';
