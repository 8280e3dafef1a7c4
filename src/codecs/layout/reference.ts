// The reference decoder: the same declaration interpreted by restructure (foliojs/restructure 3.0.2), the
// declarative engine the compiled decoders must agree with (issue 2; STYLE.md). It is slow and trusts its
// input (restructure throws a bare RangeError on short buffers), so it is used only by tests and the
// benchmark, on buffers already known to hold the whole structure. Nothing on a request path calls it.

import * as r from 'restructure';
import type { Layout, Leaf } from './layout';
import type { Prim } from './kinds';

const NUMBER: Record<Exclude<Prim, 'u64le' | 'u64be' | 'i64le'>, r.Type> = {
  u8: r.uint8, u16le: r.uint16le, u16be: r.uint16be, u32le: r.uint32le, u32be: r.uint32be, i32le: r.int32le,
};

/** restructure has no 64-bit integers (TOOLCHAIN.md): two 32-bit halves through restructure's own types. */
function int64(prim: 'u64le' | 'u64be' | 'i64le'): r.Type {
  return {
    decode(stream: r.DecodeStream): bigint {
      const first = BigInt((prim === 'u64be' ? r.uint32be : r.uint32le).decode(stream) as number);
      const second = BigInt((prim === 'u64be' ? r.uint32be : r.uint32le).decode(stream) as number);
      const u = prim === 'u64be' ? (first << 32n) | second : (second << 32n) | first;
      return prim === 'i64le' ? BigInt.asIntN(64, u) : u;
    },
    size: () => 8,
  };
}

/** A restructure type for one leaf, read at the leaf's absolute position (unions and bit-fields overlap). */
function leafType(leaf: Leaf, base: () => number): r.Type {
  let inner: r.Type;
  switch (leaf.kind) {
    case 'int':
      inner = leaf.prim === 'u64le' || leaf.prim === 'u64be' || leaf.prim === 'i64le' ? int64(leaf.prim) : NUMBER[leaf.prim!];
      break;
    case 'bits': {
      const unit = NUMBER[leaf.prim as 'u8' | 'u16le' | 'u32le'];
      const mask = 2 ** leaf.bitWidth! - 1;
      inner = {
        decode: (s: r.DecodeStream) => Math.floor((unit.decode(s) as number) / 2 ** leaf.bitOffset!) & mask,
        size: () => 0,
      };
      if (leaf.bitWidth === 32) inner = unit;
      break;
    }
    case 'bytes': {
      const buf = new r.Buffer(leaf.size);
      inner = { decode: (s: r.DecodeStream) => new Uint8Array(buf.decode(s) as Uint8Array), size: () => leaf.size };
      break;
    }
    case 'ascii': {
      const buf = new r.Buffer(leaf.size);
      inner = {
        decode: (s: r.DecodeStream) => Buffer.from(buf.decode(s) as Uint8Array).toString('latin1'),
        size: () => leaf.size,
      };
      break;
    }
    default:
      throw new Error(`reference decoder: ${leaf.kind} leaves are not part of the fixed structure`);
  }
  return {
    decode(stream: r.DecodeStream): unknown {
      const saved = stream.pos;
      stream.pos = base() + leaf.offset;
      const v = inner.decode(stream);
      stream.pos = saved;
      return v;
    },
    size: () => 0,
  };
}

/**
 * Decodes the fixed part of `layout` at `at` with restructure. Variable parts (ANYSIZE arrays, tails) and
 * zero-length markers are left out: the compiled decoder's handling of those is tested on its own.
 */
export function referenceDecode<T>(layout: Layout<T>, bytes: Uint8Array, at = 0): unknown {
  let start = at;
  const fields: Record<string, r.Type> = {};
  const leaves = layout.leaves.filter((l) => l.kind !== 'marker' && l.kind !== 'varBytes' && l.kind !== 'tail');
  leaves.forEach((l, i) => { fields[`f${i}`] = leafType(l, () => start); });
  const struct = new r.Struct(fields);
  const stream = new r.DecodeStream(bytes);
  start = at;
  const flat = struct.decode(stream) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  leaves.forEach((l, i) => {
    let node = out;
    for (const key of l.path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[l.path[l.path.length - 1]!] = flat[`f${i}`];
  });
  return out;
}
