/**
 * Geometry of one zone: the map's extent, the area-of-interest tiles laid
 * over it and the grid of cells that own rectangles of whole tiles.
 */
export interface ZoneGeometryOptions {
  /** Map width and height in world units (one unit = one map tile). */
  width: number;
  height: number;
  /** Edge of one area-of-interest tile in world units. */
  aoiTile: number;
  /** Cell grid. */
  cellCols: number;
  cellRows: number;
}

export class ZoneGeometry {
  readonly width: number;
  readonly height: number;
  readonly aoiTile: number;
  readonly tilesX: number;
  readonly tilesY: number;
  readonly tileCount: number;
  readonly cellCols: number;
  readonly cellRows: number;
  readonly cellCount: number;
  /** Owning cell of each tile. */
  readonly cellOfTile: Int32Array;
  /** First tile column / row of each cell column / row, plus the end. */
  readonly colEdges: Int32Array;
  readonly rowEdges: Int32Array;

  constructor(o: ZoneGeometryOptions) {
    for (const k of ['width', 'height', 'aoiTile', 'cellCols', 'cellRows'] as const) {
      const v = o[k];
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`zone ${k} must be a positive integer, got ${v}`);
    }
    this.width = o.width;
    this.height = o.height;
    this.aoiTile = o.aoiTile;
    this.tilesX = Math.ceil(o.width / o.aoiTile);
    this.tilesY = Math.ceil(o.height / o.aoiTile);
    if (o.cellCols > this.tilesX || o.cellRows > this.tilesY) {
      throw new RangeError(
        `a ${o.cellCols}x${o.cellRows} cell grid needs at least that many AOI tiles; the map has ${this.tilesX}x${this.tilesY}`,
      );
    }
    this.tileCount = this.tilesX * this.tilesY;
    this.cellCols = o.cellCols;
    this.cellRows = o.cellRows;
    this.cellCount = o.cellCols * o.cellRows;
    this.colEdges = new Int32Array(o.cellCols + 1);
    this.rowEdges = new Int32Array(o.cellRows + 1);
    for (let c = 0; c <= o.cellCols; c++) this.colEdges[c] = Math.floor((c * this.tilesX) / o.cellCols);
    for (let r = 0; r <= o.cellRows; r++) this.rowEdges[r] = Math.floor((r * this.tilesY) / o.cellRows);
    this.cellOfTile = new Int32Array(this.tileCount);
    for (let r = 0; r < o.cellRows; r++) {
      for (let c = 0; c < o.cellCols; c++) {
        for (let ty = this.rowEdges[r]; ty < this.rowEdges[r + 1]; ty++) {
          for (let tx = this.colEdges[c]; tx < this.colEdges[c + 1]; tx++) {
            this.cellOfTile[ty * this.tilesX + tx] = r * o.cellCols + c;
          }
        }
      }
    }
  }

  /** AOI tile column of x, clamped to the map (NaN counts as below it). */
  tileX(x: number): number {
    const t = Math.floor(x / this.aoiTile);
    return !(t >= 0) ? 0 : t >= this.tilesX ? this.tilesX - 1 : t;
  }

  /** AOI tile row of y, clamped like tileX. */
  tileY(y: number): number {
    const t = Math.floor(y / this.aoiTile);
    return !(t >= 0) ? 0 : t >= this.tilesY ? this.tilesY - 1 : t;
  }

  /** AOI tile index holding a position (clamped to the map). */
  tileOf(x: number, y: number): number {
    return this.tileY(y) * this.tilesX + this.tileX(x);
  }

  /** Cell that owns a position. */
  cellOf(x: number, y: number): number {
    return this.cellOfTile[this.tileOf(x, y)];
  }

  /** World-unit rectangle [x0, y0, x1, y1) of a cell, clamped to the map. */
  cellRect(cell: number): [number, number, number, number] {
    const c = cell % this.cellCols;
    const r = Math.floor(cell / this.cellCols);
    const t = this.aoiTile;
    return [
      this.colEdges[c] * t,
      this.rowEdges[r] * t,
      Math.min(this.colEdges[c + 1] * t, this.width),
      Math.min(this.rowEdges[r + 1] * t, this.height),
    ];
  }
}
