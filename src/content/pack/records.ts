import { badFile, type FilePlace } from './errors.ts';

/**
 * A record table section: rows of f64 fields, row-major, named by one field
 * list per table (zone-pack.ts). f64 keeps tile coordinates exact (a Tiled
 * object at 100 px on 48-px tiles is 2.0833... tiles) and string indices
 * exact, and the section viewed as a Float64Array needs no copy.
 */
export interface RecordTable<F extends string> {
  id: string;
  fields: readonly F[];
}

export function encodeRecords<F extends string>(table: RecordTable<F>, rows: readonly Record<F, number>[]): Uint8Array {
  const out = new Float64Array(rows.length * table.fields.length);
  rows.forEach((row, r) => table.fields.forEach((f, k) => (out[r * table.fields.length + k] = row[f])));
  return new Uint8Array(out.buffer);
}

/** Rows of a record section; every value finite, else a ContentFileError at its byte. */
export function readRecords<F extends string>(table: RecordTable<F>, bytes: Uint8Array, at: FilePlace): Record<F, number>[] {
  const rowBytes = table.fields.length * Float64Array.BYTES_PER_ELEMENT;
  if (bytes.length % rowBytes !== 0) badFile(at, 0, `${bytes.length} bytes is not a whole number of ${rowBytes}-byte records`);
  const values = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / Float64Array.BYTES_PER_ELEMENT);
  const rows: Record<F, number>[] = [];
  for (let r = 0; r * table.fields.length < values.length; r++) {
    const row = {} as Record<F, number>;
    table.fields.forEach((f, k) => {
      const i = r * table.fields.length + k;
      if (!Number.isFinite(values[i])) badFile(at, i * Float64Array.BYTES_PER_ELEMENT, `record ${r} field ${f} is ${values[i]}, not a finite number`);
      row[f] = values[i];
    });
    rows.push(row);
  }
  return rows;
}
