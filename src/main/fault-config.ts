/**
 * TESSERA_FAULT_HOOKS: the switch of the test-only fault injection
 * (faults/fault-hooks.ts), and TESSERA_HOLD_REWARDS, which keeps the
 * coordinator from sending stored rewards (gate/owed-rewards.ts). Each is
 * honoured only when NODE_ENV is `test`; set anywhere else it stops the
 * start with a ConfigError, so a production process can never carry them.
 */
import type { ConfigVar, Env, EnvReader } from './env.ts';

export const FAULT_HOOK_VARS: ConfigVar[] = [
  {
    name: 'TESSERA_FAULT_HOOKS',
    default: 'off',
    doc: 'Test only, and refused unless NODE_ENV=test: a parent process (the soak, whole-process tests) that started the server with an IPC channel may kill or stall a cell through it (docs/operations.md, "Soak").',
  },
  {
    name: 'TESSERA_HOLD_REWARDS',
    default: 'off',
    doc: 'Test only, and refused unless NODE_ENV=test: quest experience is stored at the turn-in but never sent to the player\'s cell, so a whole-process test can kill the server while a reward is owed (docs/operations.md, "The fault hooks").',
  },
];

/** True when the hooks are asked for (under NODE_ENV=test); a problem is recorded when asked for elsewhere. */
export function readFaultHooksFlag(r: EnvReader, env: Env): boolean {
  return testOnlyFlag(r, env, 'TESSERA_FAULT_HOOKS');
}

/** True when rewards are to be held (under NODE_ENV=test); a problem is recorded when asked for elsewhere. */
export function readHoldRewardsFlag(r: EnvReader, env: Env): boolean {
  return testOnlyFlag(r, env, 'TESSERA_HOLD_REWARDS');
}

function testOnlyFlag(r: EnvReader, env: Env, name: string): boolean {
  const on = r.bool(name, false);
  if (on && env.NODE_ENV !== 'test') {
    r.problem(`${name} is honoured only with NODE_ENV=test (NODE_ENV is ${env.NODE_ENV === undefined ? 'unset' : JSON.stringify(env.NODE_ENV)}); unset it`);
    return false;
  }
  return on;
}
