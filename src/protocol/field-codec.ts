import { Limits } from './opcodes.ts';
import { QuantiseCode, type FieldSchema, type StoreType } from './fields.ts';
import type { Reader } from './reader.ts';
import type { ViewTable, WireColumn } from './view-table.ts';
import type { Writer } from './writer.ts';

/** Staged update values of one decode: per field, per update (opaque; made by the codec). */
export type UpdateValues = { readonly __staged: unique symbol };

/**
 * The per-row work of the snapshot codec and of replication, for one field
 * table. Compiled once per table into straight-line code in which field
 * names, widths, group bits and thresholds are constants and every column is
 * a named property (`t["x"][j]`), as protobuf.js compiles its codecs; it runs
 * as fast as code written by hand for the table (loops over the table's
 * descriptors, or columns indexed from an array, measured 30-100 % slower
 * per entity: bench/README.md). Where code generation is refused (a page
 * whose Content-Security-Policy forbids eval) the same functions run as
 * loops over the descriptors; a test holds both to the same bytes.
 */
export interface FieldCodec {
  readonly compiled: boolean;
  /** Writes every field of row `j` in table order (an enter record's body). */
  writeRow(w: Writer, t: ViewTable, j: number): void;
  /**
   * Writes the update records of the rows in both `base` (its rows
   * [bo, bo + bn)) and `cur` (rows [co, co + cn)), id-sorted ranges merged,
   * whose fields changed past their thresholds, and returns how many it
   * wrote. A change within a field's threshold is undone in `cur`, so the
   * server's baseline stays what the client will hold. One call per
   * snapshot: the columns are loaded once, not once per row. The ranges may
   * lie in one table (tests and tools keep views so)
   * but must not overlap.
   */
  writeUpdates(w: Writer, base: ViewTable, bo: number, bn: number, cur: ViewTable, co: number, cn: number): number;
  /** Reads an enter record's body into row `e`. */
  readRow(r: Reader, t: ViewTable, e: number): void;
  /** Room to stage `n` updates. */
  makeValues(n: number): UpdateValues;
  /** Reads the fields of the groups `mask` names into staged update `u` (a delta group's DELTA: the i8 changes). */
  readUpdate(r: Reader, mask: number, v: UpdateValues, u: number): void;
  /** Applies staged update `u` (read with `mask`) to row `n` of `t`. */
  applyUpdate(t: ViewTable, n: number, mask: number, v: UpdateValues, u: number): void;
  /** Copies row `i` of `src` into row `j` of `dst` (ids too). */
  copyRow(dst: ViewTable, j: number, src: ViewTable, i: number): void;
  /**
   * Quantises store slot `slot` into row `o` of `t`, against row `p` of the
   * same entity (-1: none): a field whose change from row p is within its
   * threshold keeps row p's value (hysteresis, so a row changes only by what
   * an update would send). Returns 1 when row o differs from row p (always
   * when p is -1), else 0. The shared rows of a cell (workers/entity-rows.ts).
   */
  refreshRow(t: ViewTable, from: ArrayLike<number>[], slot: number, o: number, p: number): number;
  /**
   * writeUpdates over views that name rows of one shared table `t` instead
   * of holding them: `bids`/`brefs` [bo, bo + bn) the baseline's ids and row
   * references, `cids`/`crefs` [co, co + cn) the current view's; a reference
   * is a row of `t` after `& mask`. Two views naming one row send nothing
   * for it, and every difference between two rows is sent (their thresholds
   * were applied as the rows were made: refreshRow).
   */
  writeUpdatesRef(
    w: Writer,
    t: ViewTable,
    mask: number,
    bids: Uint32Array,
    brefs: Uint32Array,
    bo: number,
    bn: number,
    cids: Uint32Array,
    crefs: Uint32Array,
    co: number,
    cn: number,
  ): number;
}

/** The codec of a schema: compiled when the platform allows it, built once and kept on the schema. */
export function codecOf(schema: FieldSchema): FieldCodec {
  return (schema.codec ??= compileCodec(schema) ?? genericCodec(schema));
}

const IO = { 1: 'u8', 2: 'u16', 4: 'u32' } as const;

/** Source of the straight-line functions for `schema` (exported for the docs and tests). */
export function codecSource(schema: FieldSchema): string {
  const fields = schema.fields;
  const io = (bytes: number) => IO[bytes as 1 | 2 | 4];
  // Columns by name with a constant key: V8 loads them as fast as a declared property.
  const col = (t: string, k: number) => `${t}[${JSON.stringify(fields[k].name)}]`;
  const fn = (sig: string, body: string[]) => `function ${sig} {\n  ${body.join('\n  ')}\n}`;

  const writeRow = fn('writeRow(w, t, j)', fields.map((f) => `w.${io(f.bytes)}(${col('t', f.index)}[j]);`));
  const readRow = fn('readRow(r, t, e)', fields.map((f) => `${col('t', f.index)}[e] = r.${io(f.bytes)}();`));

  // An update record for base row `bi` and current row `cj` (loaded columns b<k>, c<k>); thresholds undo a small change in cur.
  const record = (bi: string, cj: string, thresholds: boolean): string[] => {
    const row: string[] = ['mask = 0; big = 0;'];
    for (const f of fields) {
      const k = f.index;
      const g = schema.groups[f.groupIndex];
      const mark = g.delta ? `mask |= ${g.bit}; if (d < -128 || d > 127) big |= ${g.bit};` : `mask |= ${g.bit};`;
      row.push(`d = c${k}[${cj}] - b${k}[${bi}];`);
      if (thresholds && f.threshold > 0) row.push(`if (d !== 0) { if (d <= ${f.threshold} && d >= -${f.threshold}) c${k}[${cj}] = b${k}[${bi}]; else { ${mark} } }`);
      else row.push(`if (d !== 0) { ${mark} }`);
    }
    // A mask below 128 is a one-byte varint: the same byte as a u8.
    row.push('if (mask !== 0) {', '  mask = (mask & ~big) | (big << 1);', '  w.varu32(b - prev);', schema.knownMask < 0x80 ? '  w.u8(mask);' : '  w.varu32(mask);');
    for (const g of schema.groups) {
      const full = g.fields.map((k) => `w.${io(fields[k].bytes)}(c${k}[${cj}]);`).join(' ');
      if (g.delta) {
        const delta = g.fields.map((k) => `w.i8(c${k}[${cj}] - b${k}[${bi}]);`).join(' ');
        row.push(`  if ((mask & ${g.bit}) !== 0) { ${delta} } else if ((mask & ${g.bit << 1}) !== 0) { ${full} }`);
      } else row.push(`  if ((mask & ${g.bit}) !== 0) { ${full} }`);
    }
    row.push('  n++;', '  prev = b;', '}');
    return row;
  };
  const merge = (body: string[]) =>
    `while (i < be && j < ce) {\n    a = bids[i];\n    b = cids[j];\n    if (a < b) { i++; continue; }\n    if (a > b) { j++; continue; }\n    ${body.join('\n    ')}\n  }`;

  // writeUpdates: the merge walk of the two id-sorted tables, every column loaded once before it.
  const wu: string[] = ['const be = bo + bn, ce = co + cn, bids = base.ids, cids = cur.ids;'];
  for (const f of fields) wu.push(`const b${f.index} = ${col('base', f.index)}, c${f.index} = ${col('cur', f.index)};`);
  wu.push('let n = 0, prev = 0, i = bo, j = co, a = 0, b = 0, mask = 0, big = 0, d = 0;');
  wu.push(merge([...record('i', 'j', true), 'i++;', 'j++;']), 'return n;');
  const writeUpdates = fn('writeUpdates(w, base, bo, bn, cur, co, cn)', wu);

  // writeUpdatesRef: the same walk over two views of references into one table; one row named twice is unchanged.
  const wr: string[] = ['const be = bo + bn, ce = co + cn;'];
  for (const f of fields) wr.push(`const b${f.index} = ${col('t', f.index)}, c${f.index} = b${f.index};`);
  wr.push('let n = 0, prev = 0, i = bo, j = co, a = 0, b = 0, mask = 0, big = 0, d = 0, r = 0, q = 0;');
  wr.push(merge(['r = brefs[i];', 'q = crefs[j];', 'if (r !== q) {', '  r &= rowMask;', '  q &= rowMask;', ...record('r', 'q', false).map((l) => '  ' + l), '}', 'i++;', 'j++;']), 'return n;');
  const writeUpdatesRef = fn('writeUpdatesRef(w, t, rowMask, bids, brefs, bo, bn, cids, crefs, co, cn)', wr);

  const makeValues = fn('makeValues(n)', [`return { ${fields.map((f) => `${JSON.stringify(f.name)}: new Int32Array(n)`).join(', ')} };`]);
  const ru: string[] = [];
  const au: string[] = [];
  for (const g of schema.groups) {
    const full = g.fields.map((k) => `${col('v', k)}[u] = r.${io(fields[k].bytes)}();`).join(' ');
    const set = g.fields.map((k) => `${col('t', k)}[n] = ${col('v', k)}[u];`).join(' ');
    if (g.delta) {
      const delta = g.fields.map((k) => `${col('v', k)}[u] = r.i8();`).join(' ');
      // A DELTA wraps like the wire type, as the encoder's difference did.
      const add = g.fields.map((k) => `${col('t', k)}[n] = (${col('t', k)}[n] + ${col('v', k)}[u]) & ${fields[k].max};`).join(' ');
      ru.push(`if ((mask & ${g.bit}) !== 0) { ${delta} } else if ((mask & ${g.bit << 1}) !== 0) { ${full} }`);
      au.push(`if ((mask & ${g.bit}) !== 0) { ${add} } else if ((mask & ${g.bit << 1}) !== 0) { ${set} }`);
    } else {
      ru.push(`if ((mask & ${g.bit}) !== 0) { ${full} }`);
      au.push(`if ((mask & ${g.bit}) !== 0) { ${set} }`);
    }
  }
  const readUpdate = fn('readUpdate(r, mask, v, u)', ru);
  const applyUpdate = fn('applyUpdate(t, n, mask, v, u)', au);
  const copyRow = fn('copyRow(dst, j, src, i)', ['dst.ids[j] = src.ids[i];', ...fields.map((f) => `${col('dst', f.index)}[j] = ${col('src', f.index)}[i];`)]);

  // Each field's quantisation of store slot `slot` into row `o` (t<k>, f<k> loaded before), as quantiseValue does it.
  const per: string[] = [];
  for (const f of fields) {
    const k = f.index;
    const code = schema.quantiseCodes[k];
    const max = f.max;
    per.push(
      code === QuantiseCode.position
        ? `q = Math.round(f${k}[slot] * ${Limits.positionScale}); t${k}[o] = q < 0 ? 0 : q > ${max} ? ${max} : q;`
        : code === QuantiseCode.bits
          ? `t${k}[o] = ${max === 0xffffffff ? `f${k}[slot] >>> 0` : `f${k}[slot] & ${max}`};`
          : clampSource(f.store, `f${k}[slot]`, `t${k}[o]`, max),
    );
  }

  // refreshRow: one row quantised, then held to row p within each field's threshold.
  const rr: string[] = ['let q = 0, v = 0, d = 0, c = 0;'];
  for (const f of fields) rr.push(`const t${f.index} = ${col('t', f.index)}, f${f.index} = from[${f.index}];`);
  rr.push(...per, 'if (p < 0) return 1;');
  for (const f of fields) {
    const k = f.index;
    rr.push(`d = t${k}[o] - t${k}[p];`);
    if (f.threshold > 0) rr.push(`if (d !== 0) { if (d <= ${f.threshold} && d >= -${f.threshold}) t${k}[o] = t${k}[p]; else c = 1; }`);
    else rr.push('if (d !== 0) c = 1;');
  }
  rr.push('return c;');
  const refreshRow = fn('refreshRow(t, from, slot, o, p)', rr);

  const all = { writeRow, writeUpdates, writeUpdatesRef, readRow, makeValues, readUpdate, applyUpdate, copyRow, refreshRow };
  return `"use strict";\n${Object.values(all).join('\n')}\nreturn { compiled: true, ${Object.keys(all).join(', ')} };`;
}

/** Largest value of each integer store type (a float store has none). */
const STORE_MAX: Partial<Record<StoreType, number>> = { u8: 0xff, u16: 0xffff, u32: 0xffffffff, i32: 0x7fffffff };

/**
 * A clamp quantisation as source, as quantiseValue does it, with what an
 * integer store column makes needless left out: no rounding and no NaN,
 * and no bounds the column cannot reach (a u8 or u16 column into as wide a
 * wire field is a copy). Most replicated fields are such columns, and refreshRow
 * runs for every entity in anyone's view, every tick.
 */
function clampSource(store: StoreType, from: string, to: string, max: number): string {
  const top = STORE_MAX[store];
  if (top === undefined) return `v = ${from}; ${to} = !(v > 0) ? 0 : v > ${max} ? ${max} : Math.round(v);`;
  const signed = store === 'i32';
  if (!signed && top <= max) return `${to} = ${from};`;
  if (!signed) return `v = ${from}; ${to} = v > ${max} ? ${max} : v;`;
  return `v = ${from}; ${to} = v < 0 ? 0 : v > ${max} ? ${max} : v;`;
}

/** Straight-line functions for `schema`, or null when code generation is refused. */
export function compileCodec(schema: FieldSchema): FieldCodec | null {
  const source = codecSource(schema);
  try {
    return new Function(source)() as FieldCodec;
  } catch {
    return null; // eval refused (a Content-Security-Policy): the loops below serve
  }
}

/** The same functions as loops over the schema's descriptors. */
export function genericCodec(schema: FieldSchema): FieldCodec {
  const { widths, thresholds, fieldGroup, groupBit, groupDelta, groupStart, groupOrder: order, bitGroup, bitAbs, maxima, quantiseCodes } = schema;
  const nf = widths.length;
  const put = (w: Writer, bytes: number, v: number): void => {
    if (bytes === 1) w.u8(v);
    else if (bytes === 2) w.u16(v);
    else w.u32(v);
  };
  /** A store value as field k's wire value (quantiseValue's rules). */
  const quantise = (k: number, v: number): number => {
    const max = maxima[k];
    const code = quantiseCodes[k];
    if (code === QuantiseCode.position) {
      const q = Math.round(v * Limits.positionScale);
      return q < 0 ? 0 : q > max ? max : q;
    }
    if (code === QuantiseCode.bits) return max === 0xffffffff ? v >>> 0 : v & max;
    return !(v > 0) ? 0 : v > max ? max : Math.round(v);
  };
  const take = (r: Reader, bytes: number): number => (bytes === 1 ? r.u8() : bytes === 2 ? r.u16() : r.u32());
  const vals = (v: UpdateValues) => v as unknown as Int32Array[];
  /** The update record of base row i and current row j, if any field changed (a change within its threshold undone in cur when `thresholds`). */
  const writeRecord = (w: Writer, bc: WireColumn[], i: number, cc: WireColumn[], j: number, step: number, useThresholds: boolean): boolean => {
    let mask = 0;
    let big = 0;
    for (let k = 0; k < nf; k++) {
      const d = cc[k][j] - bc[k][i];
      if (d === 0) continue;
      const t = thresholds[k];
      if (useThresholds && t !== 0 && d <= t && d >= -t) {
        cc[k][j] = bc[k][i];
        continue;
      }
      const g = fieldGroup[k];
      mask |= groupBit[g];
      if (groupDelta[g] === 1 && (d < -128 || d > 127)) big |= groupBit[g];
    }
    if (mask === 0) return false;
    mask = (mask & ~big) | (big << 1);
    w.varu32(step);
    w.varu32(mask);
    for (let m = mask; m !== 0; m &= m - 1) {
      const b = 31 - Math.clz32(m & -m);
      const g = bitGroup[b];
      for (let q = groupStart[g]; q < groupStart[g + 1]; q++) {
        const k = order[q];
        if (groupDelta[g] === 1 && bitAbs[b] === 0) w.i8(cc[k][j] - bc[k][i]);
        else put(w, widths[k], cc[k][j]);
      }
    }
    return true;
  };
  return {
    compiled: false,
    writeRow(w, t, j) {
      for (let k = 0; k < nf; k++) put(w, widths[k], t.cols[k][j]);
    },
    writeUpdates(w, base, bo, bn, cur, co, cn) {
      let n = 0;
      let prev = 0;
      for (let i = bo, j = co; i < bo + bn && j < co + cn; ) {
        const a = base.ids[i];
        const id = cur.ids[j];
        if (a < id) i++;
        else if (a > id) j++;
        else {
          if (writeRecord(w, base.cols, i, cur.cols, j, id - prev, true)) {
            n++;
            prev = id;
          }
          i++;
          j++;
        }
      }
      return n;
    },
    writeUpdatesRef(w, t, rowMask, bids, brefs, bo, bn, cids, crefs, co, cn) {
      let n = 0;
      let prev = 0;
      for (let i = bo, j = co; i < bo + bn && j < co + cn; ) {
        const a = bids[i];
        const id = cids[j];
        if (a < id) i++;
        else if (a > id) j++;
        else {
          if (brefs[i] !== crefs[j] && writeRecord(w, t.cols, brefs[i] & rowMask, t.cols, crefs[j] & rowMask, id - prev, false)) {
            n++;
            prev = id;
          }
          i++;
          j++;
        }
      }
      return n;
    },
    readRow(r, t, e) {
      for (let k = 0; k < nf; k++) t.cols[k][e] = take(r, widths[k]);
    },
    makeValues(n) {
      return Array.from({ length: nf }, () => new Int32Array(n)) as unknown as UpdateValues;
    },
    readUpdate(r, mask, v, u) {
      const values = vals(v);
      for (let m = mask; m !== 0; m &= m - 1) {
        const b = 31 - Math.clz32(m & -m);
        const g = bitGroup[b];
        for (let q = groupStart[g]; q < groupStart[g + 1]; q++) {
          const k = order[q];
          values[k][u] = groupDelta[g] === 1 && bitAbs[b] === 0 ? r.i8() : take(r, widths[k]);
        }
      }
    },
    applyUpdate(t, n, mask, v, u) {
      const values = vals(v);
      const cols = t.cols;
      for (let m = mask; m !== 0; m &= m - 1) {
        const b = 31 - Math.clz32(m & -m);
        const g = bitGroup[b];
        for (let q = groupStart[g]; q < groupStart[g + 1]; q++) {
          const k = order[q];
          if (groupDelta[g] === 1 && bitAbs[b] === 0) cols[k][n] = (cols[k][n] + values[k][u]) & maxima[k];
          else cols[k][n] = values[k][u];
        }
      }
    },
    copyRow(dst, j, src, i) {
      dst.ids[j] = src.ids[i];
      const d = dst.cols;
      const s = src.cols;
      for (let k = 0; k < nf; k++) d[k][j] = s[k][i];
    },
    refreshRow(t, from, slot, o, p) {
      let changed = p < 0 ? 1 : 0;
      for (let k = 0; k < nf; k++) {
        const col = t.cols[k];
        col[o] = quantise(k, from[k][slot]);
        if (p < 0) continue;
        const d = col[o] - col[p];
        if (d === 0) continue;
        if (thresholds[k] !== 0 && d <= thresholds[k] && d >= -thresholds[k]) col[o] = col[p];
        else changed = 1;
      }
      return changed;
    },
  };
}
