// fast-check generators derived from a layout's declaration (STYLE.md "Fuzzing practice"; syzkaller's
// lengths and offsets as references): valid values; valid buffers whose offset fields point at real parts
// laid out after the fixed structure; boundary buffers where exactly one length/offset/count/StructSize
// field sits on an edge; mutants where exactly one field is broken; and raw bytes. Every boundary and
// mutant case carries the name of the field it broke, so a failing property says which check was missed.

import fc from 'fast-check';
import type { Layout, Leaf } from './layout';
import { writePrim, readPrim } from './layout';
import { PRIM_SIZE, primRange, type Fields, type Input, type Kind, type Role } from './kinds';

export interface GeneratedBuffer {
  readonly bytes: Uint8Array;
  /** 'valid' | 'boundary' | 'mutant' | 'truncated' | 'extended' | 'raw' */
  readonly tier: string;
  /** the one field a boundary or mutant case changed */
  readonly field?: string;
  /** the value written into that field */
  readonly edge?: number | bigint;
}

const MAX_VAR_BYTES = 40;
const MAX_TAIL_ITEMS = 4;

// ---- valid values ----

function intArb(prim: Leaf['prim'] & string, role: Role, ownerSize: number): fc.Arbitrary<number | bigint> {
  const [lo, hi] = primRange(prim as never);
  const big = typeof lo === 'bigint';
  const cast = (n: number): number | bigint => (big ? BigInt(n) : n);
  switch (role.kind) {
    case 'structSize': return fc.constant(cast(ownerSize));
    case 'reserved': case 'offsetTo': return fc.constant(cast(0));
    case 'constant': return fc.constant(cast(role.value));
    case 'enum': return fc.constantFrom(...Object.values(role.values).map(cast));
    case 'flags': {
      const bitsSet = Object.values(role.values);
      return fc.subarray(bitsSet).map((s) => cast(s.reduce((a, b) => (a | b) >>> 0, 0)));
    }
    default:
      return big ? fc.bigInt({ min: lo as bigint, max: hi as bigint }) : fc.integer({ min: lo as number, max: hi as number });
  }
}

function bitsArb(width: number, role: Role, ownerSize: number): fc.Arbitrary<number> {
  switch (role.kind) {
    case 'structSize': return fc.constant(ownerSize);
    case 'reserved': case 'offsetTo': return fc.constant(0);
    case 'constant': return fc.constant(role.value);
    case 'enum': return fc.constantFrom(...Object.values(role.values));
    case 'flags': return fc.subarray(Object.values(role.values)).map((s) => s.reduce((a, b) => a | b, 0));
    default: return fc.integer({ min: 0, max: 2 ** width - 1 });
  }
}

function kindArb(kind: Kind<unknown>, ownerSize: number): fc.Arbitrary<unknown> | undefined {
  switch (kind.k) {
    case 'int': return kind.role.kind === 'lengthOf' ? undefined : intArb(kind.prim, kind.role, ownerSize);
    case 'bits': return bitsArb(kind.width, kind.role, ownerSize);
    case 'bytes':
      return kind.role.kind === 'reserved'
        ? fc.constant(new Uint8Array(kind.n))
        : fc.uint8Array({ minLength: kind.n, maxLength: kind.n });
    case 'ascii':
      return fc.array(fc.integer({ min: 0x20, max: 0x7e }), { minLength: kind.n, maxLength: kind.n })
        .map((codes) => String.fromCharCode(...codes));
    case 'nested': return fieldsArb(kind.layout.declaration, kind.layout.size);
    case 'group': return fieldsArb(kind.fields, ownerSize);
    case 'marker': return undefined;
    case 'varBytes': return fc.uint8Array({ maxLength: MAX_VAR_BYTES, size: 'max' });
    case 'tail': {
      const elem: fc.Arbitrary<unknown> = kind.elem.k === 'int'
        ? intArb(kind.elem.prim, kind.elem.role, ownerSize)
        : fieldsArb(kind.elem.layout.declaration, kind.elem.layout.size);
      return fc.array(elem, { maxLength: MAX_TAIL_ITEMS });
    }
    case 'union': return kindArb(kind.arm, ownerSize);
  }
}

function fieldsArb(fields: Fields, ownerSize: number): fc.Arbitrary<Record<string, unknown>> {
  const plain: Record<string, fc.Arbitrary<unknown>> = {};
  const unions = new Map<string, Record<string, fc.Arbitrary<unknown>>>();
  for (const [name, kind] of Object.entries(fields)) {
    const arb = kindArb(kind, ownerSize);
    if (arb === undefined) continue;
    if (kind.k === 'union') {
      const arms = unions.get(kind.tag) ?? {};
      arms[name] = arb;
      unions.set(kind.tag, arms);
    } else plain[name] = arb;
  }
  // A union gets exactly one arm: two arms would overwrite each other's bytes.
  const unionArbs = [...unions.values()].map((arms) =>
    fc.oneof(...Object.entries(arms).map(([n, a]) => a.map((v) => ({ [n]: v })))),
  );
  return fc.tuple(fc.record(plain), ...unionArbs).map(([base, ...picked]) => Object.assign({}, base, ...picked));
}

/** Valid values of a layout: enums and flags from their sets, reserved zero, StructSize = sizeof. */
export function validValue<T>(layout: Layout<T>): fc.Arbitrary<Input<T>> {
  return fieldsArb(layout.declaration, layout.size) as fc.Arbitrary<Input<T>>;
}

// ---- valid buffers with their variable parts ----

function roundUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Top-level offset fields: the parts a buffer of this layout carries after its fixed structure. */
export function offsetLeaves(layout: Layout<unknown>): Leaf[] {
  return layout.leaves.filter((l) => l.role.kind === 'offsetTo' && l.path.length === 1);
}

/**
 * A valid input buffer: the fixed structure, then every referenced part (each present or, where the offset
 * may be 0, absent), aligned to the part's alignment, with the offset fields pointing at them.
 */
export function validBuffer<T>(layout: Layout<T>, depth = 0): fc.Arbitrary<{ bytes: Uint8Array; value: Input<T> }> {
  const parts = depth > 1 ? [] : offsetLeaves(layout as Layout<unknown>);
  const partArbs = parts.map((leaf) => {
    const role = leaf.role as Extract<Role, { kind: 'offsetTo' }>;
    const body = validBuffer(role.target(), depth + 1).map((p) => p.bytes);
    return role.optional ? fc.option(body, { nil: undefined }) : body.map((b): Uint8Array | undefined => b);
  });
  return fc.tuple(validValue(layout), fc.tuple(...partArbs), fc.nat(3)).map(([value, bodies, gap]) => {
    const fixed = layout.encode(value);
    if (!fixed.ok) throw new Error(`generator produced an unencodable value: ${fixed.error.message}`);
    const placed: { leaf: Leaf; at: number; body: Uint8Array }[] = [];
    let end = fixed.value.length;
    bodies.forEach((body, i) => {
      if (!body) return;
      const target = (parts[i]!.role as Extract<Role, { kind: 'offsetTo' }>).target();
      const at = roundUp(end + gap, target.align);
      placed.push({ leaf: parts[i]!, at, body });
      end = at + body.length;
    });
    const bytes = new Uint8Array(end);
    bytes.set(fixed.value, 0);
    const withOffsets: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const p of placed) {
      bytes.set(p.body, p.at);
      writeLeaf(bytes, 0, p.leaf, p.at);
      withOffsets[p.leaf.path[0]!] = p.at;
    }
    return { bytes, value: withOffsets as Input<T> };
  });
}

// ---- writing one field into existing bytes ----

/** Writes `value` into the field `leaf` of the structure at `at`, leaving every other bit as it was. */
export function writeLeaf(bytes: Uint8Array, at: number, leaf: Leaf, value: number | bigint): void {
  if (leaf.kind === 'bits') {
    const unit = Number(readPrim(bytes, at + leaf.offset, leaf.prim!));
    const width = 2 ** leaf.bitWidth!;
    const shift = 2 ** leaf.bitOffset!;
    const field = Math.floor(unit / shift) % width;
    const next = unit - field * shift + (Number(value) % width) * shift;
    writePrim(bytes, at + leaf.offset, leaf.prim!, next);
    return;
  }
  if (leaf.kind === 'int') {
    const big = PRIM_SIZE[leaf.prim!] === 8;
    const [lo, hi] = primRange(leaf.prim!);
    // wrap into the field's range the way a C cast would: the point of an edge value is its bit pattern
    if (big) {
      const v = BigInt(value);
      const span = (hi as bigint) - (lo as bigint) + 1n;
      writePrim(bytes, at + leaf.offset, leaf.prim!, (((v - (lo as bigint)) % span) + span) % span + (lo as bigint));
    } else {
      const span = (hi as number) - (lo as number) + 1;
      const v = Number(value);
      writePrim(bytes, at + leaf.offset, leaf.prim!, ((((v - (lo as number)) % span) + span) % span) + (lo as number));
    }
  }
}

// ---- boundary values ----

/** Whether a field is a length, offset, count or StructSize: the relations a boundary case breaks. */
export function isSizeLike(layout: Layout<unknown>, leaf: Leaf): boolean {
  if (leaf.kind !== 'int' && leaf.kind !== 'bits') return false;
  const k = leaf.role.kind;
  if (k === 'structSize' || k === 'offsetTo' || k === 'lengthOf') return true;
  return layout.leaves.some((l) => (l.lengthField === leaf.name) || (l.tail?.countField === leaf.name));
}

/** STYLE.md's edge list for a length/offset/count field of a buffer of `length` bytes. */
export function edgeValues(layout: Layout<unknown>, leaf: Leaf, length: number): number[] {
  const s = layout.size;
  const raw = [
    0, 1, s - 1, s, s + 1, leaf.offset, leaf.offset + leaf.size, length - 1, length, length + 1,
    0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0xfffffffc, 0xfffffff8, 0xffffffff - length,
    0xffff, 0x10000, 0x10001, 4, 8,
  ];
  return [...new Set(raw.filter((v) => v >= 0))];
}

export function boundaryBuffer<T>(layout: Layout<T>): fc.Arbitrary<GeneratedBuffer> {
  const candidates = layout.leaves.filter((l) => isSizeLike(layout as Layout<unknown>, l));
  if (candidates.length === 0) return mutantBuffer(layout);
  return fc.tuple(validBuffer(layout), fc.nat(candidates.length - 1), fc.nat(1000)).map(([v, li, ei]) => {
    const leaf = candidates[li]!;
    const edges = edgeValues(layout as Layout<unknown>, leaf, v.bytes.length);
    const edge = edges[ei % edges.length]!;
    const bytes = v.bytes.slice();
    writeLeaf(bytes, 0, leaf, edge);
    return { bytes, tier: 'boundary', field: leaf.name, edge };
  });
}

// ---- mutants: one broken field ----

function brokenValue(leaf: Leaf, pick: number): number | bigint {
  const role = leaf.role;
  if (leaf.kind === 'bits' || (leaf.kind === 'int' && PRIM_SIZE[leaf.prim!] <= 4)) {
    const max = leaf.kind === 'bits' ? 2 ** leaf.bitWidth! - 1 : Number(primRange(leaf.prim!)[1]);
    if (role.kind === 'enum') {
      const known = new Set(Object.values(role.values));
      const outside = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xff, max].filter((v) => v <= max && !known.has(v));
      if (outside.length) return outside[pick % outside.length]!;
    }
    if (role.kind === 'flags') {
      const all = Object.values(role.values).reduce((a, b) => (a | b) >>> 0, 0);
      const unknown = [1, 2, 4, 8, 0x10, 0x100, 0x80000000].filter((b) => b <= max && (b & all) === 0);
      if (unknown.length) return unknown[pick % unknown.length]!;
    }
    if (role.kind === 'reserved' || role.kind === 'constant') return (pick % max) + 1;
    return pick % (max + 1);
  }
  return BigInt(pick) * 0x10000000001n;
}

export function mutantBuffer<T>(layout: Layout<T>): fc.Arbitrary<GeneratedBuffer> {
  const candidates = layout.leaves.filter((l) => l.kind === 'int' || l.kind === 'bits');
  return fc.tuple(validBuffer(layout), fc.nat(Math.max(0, candidates.length - 1)), fc.nat(0x7fffffff)).map(([v, li, pick]) => {
    const bytes = v.bytes.slice();
    const leaf = candidates[li];
    if (!leaf) return { bytes, tier: 'mutant' };
    const value = brokenValue(leaf, pick);
    writeLeaf(bytes, 0, leaf, value);
    return { bytes, tier: 'mutant', field: leaf.name, edge: value };
  });
}

/** Truncations and extensions of valid buffers. */
export function reshapedBuffer<T>(layout: Layout<T>): fc.Arbitrary<GeneratedBuffer> {
  return fc.tuple(validBuffer(layout), fc.nat(), fc.uint8Array({ maxLength: 16 }), fc.boolean()).map(([v, cut, extra, shorten]) =>
    shorten
      ? { bytes: v.bytes.slice(0, v.bytes.length === 0 ? 0 : cut % v.bytes.length), tier: 'truncated' }
      : { bytes: concat(v.bytes, extra), tier: 'extended' },
  );
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The fuzzing mix: valid 40, boundary 40, mutant (incl. truncations/extensions) 15, raw random bytes 5. */
export function fuzzBuffer<T>(layout: Layout<T>): fc.Arbitrary<GeneratedBuffer> {
  return fc.oneof(
    { weight: 40, arbitrary: validBuffer(layout).map((v): GeneratedBuffer => ({ bytes: v.bytes, tier: 'valid' })) },
    { weight: 40, arbitrary: boundaryBuffer(layout) },
    { weight: 10, arbitrary: mutantBuffer(layout) },
    { weight: 5, arbitrary: reshapedBuffer(layout) },
    { weight: 5, arbitrary: fc.uint8Array({ maxLength: layout.size * 2 + 16, size: 'max' }).map((bytes): GeneratedBuffer => ({ bytes, tier: 'raw' })) },
  );
}
