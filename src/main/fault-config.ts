/**
 * TESSERA_FAULT_HOOKS: the switch of the test-only fault injection
 * (faults/fault-hooks.ts). It is honoured only when NODE_ENV is `test`; set
 * anywhere else it stops the start with a ConfigError, so a production
 * process can never carry the hooks.
 */
import type { ConfigVar, Env, EnvReader } from './env.ts';

export const FAULT_HOOK_VARS: ConfigVar[] = [
  {
    name: 'TESSERA_FAULT_HOOKS',
    default: 'off',
    doc: 'Test only, and refused unless NODE_ENV=test: a parent process (the soak, whole-process tests) that started the server with an IPC channel may kill or stall a cell through it (docs/operations.md, "Soak").',
  },
];

/** True when the hooks are asked for (under NODE_ENV=test); a problem is recorded when asked for elsewhere. */
export function readFaultHooksFlag(r: EnvReader, env: Env): boolean {
  const on = r.bool('TESSERA_FAULT_HOOKS', false);
  if (on && env.NODE_ENV !== 'test') {
    r.problem(`TESSERA_FAULT_HOOKS is honoured only with NODE_ENV=test (NODE_ENV is ${env.NODE_ENV === undefined ? 'unset' : JSON.stringify(env.NODE_ENV)}); unset it`);
    return false;
  }
  return on;
}
