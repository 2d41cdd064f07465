import { describe, expect, it } from 'vitest';
import { wsHeaderBytes } from '../../src/protocol/ws-header.ts';

describe('wsHeaderBytes', () => {
  it('follows RFC 6455 length encodings, plus the mask key from clients', () => {
    expect(wsHeaderBytes(125, false)).toBe(2);
    expect(wsHeaderBytes(126, false)).toBe(4);
    expect(wsHeaderBytes(65535, false)).toBe(4);
    expect(wsHeaderBytes(65536, false)).toBe(10);
    expect(wsHeaderBytes(16, true)).toBe(6);
  });
});
