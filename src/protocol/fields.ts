import type { FieldCodec } from './field-codec.ts';
import { Limits } from './opcodes.ts';

/**
 * The one declaration of every replicated entity field. From it come the
 * entity store's columns (src/shared/layout.ts), the per-client view table's
 * columns (view-table.ts), the snapshot codec's enter record and update
 * groups (snapshot-codec.ts) and the handoff's baseline rows
 * (src/workers/handoff.ts). Adding a replicated field is one line here plus
 * its tests; nothing else names the fields one by one.
 *
 * Plain data, so a table also travels to a worker in workerData (a test can
 * run a zone with an extra field).
 */

/** Element type of a column in the shared entity store. */
export type StoreType = 'u8' | 'u16' | 'i32' | 'u32' | 'f32';
/** Element type of a field on the wire and in view tables. */
export type WireType = 'u8' | 'u16' | 'u32';

/**
 * How a store value becomes a wire value:
 * - `position`: world units to fixed point (Limits.positionScale), clamped to u16;
 * - `clamp`: rounded and clamped to the wire type's range (hp below 0 is 0);
 * - `bits`: the low bits that fit the wire type (flag words).
 */
export type Quantise = 'position' | 'clamp' | 'bits';

export interface FieldSpec {
  store: StoreType;
  wire: WireType;
  /** Update group (WireGroupSpec.name): a changed field sends its whole group. */
  group: string;
  quantise: Quantise;
  /**
   * Smallest change, in wire units, worth sending in an update; a smaller
   * one keeps the previous value (so server and client baselines agree: on
   * the server, an entity's shared row keeps its last row's value,
   * workers/entity-rows.ts; in a plain delta between two tables, the
   * baseline's). 0 (the default) sends every change.
   */
  threshold?: number;
}

/**
 * An update group: one bit of the update mask, its fields in table order.
 * A `delta` group takes two bits: DELTA (each field as an i8 change from the
 * baseline, when all fit) and ABS (each field in full).
 */
export interface WireGroupSpec {
  name: string;
  delta?: boolean;
}

export interface FieldTableSpec {
  fields: Readonly<Record<string, FieldSpec>>;
  /** In mask-bit order. */
  groups: readonly WireGroupSpec[];
}

/** Tessera's replicated fields. The order of `fields` is the enter record's. */
export const REPLICATED_FIELDS = {
  fields: {
    kind: { store: 'u8', wire: 'u8', group: 'look', quantise: 'clamp' },
    template: { store: 'u16', wire: 'u16', group: 'look', quantise: 'clamp' },
    x: { store: 'f32', wire: 'u16', group: 'pos', quantise: 'position' },
    y: { store: 'f32', wire: 'u16', group: 'pos', quantise: 'position' },
    hp: { store: 'i32', wire: 'u16', group: 'hp', quantise: 'clamp' },
    maxHp: { store: 'i32', wire: 'u16', group: 'stats', quantise: 'clamp' },
    level: { store: 'u8', wire: 'u8', group: 'stats', quantise: 'clamp' },
    flags: { store: 'u32', wire: 'u8', group: 'flags', quantise: 'bits' },
    /** The entity it targets (a handle; 0: none): target rings, whom an NPC fights. */
    target: { store: 'u32', wire: 'u32', group: 'target', quantise: 'bits' },
    /** The class resource (mana, energy or rage) and its maximum. */
    mana: { store: 'i32', wire: 'u16', group: 'mana', quantise: 'clamp' },
    maxMana: { store: 'i32', wire: 'u16', group: 'stats', quantise: 'clamp' },
    /** The skill being cast (0: none), the zone tick it completes at (its low 16 bits) and its length in ticks. */
    castSkill: { store: 'u16', wire: 'u16', group: 'cast', quantise: 'clamp' },
    castEnd: { store: 'u32', wire: 'u16', group: 'cast', quantise: 'bits' },
    castTicks: { store: 'u16', wire: 'u16', group: 'cast', quantise: 'clamp' },
  },
  groups: [{ name: 'pos', delta: true }, { name: 'hp' }, { name: 'flags' }, { name: 'stats' }, { name: 'look' }, { name: 'target' }, { name: 'mana' }, { name: 'cast' }],
} as const satisfies FieldTableSpec;

export type ReplicatedField = keyof (typeof REPLICATED_FIELDS)['fields'];

/** Name → wire type of every replicated field (tests, arbitraries, docs). */
export const ReplicatedFields = Object.fromEntries(
  Object.entries(REPLICATED_FIELDS.fields).map(([name, f]) => [name, f.wire]),
) as { readonly [K in ReplicatedField]: (typeof REPLICATED_FIELDS)['fields'][K]['wire'] };

const WIRE_BYTES: Record<WireType, number> = { u8: 1, u16: 2, u32: 4 };
const WIRE_MAX: Record<WireType, number> = { u8: 0xff, u16: 0xffff, u32: 0xffffffff };

/** One field, resolved: its index in the table, bytes on the wire, group and bit. */
export interface ResolvedField extends FieldSpec {
  name: string;
  index: number;
  bytes: number;
  max: number;
  threshold: number;
  groupIndex: number;
}

export interface ResolvedGroup {
  name: string;
  delta: boolean;
  /** Mask bit; a delta group's ABS bit is `bit << 1`. */
  bit: number;
  /** Field indices in table order. */
  fields: number[];
}

/**
 * A field table checked and resolved into what the store, the view tables
 * and the codec iterate over. Built once per table (module load), never per
 * tick.
 */
export class FieldSchema {
  readonly spec: FieldTableSpec;
  readonly fields: readonly ResolvedField[];
  readonly groups: readonly ResolvedGroup[];
  /** Field index by name. */
  readonly index: Readonly<Record<string, number>>;
  /** Bytes of an enter record after its id. */
  readonly enterBytes: number;
  /** Largest update body: the mask varint plus every group in full. */
  readonly maxUpdateBodyBytes: number;
  /** Every bit the update mask may carry. */
  readonly knownMask: number;
  /** Bytes of one row, in a handoff and in a view table's memory: the u32 id plus every field. */
  readonly rowBytes: number;
  /** Field index of the position fields, for the area-of-interest code; -1 when absent. */
  readonly xIndex: number;
  readonly yIndex: number;
  // Flat arrays for the per-row loops of the codec and the replicator, which
  // index typed arrays instead of walking objects.
  /** Wire bytes per field. */
  readonly widths: Uint8Array;
  readonly thresholds: Uint32Array;
  /** Quantise kind per field: QuantiseCode. */
  readonly quantiseCodes: Uint8Array;
  /** Largest wire value per field. */
  readonly maxima: Float64Array;
  readonly groupBit: Uint32Array;
  readonly groupDelta: Uint8Array;
  /** Fields of group g: groupOrder[groupStart[g] .. groupStart[g + 1]). */
  readonly groupStart: Uint16Array;
  readonly groupOrder: Uint16Array;
  /** Group of each field. */
  readonly fieldGroup: Uint8Array;
  /** By mask bit index: its group, and 1 when it is a delta group's ABS bit. */
  readonly bitGroup: Uint8Array;
  readonly bitAbs: Uint8Array;
  /** The DELTA bits of every delta group. */
  readonly deltaBits: number;
  /** The codec compiled for this table (field-codec.ts codecOf), built on first use. */
  codec: FieldCodec | null = null;

  constructor(spec: FieldTableSpec) {
    this.spec = spec;
    const groups: ResolvedGroup[] = [];
    let bit = 1;
    for (const g of spec.groups) {
      if (groups.some((o) => o.name === g.name)) throw new Error(`field table: group ${g.name} declared twice`);
      groups.push({ name: g.name, delta: g.delta === true, bit, fields: [] });
      bit <<= g.delta ? 2 : 1;
    }
    if (bit > 2 ** 28) throw new Error('field table: too many update groups for a 4-byte mask varint');
    const fields: ResolvedField[] = [];
    const index: Record<string, number> = {};
    for (const [name, f] of Object.entries(spec.fields)) {
      // A field is also a property of every view table (t.x) and a key of generated code.
      if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) || RESERVED_NAMES.has(name)) throw new Error(`field table: ${JSON.stringify(name)} is not a usable field name`);
      const gi = groups.findIndex((g) => g.name === f.group);
      if (gi < 0) throw new Error(`field table: field ${name} names unknown group ${f.group}`);
      if (!(f.wire in WIRE_BYTES)) throw new Error(`field table: field ${name} has unknown wire type ${f.wire}`);
      const threshold = f.threshold ?? 0;
      if (!Number.isInteger(threshold) || threshold < 0) throw new Error(`field table: field ${name} threshold must be a non-negative integer`);
      const r: ResolvedField = { ...f, name, index: fields.length, bytes: WIRE_BYTES[f.wire], max: WIRE_MAX[f.wire], threshold, groupIndex: gi };
      index[name] = r.index;
      groups[gi].fields.push(r.index);
      fields.push(r);
    }
    for (const g of groups) if (g.fields.length === 0) throw new Error(`field table: group ${g.name} has no fields`);
    this.fields = fields;
    this.groups = groups;
    this.index = index;
    this.knownMask = bit - 1;
    this.enterBytes = fields.reduce((n, f) => n + f.bytes, 0);
    this.maxUpdateBodyBytes = varBytes(this.knownMask) + this.enterBytes;
    this.rowBytes = 4 + this.enterBytes;
    this.xIndex = index.x ?? -1;
    this.yIndex = index.y ?? -1;
    this.widths = Uint8Array.from(fields, (f) => f.bytes);
    this.thresholds = Uint32Array.from(fields, (f) => f.threshold);
    this.quantiseCodes = Uint8Array.from(fields, (f) => QuantiseCode[f.quantise]);
    this.maxima = Float64Array.from(fields, (f) => f.max);
    this.groupBit = Uint32Array.from(groups, (g) => g.bit);
    this.groupDelta = Uint8Array.from(groups, (g) => (g.delta ? 1 : 0));
    this.groupStart = new Uint16Array(groups.length + 1);
    const order: number[] = [];
    groups.forEach((g, gi) => {
      this.groupStart[gi] = order.length;
      order.push(...g.fields);
    });
    this.groupStart[groups.length] = order.length;
    this.groupOrder = Uint16Array.from(order);
    this.fieldGroup = Uint8Array.from(fields, (f) => f.groupIndex);
    this.bitGroup = new Uint8Array(32);
    this.bitAbs = new Uint8Array(32);
    let deltaBits = 0;
    groups.forEach((g, gi) => {
      const b = 31 - Math.clz32(g.bit);
      this.bitGroup[b] = gi;
      if (g.delta) {
        this.bitGroup[b + 1] = gi;
        this.bitAbs[b + 1] = 1;
        deltaBits |= g.bit;
      }
    });
    this.deltaBits = deltaBits;
  }

  /** The wire value of a store value for field `k`. */
  quantise(k: number, v: number): number {
    return quantiseValue(this.quantiseCodes[k], this.maxima[k], v);
  }
}

export const QuantiseCode = { position: 0, clamp: 1, bits: 2 } as const;

/** A store value as its wire value (see Quantise). */
export function quantiseValue(code: number, max: number, v: number): number {
  if (code === QuantiseCode.position) {
    const q = Math.round(v * Limits.positionScale);
    return q < 0 ? 0 : q > max ? max : q;
  }
  if (code === QuantiseCode.bits) return max === 0xffffffff ? v >>> 0 : v & max;
  if (!(v > 0)) return 0; // negatives and NaN
  return v > max ? max : Math.round(v);
}

/** Members of a view table and of objects, which a field name must not shadow. */
const RESERVED_NAMES = new Set(['tick', 'count', 'capacity', 'ids', 'cols', 'schema', 'codec', 'layout', 'ensure', 'grow', 'copyRow', 'indexOf', 'constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']);

/** Bytes of an unsigned LEB128 varint of `v`. */
function varBytes(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** The schema of Tessera's own fields. */
export const DEFAULT_SCHEMA = new FieldSchema(REPLICATED_FIELDS);

const schemas = new Map<FieldTableSpec, FieldSchema>([[REPLICATED_FIELDS, DEFAULT_SCHEMA]]);

/** The schema of a table, built once per table object. */
export function schemaOf(spec: FieldTableSpec | undefined): FieldSchema {
  if (!spec) return DEFAULT_SCHEMA;
  let s = schemas.get(spec);
  if (!s) {
    s = new FieldSchema(spec);
    schemas.set(spec, s);
  }
  return s;
}
