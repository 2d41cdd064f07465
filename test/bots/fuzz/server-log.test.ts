import { describe, expect, it } from 'vitest';
import { LogWatch } from '../../../src/bots/fuzz/server-log.ts';

describe('LogWatch', () => {
  it('passes info and warn lines, and fails on error, fatal and lines that are not JSON', () => {
    const w = new LogWatch();
    w.push('{"level":30,"msg":"protocol error: unknown client opcode 0"}');
    w.push('{"level":40,"msg":"refusing connections from an address over its limit"}');
    w.push('');
    expect(w.ok).toBe(true);
    expect(w.warningCount).toBe(1);
    w.push('{"level":50,"err":{"type":"TypeError","stack":"TypeError: x is undefined"},"msg":"http handler failed"}');
    w.push('TypeError: Cannot read properties of undefined (reading \'x\')');
    w.push('    at Gate.onMessage (src/main/gate/gate.ts:150:3)');
    expect(w.ok).toBe(false);
    expect(w.problemCount).toBe(3);
    expect(w.byLevel).toEqual({ '30': 1, '40': 1, '50': 1, not_json: 2 });
    expect(w.lines).toBe(5);
  });
});
