import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZoneGeometry } from '../../src/shared/zone-geometry.ts';
import { areNeighbours } from '../../src/shared/zone-memory.ts';

describe('ZoneGeometry', () => {
  it('validates its options with messages naming them', () => {
    const ok = { width: 64, height: 64, aoiTile: 16, cellCols: 2, cellRows: 2 };
    for (const k of ['width', 'height', 'aoiTile', 'cellCols', 'cellRows'] as const) {
      expect(() => new ZoneGeometry({ ...ok, [k]: 0 })).toThrow(new RegExp(`zone ${k}`));
      expect(() => new ZoneGeometry({ ...ok, [k]: 1.5 })).toThrow(RangeError);
    }
    expect(() => new ZoneGeometry({ ...ok, cellCols: 5 })).toThrow(/at least that many AOI tiles/);
  });

  it('covers a map that is not a multiple of the tile with a partial last tile', () => {
    const g = new ZoneGeometry({ width: 100, height: 50, aoiTile: 16, cellCols: 2, cellRows: 1 });
    expect(g.tilesX).toBe(7);
    expect(g.tilesY).toBe(4);
    expect(g.tileCount).toBe(28);
    expect(g.cellRect(0)).toEqual([0, 0, 48, 50]);
    expect(g.cellRect(1)).toEqual([48, 0, 100, 50]);
  });

  it('clamps tileOf to the map for positions outside it', () => {
    const g = new ZoneGeometry({ width: 64, height: 32, aoiTile: 16, cellCols: 2, cellRows: 1 });
    expect(g.tileOf(-5, -5)).toBe(0);
    expect(g.tileOf(64, 32)).toBe(g.tileCount - 1);
    expect(g.tileOf(1e9, 0)).toBe(3);
    expect(g.tileOf(0, 1e9)).toBe(4);
    expect(g.tileOf(-Infinity, Infinity)).toBe(4);
    expect(g.tileOf(15.999, 16)).toBe(4);
    expect(g.cellOf(-1, -1)).toBe(0);
    expect(g.cellOf(1000, 1000)).toBe(1);
  });

  // A NaN coordinate (one bad write into the store) gives tileOf() NaN and
  // cellOf() undefined; handoffOut() then looks up peersOut[undefined] and
  // throws, killing the cell. Clamping NaN like any other outside value keeps
  // one bad entity from taking the cell down.
  it('clamps a NaN coordinate to the map like any other out-of-range value', () => {
    const g = new ZoneGeometry({ width: 64, height: 32, aoiTile: 16, cellCols: 2, cellRows: 1 });
    expect(g.tileX(NaN)).toBe(0);
    expect(g.tileY(NaN)).toBe(0);
    expect(g.tileOf(NaN, NaN)).toBe(0);
    expect(g.cellOf(NaN, 5)).toBe(0);
  });

  it('every tile belongs to the cell whose rectangle holds it, and rectangles tile the map', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        (width, height, aoiTile, cols, rows) => {
          const tilesX = Math.ceil(width / aoiTile);
          const tilesY = Math.ceil(height / aoiTile);
          fc.pre(cols <= tilesX && rows <= tilesY);
          const g = new ZoneGeometry({ width, height, aoiTile, cellCols: cols, cellRows: rows });
          let area = 0;
          for (let c = 0; c < g.cellCount; c++) {
            const [x0, y0, x1, y1] = g.cellRect(c);
            expect(x1).toBeGreaterThan(x0); // every cell owns at least one tile
            expect(y1).toBeGreaterThan(y0);
            area += (x1 - x0) * (y1 - y0);
            // corners and centre of the rectangle map back to the cell
            for (const [x, y] of [
              [x0, y0],
              [x1 - 0.001, y0],
              [x0, y1 - 0.001],
              [x1 - 0.001, y1 - 0.001],
              [(x0 + x1) / 2, (y0 + y1) / 2],
            ]) {
              expect(g.cellOf(x, y)).toBe(c);
            }
          }
          expect(area).toBe(width * height);
          for (let t = 0; t < g.tileCount; t++) {
            const tx = t % g.tilesX;
            const ty = Math.floor(t / g.tilesX);
            if (g.tileOf(tx * aoiTile, ty * aoiTile) !== t) expect.fail(`tile ${t} does not hold its own corner`);
            const [x0, y0, x1, y1] = g.cellRect(g.cellOfTile[t]);
            const x = tx * aoiTile;
            const y = ty * aoiTile;
            if (x < x0 || x >= x1 || y < y0 || y >= y1) expect.fail(`tile ${t} lies outside the rectangle of its cell`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('neighbours are the distinct cells that touch, corners included', () => {
    const g = new ZoneGeometry({ width: 48, height: 48, aoiTile: 16, cellCols: 3, cellRows: 3 });
    const n = (a: number) => Array.from({ length: 9 }, (_, b) => b).filter((b) => areNeighbours(g, a, b));
    expect(n(4)).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
    expect(n(0)).toEqual([1, 3, 4]);
    expect(n(2)).toEqual([1, 4, 5]); // not 3: same row index difference of 2 columns
    expect(areNeighbours(g, 4, 4)).toBe(false);
  });
});
