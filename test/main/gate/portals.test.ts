import { describe, expect, it } from 'vitest';
import { routePortal, type PortalZone } from '../../../src/main/gate/portals.ts';
import { fieldMap, portal } from '../../helpers/zone-maps.ts';

const meadow = fieldMap('meadow', {
  width: 32,
  height: 32,
  portals: [portal('to-crypt', 5, 5, 1, 1, 'crypt', 'entry'), portal('to-far', 9, 9, 1, 1, 'far-away', 'gate'), portal('to-nowhere', 12, 12, 1, 1, 'crypt', 'nowhere')],
});
const crypt = fieldMap('crypt', { width: 16, height: 16, points: [{ name: 'entry', x: 3, y: 4 }] });

function zones(cryptLost = false): PortalZone[] {
  return [
    { name: 'meadow', map: meadow, lost: false },
    { name: 'crypt', map: crypt, lost: cryptLost },
  ];
}

describe('routePortal', () => {
  it('resolves the target zone by name and the point by name in its map', () => {
    expect(routePortal(zones(), 0, 0)).toMatchObject({ ok: true, to: 1, point: { name: 'entry', x: 3, y: 4 }, portal: { name: 'to-crypt' } });
  });

  it("falls back to the target map's spawn points by name", () => {
    const r = routePortal([{ name: 'meadow', map: fieldMap('m', { width: 32, height: 32, portals: [portal('p', 1, 1, 1, 1, 'crypt', 'spawn')] }), lost: false }, zones()[1]], 0, 0);
    expect(r).toMatchObject({ ok: true, point: { name: 'spawn', x: 8, y: 8 } });
  });

  it('refuses, with a reason, a portal not in the map, a zone not run here, a point the target lacks, and a zone that is down', () => {
    expect(routePortal(zones(), 0, 7)).toMatchObject({ ok: false, refusal: 'unknown_portal' });
    expect(routePortal(zones(), 1, 0)).toMatchObject({ ok: false, refusal: 'unknown_portal' });
    const far = routePortal(zones(), 0, 1);
    expect(far).toMatchObject({ ok: false, refusal: 'zone_not_served', portal: { name: 'to-far' } });
    expect(!far.ok && far.why).toMatch(/far-away.*does not run/);
    expect(routePortal(zones(), 0, 2)).toMatchObject({ ok: false, refusal: 'unknown_point' });
    expect(routePortal(zones(true), 0, 0)).toMatchObject({ ok: false, refusal: 'zone_down' });
    expect(routePortal([{ name: 'meadow', map: undefined, lost: false }], 0, 0)).toMatchObject({ ok: false, refusal: 'unknown_portal' });
  });
});
