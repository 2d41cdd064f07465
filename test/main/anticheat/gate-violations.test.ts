import { describe, expect, it } from 'vitest';
import { countingGateRefusals } from '../../../src/main/anticheat/gate-violations.ts';
import { PromGateMetrics } from '../../../src/main/metrics/gate.ts';

describe('countingGateRefusals', () => {
  it('counts an undecodable frame as malformed and a rate-limit close as flood, and passes everything on to the gate metrics', () => {
    const m = new PromGateMetrics();
    const seen: string[] = [];
    const passed: string[] = [];
    const orig = { messageIn: m.messageIn.bind(m), rateLimited: m.rateLimited.bind(m), handshake: m.handshake.bind(m) };
    m.messageIn = (type, bytes) => (passed.push(`in:${type}`), orig.messageIn(type, bytes));
    m.rateLimited = (limit) => (passed.push(`rate:${limit}`), orig.rateLimited(limit));
    m.handshake = (r) => (passed.push(`hs:${r}`), orig.handshake(r));
    const w = countingGateRefusals(m, (check) => seen.push(check));
    w.messageIn('input', 12);
    w.messageIn('invalid', 3);
    w.rateLimited('messages');
    w.rateLimited('bytes');
    w.handshake('ok');
    expect(seen).toEqual(['malformed', 'flood', 'flood']);
    expect(passed).toEqual(['in:input', 'in:invalid', 'rate:messages', 'rate:bytes', 'hs:ok']);
  });
});
