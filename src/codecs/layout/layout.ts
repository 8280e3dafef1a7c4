// struct(): one declaration per structure, from which everything else is derived — the TypeScript type
// (Infer), the field offsets (MSVC natural alignment or packed), a specialised decoder and encoder
// compiled once per layout (compile.ts), restructure's reference decoder (reference.ts), and the
// fast-check generators (generators.ts).

import {
  PRIM_SIZE, type Fields, type Infer, type Input, type Kind, type Prim, type Role,
} from './kinds';
import { compileDecoder, compileEncoder, compileLeafReader, copyBytes, type CompiledDecoder, type CompiledEncoder } from './compile';
import {
  decodeError, encodeError, U32_LIMIT, type DecodeResult, type EncodeResult,
} from './errors';

/** One leaf of the flattened declaration: everything a decoder, encoder or generator needs. */
export interface Leaf {
  /** property path in the decoded value */
  readonly path: readonly string[];
  /** dotted name as in spec/data/layouts.json (`PR_OUT.Type`, `LocationInfo.BandStart`) */
  readonly name: string;
  /** absolute offset from the structure's start */
  readonly offset: number;
  readonly kind: 'int' | 'bits' | 'bytes' | 'ascii' | 'marker' | 'varBytes' | 'tail';
  /** storage type of an int or of a bit-field's unit */
  readonly prim?: Prim;
  /** storage bytes (the unit's size for bit-fields; 0 for markers and tails) */
  readonly size: number;
  readonly bitOffset?: number;
  readonly bitWidth?: number;
  readonly role: Role;
  readonly lengthField?: string;
  readonly tail?: { readonly elem: Prim | Layout<any>; readonly elemSize: number; readonly countField: string; readonly countUnit: number };
}

/** A row of the field table: top-level fields, union arms flattened, nested structures as one row. */
export interface FieldInfo {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly bitOffset?: number;
  readonly bitWidth?: number;
}

export interface LayoutOptions {
  /** sizeof from the spec: checked against the computed layout when the module loads */
  readonly size: number;
  /** alignment from the spec, checked likewise */
  readonly align: number;
  /** `#pragma pack(n)`; SCSI formats are packed (1) */
  readonly pack?: number;
}

export class Layout<T> {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  /** field table for contract tests and the annotated hex dump */
  readonly fields: readonly FieldInfo[];
  /** bytes no field covers: decoders ignore them, encoders write zeros */
  readonly padding: readonly { offset: number; size: number }[];
  readonly leaves: readonly Leaf[];
  /** the declaration, for the reference decoder and generators */
  readonly declaration: Fields;
  readonly pack: number;
  /** the one ANYSIZE_ARRAY leaf, if any (AUTH_KEY.Key) */
  readonly varLeaf: Leaf | undefined;
  readonly tailLeaf: Leaf | undefined;
  private readonly decodeFixed: CompiledDecoder;
  private readonly encodeFixed: CompiledEncoder;

  constructor(name: string, declaration: Fields, opts: LayoutOptions) {
    this.name = name;
    this.declaration = declaration;
    this.pack = opts.pack ?? 8;
    const placed = place(declaration, 0, this.pack, [], '');
    const size = roundUp(placed.end, placed.align);
    if (size !== opts.size || placed.align !== opts.align) {
      throw new Error(`${name}: declared size ${opts.size}/align ${opts.align}, computed ${size}/${placed.align}`);
    }
    this.size = size;
    this.align = placed.align;
    this.leaves = placed.leaves;
    this.fields = placed.fields;
    this.padding = computePadding(placed.covered, size);
    this.varLeaf = placed.leaves.find((l) => l.kind === 'varBytes');
    this.tailLeaf = placed.leaves.find((l) => l.kind === 'tail');
    this.decodeFixed = compileDecoder(this.leaves);
    this.encodeFixed = compileEncoder(this.leaves);
  }

  /** Bytes the structure occupies before its variable part: FIELD_OFFSET of an ANYSIZE array, else sizeof. */
  get headerSize(): number {
    return this.varLeaf ? this.varLeaf.offset : this.size;
  }

  /**
   * Decodes the structure at `at`. Never reads outside `bytes`, never throws: returns the value or an error
   * naming the field. `at` may be any number a 32-bit offset field holds; an end past 2^32 is `overflow`.
   */
  decode(bytes: Uint8Array, at = 0): DecodeResult<T> {
    const have = bytes.length;
    if (!(at >= 0 && at <= have && Number.isInteger(at))) {
      return decodeError(this.name, '(start)', 'out-of-range offset', at, at, have);
    }
    const header = this.headerSize;
    if (have - at < header) return this.shortAt(at, have);
    const value = this.decodeFixed(bytes, at) as Record<string, unknown>;
    const v = this.varLeaf;
    if (v !== undefined) {
      const length = value[v.lengthField!] as number;
      const end = at + v.offset + length;
      // Computed exactly (JS numbers hold 2^53); a driver adding ULONGs would wrap here (STYLE.md).
      if (end >= U32_LIMIT) {
        return decodeError(this.name, v.name, 'overflow', at + v.offset, end, have);
      }
      if (end > have) return decodeError(this.name, v.name, 'short', at + v.offset, end, have);
      value[v.path[0]!] = copyBytes(bytes, at + v.offset, end - at - v.offset);
    }
    const t = this.tailLeaf;
    if (t !== undefined) value[t.path[0]!] = decodeTail(t, value, bytes, at + t.offset);
    return { ok: true, value: value as T };
  }

  /**
   * Encodes a value into the exact bytes Windows (or the SCSI device) would hold: omitted fields are zero,
   * padding is zero, every integer is range-checked (restructure would silently wrap 300 into a uint8).
   * A length field left out is derived from the data it counts.
   */
  encode(value: Input<T>): EncodeResult {
    // A view on Node's pooled slab: a fresh small Uint8Array moves off-heap (~600 ns) the first time its
    // .buffer is touched, which every 64-bit field's DataView does (TOOLCHAIN.md "V8 costs").
    const n = this.encodedSize(value);
    const pooled = Buffer.allocUnsafe(n);
    const out = new Uint8Array(pooled.buffer, pooled.byteOffset, n);
    // no fill here: encodeInto zeroes the fixed part, and the variable part is written whole
    const r = this.encodeInto(value, out, 0);
    return r.ok ? { ok: true, value: out } : r;
  }

  /** Encodes into `target` at `at` (the fixed part plus any variable part); `target` must have the room. */
  encodeInto(value: Input<T>, target: Uint8Array, at: number): EncodeResult {
    const need = this.encodedSize(value);
    if (!(Number.isInteger(at) && at >= 0 && target.length - at >= need)) {
      return encodeError(this.name, '(start)', `no room for ${need} bytes at ${at}`);
    }
    if (value === null || typeof value !== 'object') return encodeError(this.name, '(value)', 'not an object');
    const record = value as Record<string, unknown>;
    const v = this.varLeaf;
    const t = this.tailLeaf;
    let effective: Record<string, unknown> = record;
    if (v !== undefined) {
      const data = record[v.path[0]!];
      if (data !== undefined && !(data instanceof Uint8Array)) return encodeError(this.name, v.name, 'not a byte array');
      if (record[v.lengthField!] === undefined) effective = { ...record, [v.lengthField!]: data ? data.length : 0 };
    }
    if (t !== undefined) {
      const items = record[t.path[0]!];
      if (items !== undefined && !Array.isArray(items)) return encodeError(this.name, t.name, 'not an array');
      const tl = t.tail!;
      if (record[tl.countField] === undefined) {
        const n = items ? items.length : 0;
        effective = { ...effective, [tl.countField]: tl.countUnit ? n * tl.countUnit : n };
      }
    }
    target.fill(0, at, at + Math.min(this.size, need)); // padding and omitted fields are zero
    const err = this.encodeFixed(effective, target, at);
    if (err !== undefined) return encodeError(this.name, err.field, err.detail);
    if (v !== undefined) {
      const data = record[v.path[0]!] as Uint8Array | undefined;
      if (data) target.set(data, at + v.offset);
    }
    if (t !== undefined) {
      const r = encodeTail(this.name, t, record[t.path[0]!] as unknown[] | undefined, target, at + t.offset);
      if (!r.ok) return r;
    }
    return { ok: true, value: target };
  }

  /** Encodes a value that is known to be valid (constants, tests); throws on a programming error. */
  bytes(value: Input<T>): Uint8Array {
    const r = this.encode(value);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }

  /** Size of the encoding of `value`: the fixed part (without tail padding past an ANYSIZE array) plus parts. */
  encodedSize(value: Input<T>): number {
    const record = (value ?? {}) as Record<string, unknown>;
    if (this.varLeaf) {
      const data = record[this.varLeaf.path[0]!];
      return this.varLeaf.offset + (data instanceof Uint8Array ? data.length : 0);
    }
    if (this.tailLeaf) {
      const items = record[this.tailLeaf.path[0]!];
      return this.size + (Array.isArray(items) ? items.length * this.tailLeaf.tail!.elemSize : 0);
    }
    return this.size;
  }

  /**
   * A zero-allocation reader for one integer or bit-field, derived from this declaration (for hot paths that
   * need a few fields of an already bounds-checked buffer, e.g. the device's CDB handlers). Throws only for a
   * name the declaration does not have — a programming error, caught when the module loads.
   */
  reader<N extends number | bigint = number>(name: string): (bytes: Uint8Array, at: number) => N {
    const leaf = this.leaf(name);
    if (!leaf) throw new Error(`${this.name} has no field ${name}`);
    return compileLeafReader(leaf) as (bytes: Uint8Array, at: number) => N;
  }

  /** The leaf a field name denotes (dotted, as in the field table), for generators and annotations. */
  leaf(name: string): Leaf | undefined {
    return this.leaves.find((l) => l.name === name);
  }

  private shortAt(at: number, have: number): { ok: false; error: import('./errors').DecodeError } {
    // The first field (in offset order) that does not fit names the error.
    let field = '(end)';
    let fieldAt = at + this.headerSize;
    for (const l of this.leaves) {
      if (l.kind === 'marker' || l.kind === 'tail' || l.kind === 'varBytes') continue;
      if (at + l.offset + l.size > have) {
        if (field === '(end)' || l.offset < fieldAt - at) {
          field = l.name;
          fieldAt = at + l.offset;
        }
      }
    }
    return decodeError(this.name, field, 'short', fieldAt, at + this.headerSize, have);
  }
}

export function struct<F extends Fields>(name: string, fields: F, opts: LayoutOptions): Layout<Infer<F>> {
  return new Layout<Infer<F>>(name, fields, opts);
}

// ---- placement: MSVC rules (layouts.md §0) ----

interface Placed {
  end: number;
  align: number;
  leaves: Leaf[];
  fields: FieldInfo[];
  covered: [number, number][];
}

function roundUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function kindAlign(kind: Kind<unknown>, pack: number): number {
  switch (kind.k) {
    case 'int': return Math.min(PRIM_SIZE[kind.prim], pack);
    case 'bits': return Math.min(PRIM_SIZE[kind.prim], pack);
    case 'bytes': case 'ascii': case 'marker': case 'varBytes': return 1;
    case 'nested': return Math.min(kind.layout.align, pack);
    case 'group': return Math.min(groupAlign(kind.fields, pack), pack);
    case 'tail': return kind.elem.k === 'int' ? Math.min(PRIM_SIZE[kind.elem.prim], pack) : Math.min(kind.elem.layout.align, pack);
    case 'union': return kindAlign(kind.arm, pack);
  }
}

function groupAlign(fields: Fields, pack: number): number {
  let a = 1;
  for (const k of Object.values(fields)) a = Math.max(a, kindAlign(k, pack));
  return a;
}

/**
 * Places `fields` starting at `base`; returns the leaves with absolute offsets. Bit-fields of the same
 * declared type share a storage unit, filled from bit 0 upward; a field that does not fit starts a new
 * unit (MSVC). Consecutive union members with the same tag start at the same offset.
 */
function place(fields: Fields, base: number, pack: number, path: string[], prefix: string): Placed {
  const out: Placed = { end: base, align: 1, leaves: [], fields: [], covered: [] };
  let unit: { prim: Prim; offset: number; used: number } | undefined;
  const entries = Object.entries(fields);
  for (let i = 0; i < entries.length; i++) {
    const [name, kind] = entries[i]!;
    if (kind.k !== 'bits') unit = undefined;
    if (kind.k === 'union') {
      // gather the run of members with this tag
      const run: [string, Kind<unknown>][] = [];
      while (i < entries.length && entries[i]![1].k === 'union' && (entries[i]![1] as { tag: string }).tag === kind.tag) {
        const [n, k] = entries[i]!;
        run.push([n, (k as { arm: Kind<unknown> }).arm]);
        i++;
      }
      i--;
      let ua = 1;
      for (const [, arm] of run) ua = Math.max(ua, kindAlign(arm, pack));
      const start = roundUp(out.end, ua);
      let usize = 0;
      for (const [n, arm] of run) {
        const p = placeOne(n, arm, start, pack, path, prefix);
        merge(out, p);
        usize = Math.max(usize, p.end - start);
      }
      out.end = start + roundUp(usize, ua);
      out.align = Math.max(out.align, ua);
      continue;
    }
    if (kind.k === 'bits') {
      const us = PRIM_SIZE[kind.prim];
      if (!unit || unit.prim !== kind.prim || unit.used + kind.width > us * 8) {
        const a = Math.min(us, pack);
        unit = { prim: kind.prim, offset: roundUp(out.end, a), used: 0 };
        out.end = unit.offset + us;
        out.align = Math.max(out.align, a);
        out.covered.push([unit.offset, out.end]);
      }
      // layouts.json names the byte that holds the bits: for a multi-byte unit, the byte within it.
      const byteInUnit = Math.floor(unit.used / 8);
      const sameByte = Math.floor((unit.used + kind.width - 1) / 8) === byteInUnit;
      out.leaves.push({
        path: [...path, name], name: prefix + name, offset: unit.offset, kind: 'bits', prim: kind.prim,
        size: us, bitOffset: unit.used, bitWidth: kind.width, role: kind.role,
      });
      out.fields.push(
        sameByte && us > 1
          ? { name: prefix + name, offset: unit.offset + byteInUnit, size: 1, bitOffset: unit.used % 8, bitWidth: kind.width }
          : { name: prefix + name, offset: unit.offset, size: us, bitOffset: unit.used, bitWidth: kind.width },
      );
      unit.used += kind.width;
      continue;
    }
    merge(out, placeOne(name, kind, out.end, pack, path, prefix));
    out.align = Math.max(out.align, kindAlign(kind, pack));
  }
  return out;
}

function merge(into: Placed, p: Placed): void {
  into.leaves.push(...p.leaves);
  into.fields.push(...p.fields);
  into.covered.push(...p.covered);
  into.end = Math.max(into.end, p.end);
  into.align = Math.max(into.align, p.align);
}

function placeOne(name: string, kind: Kind<unknown>, at: number, pack: number, path: string[], prefix: string): Placed {
  const a = kindAlign(kind, pack);
  const offset = roundUp(at, a);
  const full = prefix + name;
  const p: Placed = { end: offset, align: a, leaves: [], fields: [], covered: [] };
  const leaf = (l: Omit<Leaf, 'path' | 'name' | 'offset' | 'role'>, size: number): void => {
    p.leaves.push({ path: [...path, name], name: full, offset, role: kind.role, ...l });
    p.fields.push({ name: full, offset, size });
    p.end = offset + size;
    if (size > 0) p.covered.push([offset, offset + size]);
  };
  switch (kind.k) {
    case 'int':
      leaf({ kind: 'int', prim: kind.prim, size: PRIM_SIZE[kind.prim] }, PRIM_SIZE[kind.prim]);
      break;
    case 'bytes':
      leaf({ kind: 'bytes', size: kind.n }, kind.n);
      break;
    case 'ascii':
      leaf({ kind: 'ascii', size: kind.n }, kind.n);
      break;
    case 'marker':
      leaf({ kind: 'marker', size: 0 }, 0);
      break;
    case 'varBytes':
      leaf({ kind: 'varBytes', size: 0, lengthField: kind.lengthField }, kind.declared);
      break;
    case 'tail': {
      const elem = kind.elem.k === 'int' ? kind.elem.prim : kind.elem.layout;
      const elemSize = kind.elem.k === 'int' ? PRIM_SIZE[kind.elem.prim] : kind.elem.layout.size;
      leaf({ kind: 'tail', size: 0, tail: { elem, elemSize, countField: kind.countField, countUnit: kind.countUnit } }, 0);
      break;
    }
    case 'nested': {
      const inner = kind.layout;
      for (const l of inner.leaves) {
        p.leaves.push({ ...l, path: [...path, name, ...l.path], name: `${full}.${l.name}`, offset: offset + l.offset });
      }
      p.fields.push({ name: full, offset, size: inner.size });
      for (const l of inner.leaves) {
        if (l.size > 0 && l.kind !== 'tail' && l.kind !== 'varBytes' && l.kind !== 'marker') p.covered.push([offset + l.offset, offset + l.offset + l.size]);
      }
      p.end = offset + inner.size;
      break;
    }
    case 'group': {
      const g = place(kind.fields, offset, pack, [...path, name], `${full}.`);
      merge(p, g);
      p.end = offset + roundUp(g.end - offset, g.align);
      break;
    }
    case 'bits':
    case 'union':
      throw new Error(`${full}: ${kind.k} is placed by its parent`);
  }
  return p;
}

function computePadding(covered: [number, number][], size: number): { offset: number; size: number }[] {
  const mark = new Uint8Array(size);
  for (const [a, b] of covered) mark.fill(1, a, Math.min(b, size));
  const out: { offset: number; size: number }[] = [];
  for (let i = 0; i < size; i++) {
    if (mark[i]) continue;
    const start = i;
    while (i < size && !mark[i]) i++;
    out.push({ offset: start, size: i - start });
  }
  return out;
}

// ---- tails: flexible arrays after the fixed part ----

function decodeTail(t: Leaf, value: Record<string, unknown>, bytes: Uint8Array, start: number): unknown[] {
  const tl = t.tail!;
  const raw = value[tl.countField];
  const declared = typeof raw === 'number' ? (tl.countUnit ? Math.floor(raw / tl.countUnit) : raw) : 0;
  // Never trust the count: decode only whole elements that are really in the buffer.
  const available = Math.floor(Math.max(0, bytes.length - start) / tl.elemSize);
  const n = Math.min(declared, available);
  const items: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const at = start + i * tl.elemSize;
    if (typeof tl.elem === 'string') items.push(readPrim(bytes, at, tl.elem));
    else {
      const r = tl.elem.decode(bytes, at);
      if (!r.ok) break;
      items.push(r.value);
    }
  }
  return items;
}

function encodeTail(
  layout: string, t: Leaf, items: unknown[] | undefined, target: Uint8Array, start: number,
): EncodeResult {
  if (!items) return { ok: true, value: target };
  const tl = t.tail!;
  for (let i = 0; i < items.length; i++) {
    const at = start + i * tl.elemSize;
    if (typeof tl.elem === 'string') {
      const err = writePrim(target, at, tl.elem, items[i]);
      if (err) return encodeError(layout, `${t.name}[${i}]`, err);
    } else {
      const r = tl.elem.encodeInto(items[i] as never, target, at);
      if (!r.ok) return encodeError(layout, `${t.name}[${i}].${r.error.field}`, r.error.message);
    }
  }
  return { ok: true, value: target };
}

// ---- generic (interpreted) primitive access, for tails, generators and annotations ----

export function readPrim(b: Uint8Array, at: number, prim: Prim): number | bigint {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (prim) {
    case 'u8': return b[at]!;
    case 'u16le': return dv.getUint16(at, true);
    case 'u16be': return dv.getUint16(at, false);
    case 'u32le': return dv.getUint32(at, true);
    case 'u32be': return dv.getUint32(at, false);
    case 'i32le': return dv.getInt32(at, true);
    case 'u64le': return dv.getBigUint64(at, true);
    case 'u64be': return dv.getBigUint64(at, false);
    case 'i64le': return dv.getBigInt64(at, true);
  }
}

/** Writes a range-checked primitive; returns an error text instead of wrapping. */
export function writePrim(b: Uint8Array, at: number, prim: Prim, value: unknown): string | undefined {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const big = prim === 'u64le' || prim === 'u64be' || prim === 'i64le';
  if (big) {
    let v: bigint;
    if (typeof value === 'bigint') v = value;
    else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value);
    else return `${String(value)} is not a 64-bit integer`;
    const [lo, hi] = prim === 'i64le' ? [-(1n << 63n), (1n << 63n) - 1n] : [0n, (1n << 64n) - 1n];
    if (v < lo || v > hi) return `${v} is outside ${prim}`;
    if (prim === 'i64le') dv.setBigInt64(at, v, true);
    else dv.setBigUint64(at, v, prim === 'u64le');
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) return `${String(value)} is not an integer`;
  const max = prim === 'u8' ? 0xff : prim === 'u16le' || prim === 'u16be' ? 0xffff : prim === 'i32le' ? 0x7fffffff : 0xffffffff;
  const min = prim === 'i32le' ? -0x80000000 : 0;
  if (value < min || value > max) return `${value} is outside ${prim}`;
  switch (prim) {
    case 'u8': b[at] = value; break;
    case 'u16le': dv.setUint16(at, value, true); break;
    case 'u16be': dv.setUint16(at, value, false); break;
    case 'u32le': dv.setUint32(at, value, true); break;
    case 'u32be': dv.setUint32(at, value, false); break;
    case 'i32le': dv.setInt32(at, value, true); break;
  }
  return undefined;
}
