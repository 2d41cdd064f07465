import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config.ts';
import { ConfigError } from '../../src/main/env.ts';

describe('the cell watchdog settings', () => {
  it('default to stuck after 2 s, looping after 300 ms of CPU in one tick, hung after 10 s', () => {
    expect(loadConfig({}).supervisor).toEqual({ stuckAfterMs: 2000, killStuckAfterMs: 10_000, loopCpuMs: 300 });
    expect(loadConfig({ CELL_STUCK_MS: '500', CELL_STALL_KILL_MS: '1500' }).supervisor).toEqual({ stuckAfterMs: 500, killStuckAfterMs: 1500, loopCpuMs: 300 });
    expect(loadConfig({ CELL_LOOP_CPU_MS: '120' }).supervisor.loopCpuMs).toBe(120);
  });

  it.each([
    [{ CELL_STUCK_MS: '50' }, 'CELL_STUCK_MS must be'],
    [{ CELL_STUCK_MS: 'soon' }, 'CELL_STUCK_MS must be'],
    [{ CELL_LOOP_CPU_MS: '10' }, 'CELL_LOOP_CPU_MS must be'],
    [{ CELL_STALL_KILL_MS: '9'.repeat(30) }, 'CELL_STALL_KILL_MS must be'],
    [{ CELL_STUCK_MS: '3000', CELL_STALL_KILL_MS: '3000' }, 'CELL_STALL_KILL_MS (3000) must be more than CELL_STUCK_MS (3000)'],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('TESSERA_FAULT_HOOKS', () => {
  it('is off by default and on only under NODE_ENV=test', () => {
    expect(loadConfig({}).faultHooks).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', TESSERA_FAULT_HOOKS: '1' }).faultHooks).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', TESSERA_FAULT_HOOKS: '0' }).faultHooks).toBe(false);
  });

  it.each([{ TESSERA_FAULT_HOOKS: '1' }, { TESSERA_FAULT_HOOKS: 'on', NODE_ENV: 'production' }, { TESSERA_FAULT_HOOKS: 'yes', NODE_ENV: 'TEST' }])('stops the start when asked for outside tests: %j', (env) => {
    expect(() => loadConfig(env)).toThrow('TESSERA_FAULT_HOOKS is honoured only with NODE_ENV=test');
  });

  it('refuses a value that is not a switch', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', TESSERA_FAULT_HOOKS: 'please' })).toThrow('TESSERA_FAULT_HOOKS must be one of 1/0');
  });
});

describe('TESSERA_HOLD_REWARDS', () => {
  it('is off by default and on only under NODE_ENV=test', () => {
    expect(loadConfig({}).holdRewards).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', TESSERA_HOLD_REWARDS: '1' }).holdRewards).toBe(true);
  });

  it.each([{ TESSERA_HOLD_REWARDS: '1' }, { TESSERA_HOLD_REWARDS: 'on', NODE_ENV: 'production' }])('stops the start when asked for outside tests: %j', (env) => {
    expect(() => loadConfig(env)).toThrow('TESSERA_HOLD_REWARDS is honoured only with NODE_ENV=test');
  });
});
