import { Limits } from './opcodes.ts';
import { QuantiseCode, type FieldSchema, type StoreType } from './fields.ts';
import type { Reader } from './reader.ts';
import type { ViewTable } from './view-table.ts';
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
   * lie in one table (a client's baselines share one: workers/baselines.ts)
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
  /** Quantises rows `slots[0..n)` of the store's replicated columns (table order) into rows off..off + n of `t`. */
  fill(t: ViewTable, from: ArrayLike<number>[], slots: Int32Array, n: number, off: number): void;
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

  // writeUpdates: the merge walk of the two id-sorted tables, every column loaded once before it.
  const wu: string[] = ['const be = bo + bn, ce = co + cn, bids = base.ids, cids = cur.ids;'];
  for (const f of fields) wu.push(`const b${f.index} = ${col('base', f.index)}, c${f.index} = ${col('cur', f.index)};`);
  wu.push('let n = 0, prev = 0, i = bo, j = co, a = 0, b = 0, mask = 0, big = 0, d = 0;');
  const row: string[] = ['mask = 0; big = 0;'];
  for (const f of fields) {
    const k = f.index;
    const g = schema.groups[f.groupIndex];
    const mark = g.delta ? `mask |= ${g.bit}; if (d < -128 || d > 127) big |= ${g.bit};` : `mask |= ${g.bit};`;
    row.push(`d = c${k}[j] - b${k}[i];`);
    if (f.threshold > 0) row.push(`if (d !== 0) { if (d <= ${f.threshold} && d >= -${f.threshold}) c${k}[j] = b${k}[i]; else { ${mark} } }`);
    else row.push(`if (d !== 0) { ${mark} }`);
  }
  // A mask below 128 is a one-byte varint: the same byte as a u8.
  row.push('if (mask !== 0) {', '  mask = (mask & ~big) | (big << 1);', '  w.varu32(b - prev);', schema.knownMask < 0x80 ? '  w.u8(mask);' : '  w.varu32(mask);');
  for (const g of schema.groups) {
    const full = g.fields.map((k) => `w.${io(fields[k].bytes)}(c${k}[j]);`).join(' ');
    if (g.delta) {
      const delta = g.fields.map((k) => `w.i8(c${k}[j] - b${k}[i]);`).join(' ');
      row.push(`  if ((mask & ${g.bit}) !== 0) { ${delta} } else if ((mask & ${g.bit << 1}) !== 0) { ${full} }`);
    } else row.push(`  if ((mask & ${g.bit}) !== 0) { ${full} }`);
  }
  row.push('  n++;', '  prev = b;', '}', 'i++;', 'j++;');
  wu.push(`while (i < be && j < ce) {\n    a = bids[i];\n    b = cids[j];\n    if (a < b) { i++; continue; }\n    if (a > b) { j++; continue; }\n    ${row.join('\n    ')}\n  }`, 'return n;');
  const writeUpdates = fn('writeUpdates(w, base, bo, bn, cur, co, cn)', wu);

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

  // fill: one pass over the rows; each field has its own load and store, so each stays monomorphic.
  const fl: string[] = ['let q = 0, v = 0, slot = 0, o = 0;'];
  const per: string[] = [];
  for (const f of fields) {
    const k = f.index;
    const code = schema.quantiseCodes[k];
    const max = f.max;
    fl.push(`const t${k} = ${col('t', k)}, f${k} = from[${k}];`);
    per.push(
      code === QuantiseCode.position
        ? `q = Math.round(f${k}[slot] * ${Limits.positionScale}); t${k}[o] = q < 0 ? 0 : q > ${max} ? ${max} : q;`
        : code === QuantiseCode.bits
          ? `t${k}[o] = ${max === 0xffffffff ? `f${k}[slot] >>> 0` : `f${k}[slot] & ${max}`};`
          : clampSource(f.store, `f${k}[slot]`, `t${k}[o]`, max),
    );
  }
  fl.push(`for (let i = 0; i < n; i++) {\n    slot = s[i];\n    o = off + i;\n    ${per.join('\n    ')}\n  }`);
  const fill = fn('fill(t, from, s, n, off)', fl);

  const all = { writeRow, writeUpdates, readRow, makeValues, readUpdate, applyUpdate, copyRow, fill };
  return `"use strict";\n${Object.values(all).join('\n')}\nreturn { compiled: true, ${Object.keys(all).join(', ')} };`;
}

/** Largest value of each integer store type (a float store has none). */
const STORE_MAX: Partial<Record<StoreType, number>> = { u8: 0xff, u16: 0xffff, u32: 0xffffffff, i32: 0x7fffffff };

/**
 * A clamp quantisation as source, as quantiseValue does it, with what an
 * integer store column makes needless left out: no rounding and no NaN,
 * and no bounds the column cannot reach (a u8 or u16 column into as wide a
 * wire field is a copy). Most replicated fields are such columns, and fill
 * runs for every entity in every player's view.
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
  const take = (r: Reader, bytes: number): number => (bytes === 1 ? r.u8() : bytes === 2 ? r.u16() : r.u32());
  const vals = (v: UpdateValues) => v as unknown as Int32Array[];
  return {
    compiled: false,
    writeRow(w, t, j) {
      for (let k = 0; k < nf; k++) put(w, widths[k], t.cols[k][j]);
    },
    writeUpdates(w, base, bo, bn, cur, co, cn) {
      const bc = base.cols;
      const cc = cur.cols;
      let n = 0;
      let prev = 0;
      for (let i = bo, j = co; i < bo + bn && j < co + cn; ) {
        const a = base.ids[i];
        const id = cur.ids[j];
        if (a < id) {
          i++;
          continue;
        }
        if (a > id) {
          j++;
          continue;
        }
        let mask = 0;
        let big = 0;
        for (let k = 0; k < nf; k++) {
          const d = cc[k][j] - bc[k][i];
          if (d === 0) continue;
          const t = thresholds[k];
          if (t !== 0 && d <= t && d >= -t) {
            cc[k][j] = bc[k][i];
            continue;
          }
          const g = fieldGroup[k];
          mask |= groupBit[g];
          if (groupDelta[g] === 1 && (d < -128 || d > 127)) big |= groupBit[g];
        }
        if (mask !== 0) {
          mask = (mask & ~big) | (big << 1);
          w.varu32(id - prev);
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
          n++;
          prev = id;
        }
        i++;
        j++;
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
    fill(t, from, slots, n, off) {
      for (let k = 0; k < nf; k++) {
        const to = t.cols[k];
        const f = from[k];
        const code = quantiseCodes[k];
        const max = maxima[k];
        if (code === QuantiseCode.position) {
          for (let i = 0; i < n; i++) {
            const q = Math.round(f[slots[i]] * Limits.positionScale);
            to[off + i] = q < 0 ? 0 : q > max ? max : q;
          }
        } else if (code === QuantiseCode.bits) {
          for (let i = 0; i < n; i++) to[off + i] = max === 0xffffffff ? f[slots[i]] >>> 0 : f[slots[i]] & max;
        } else {
          for (let i = 0; i < n; i++) {
            const v = f[slots[i]];
            to[off + i] = !(v > 0) ? 0 : v > max ? max : Math.round(v);
          }
        }
      }
    },
  };
}
