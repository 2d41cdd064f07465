import { describe, expect, it } from 'vitest';
import { allows, isRole, NEEDS } from '../../../src/main/admin/roles.ts';
import * as v from '../../../src/main/admin/admin-validate.ts';

describe('roles', () => {
  it('gives moderators read, kick, mute, announce and teleport, and admins everything', () => {
    const mod = Object.keys(NEEDS).filter((p) => allows('moderator', p as keyof typeof NEEDS));
    expect(mod.sort()).toEqual(['announce', 'kick', 'mute', 'read', 'teleport']);
    expect(Object.keys(NEEDS).every((p) => allows('admin', p as keyof typeof NEEDS))).toBe(true);
    expect(Object.keys(NEEDS).some((p) => allows('player', p as keyof typeof NEEDS))).toBe(false);
    expect(isRole('admin')).toBe(true);
    expect(isRole('root')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});

describe('admin input checks', () => {
  it('keeps reasons and announcements printable, trimmed and short', () => {
    expect(v.reason('  spam  ')).toBe('spam');
    for (const bad of [undefined, 3, '', '   ', 'a\nb', 'a\u200bb', 'a\u202eb', 'x'.repeat(201)]) expect(() => v.reason(bad), String(bad)).toThrow();
    expect(v.announcement('é'.repeat(100))).toHaveLength(100);
    expect(() => v.announcement('é'.repeat(101))).toThrow(/bytes/);
  });

  it('takes ids, coordinates, minutes, addresses and names only in range', () => {
    expect(v.id(5, 'conn')).toBe(5);
    for (const bad of [0, -1, 1.5, '5', 2 ** 31, NaN]) expect(() => v.id(bad, 'conn')).toThrow();
    expect(() => v.coordinate(Infinity, 'x')).toThrow();
    expect(() => v.minutes(0)).toThrow();
    expect(() => v.minutes(v.MAX_MINUTES + 1)).toThrow();
    expect(v.address('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(() => v.address('10.0.0.0/8')).toThrow();
    expect(() => v.zoneName('../x')).toThrow();
    expect(v.usernameRef('Alice')).toBe('alice');
    expect(() => v.oneOf({ a: 1, b: 2 }, ['a', 'b'])).toThrow(/exactly one/);
    expect(v.limit(null, 10, 5)).toBe(5);
    expect(() => v.limit('1e3', 10, 5)).toThrow();
  });
});
