import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ERRORS } from '../../../src/main/accounts/api-errors.ts';

describe('API error codes', () => {
  it('every code is documented in docs/api.md with its status', () => {
    const doc = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
    for (const [code, { status }] of Object.entries(API_ERRORS)) {
      expect(doc, code).toMatch(new RegExp(`\\|\\s*${status}\\s*\\|\\s*\`${code}\``));
    }
  });
});
