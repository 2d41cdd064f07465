import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpatialGrid } from '../../src/shared/spatial-grid.ts';
import { ZoneGeometry } from '../../src/shared/zone-geometry.ts';

const geometry = new ZoneGeometry({ width: 64, height: 64, aoiTile: 16, cellCols: 2, cellRows: 1 });

describe('SpatialGrid', () => {
  it('gives each cell its own region of one shared buffer', () => {
    const grid = SpatialGrid.create(geometry, 100);
    expect(grid.buffer.byteLength).toBe(SpatialGrid.cellBytes(geometry, 100) * 2);
    expect(grid.slots[0].buffer).toBe(grid.buffer);
    expect(grid.tileStart[1].byteOffset).toBe(SpatialGrid.cellBytes(geometry, 100));
    expect(() => new SpatialGrid(new SharedArrayBuffer(16), geometry, 100)).toThrow(/too small/);
  });

  it('rebuild lists each owned slot once, under its tile, grouped by tile', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 199 }), { maxLength: 200 }),
        fc.array(fc.integer({ min: 0, max: geometry.tileCount - 1 }), { minLength: 200, maxLength: 200 }),
        fc.integer({ min: 0, max: 1 }),
        (owned, tiles, cell) => {
          const grid = SpatialGrid.create(geometry, 200);
          const tileOfSlot = Int32Array.from(tiles);
          // stale content from an earlier rebuild must not survive
          grid.rebuild(cell, Int32Array.from([0, 1, 2, 3]), 4, tileOfSlot);
          grid.rebuild(cell, Int32Array.from(owned), owned.length, tileOfSlot);
          const listed: number[] = [];
          let expectStart = 0;
          for (let t = 0; t < geometry.tileCount; t++) {
            expect(grid.tileStart[cell][t]).toBe(expectStart);
            const n = grid.tileCount[cell][t];
            for (let i = 0; i < n; i++) {
              const slot = grid.slots[cell][grid.tileStart[cell][t] + i];
              expect(tileOfSlot[slot]).toBe(t);
              listed.push(slot);
            }
            expectStart += n;
          }
          expect(listed.sort((a, b) => a - b)).toEqual([...owned].sort((a, b) => a - b));
          // the other cell's region is untouched
          const other = 1 - cell;
          expect(grid.tileCount[other].every((c) => c === 0)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a rebuild with nothing owned empties every tile', () => {
    const grid = SpatialGrid.create(geometry, 10);
    const tileOfSlot = new Int32Array(10).fill(3);
    grid.rebuild(0, Int32Array.from([1, 2]), 2, tileOfSlot);
    expect(grid.tileCount[0][3]).toBe(2);
    grid.rebuild(0, new Int32Array(0), 0, tileOfSlot);
    expect(grid.tileCount[0].every((c) => c === 0)).toBe(true);
  });
});
