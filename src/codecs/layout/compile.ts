// Specialised decoders and encoders, generated once per layout from its leaves (TOOLCHAIN.md: restructure
// decodes a 24-byte record in ~2 µs, a decoder generated with `new Function` from the same field list in
// ~0.13 µs, as fast as hand-written DataView code). The generated code reads only offsets fixed by the
// declaration; the caller (Layout.decode) has already checked that they lie inside the buffer.
// restructure stays the reference the tests compare these against (reference.ts).

import type { Leaf } from './layout';
import { PRIM_SIZE, type Prim } from './kinds';

export type CompiledDecoder = (b: Uint8Array, at: number) => unknown;
export type CompiledEncoder = (
  value: Record<string, unknown>, b: Uint8Array, at: number,
) => { field: string; detail: string } | undefined;

const BIG: ReadonlySet<Prim> = new Set<Prim>(['u64le', 'u64be', 'i64le']);

function byteAt(o: number): string {
  return `b[at + ${o}]`;
}

function readExpr(prim: Prim, o: number): string {
  switch (prim) {
    case 'u8': return byteAt(o);
    case 'u16le': return `(${byteAt(o)} | ${byteAt(o + 1)} << 8)`;
    case 'u16be': return `(${byteAt(o)} << 8 | ${byteAt(o + 1)})`;
    case 'u32le': return `((${byteAt(o)} | ${byteAt(o + 1)} << 8 | ${byteAt(o + 2)} << 16 | ${byteAt(o + 3)} << 24) >>> 0)`;
    case 'i32le': return `(${byteAt(o)} | ${byteAt(o + 1)} << 8 | ${byteAt(o + 2)} << 16 | ${byteAt(o + 3)} << 24)`;
    case 'u32be': return `((${byteAt(o)} << 24 | ${byteAt(o + 1)} << 16 | ${byteAt(o + 2)} << 8 | ${byteAt(o + 3)}) >>> 0)`;
    case 'u64le': return `dv.getBigUint64(at + ${o}, true)`;
    case 'u64be': return `dv.getBigUint64(at + ${o}, false)`;
    case 'i64le': return `dv.getBigInt64(at + ${o}, true)`;
  }
}

function leafExpr(l: Leaf): string {
  switch (l.kind) {
    case 'int': return readExpr(l.prim!, l.offset);
    case 'bits': {
      const mask = l.bitWidth === 32 ? '' : ` & ${(2 ** l.bitWidth!) - 1}`;
      return `((${readExpr(l.prim!, l.offset)} >>> ${l.bitOffset})${mask})`;
    }
    case 'bytes': return `copyBytes(b, at + ${l.offset}, ${l.size})`;
    case 'ascii': return `latin1(b, at + ${l.offset}, ${l.size})`;
    default: return 'undefined';
  }
}

interface Tree { [key: string]: Tree | string }

/** Builds `{ a: expr, b: { c: expr } }` source from leaf paths, in declaration order. */
function objectSource(tree: Tree): string {
  const parts = Object.entries(tree).map(([k, v]) => `${JSON.stringify(k)}: ${typeof v === 'string' ? v : objectSource(v)}`);
  return `{ ${parts.join(', ')} }`;
}

export function compileDecoder(leaves: readonly Leaf[]): CompiledDecoder {
  const tree: Tree = {};
  for (const l of leaves) {
    if (l.kind === 'marker') continue;
    let node = tree;
    for (const key of l.path.slice(0, -1)) {
      const next = node[key];
      if (typeof next === 'object') node = next;
      else node = node[key] = {};
    }
    node[l.path[l.path.length - 1]!] = leafExpr(l);
  }
  const needsView = leaves.some((l) => l.kind === 'int' && BIG.has(l.prim!));
  const body =
    (needsView ? 'const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);\n' : '') +
    `return ${objectSource(tree)};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function('latin1', 'copyBytes', `return function decode(b, at) {\n${body}\n};`) as (
    latin1: (b: Uint8Array, at: number, n: number) => string,
    copy: (b: Uint8Array, at: number, n: number) => Uint8Array,
  ) => CompiledDecoder;
  return make(latin1, copyBytes);
}

/**
 * A copy of `n` bytes as a plain Uint8Array. Not `b.slice()`: on a Node Buffer (a Uint8Array subclass that
 * callers often pass) slice returns a view into the same memory, often Node's shared pool, so the decoded
 * value would alias the input and its `.buffer` would be the pool.
 */
export function copyBytes(b: Uint8Array, at: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (n <= 32) for (let i = 0; i < n; i++) out[i] = b[at + i]!;
  else out.set(b.subarray(at, at + n));
  return out;
}

function latin1(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[at + i]!);
  return s;
}

// ---- encoder ----

function writeStatements(prim: Prim, o: number, v: string): string {
  switch (prim) {
    case 'u8': return `b[at + ${o}] = ${v};`;
    case 'u16le': return `b[at + ${o}] = ${v} & 255; b[at + ${o + 1}] = ${v} >>> 8;`;
    case 'u16be': return `b[at + ${o}] = ${v} >>> 8; b[at + ${o + 1}] = ${v} & 255;`;
    case 'u32le': case 'i32le':
      return `b[at + ${o}] = ${v} & 255; b[at + ${o + 1}] = (${v} >>> 8) & 255; b[at + ${o + 2}] = (${v} >>> 16) & 255; b[at + ${o + 3}] = (${v} >>> 24) & 255;`;
    case 'u32be':
      return `b[at + ${o}] = (${v} >>> 24) & 255; b[at + ${o + 1}] = (${v} >>> 16) & 255; b[at + ${o + 2}] = (${v} >>> 8) & 255; b[at + ${o + 3}] = ${v} & 255;`;
    case 'u64le': return `dv.setBigUint64(at + ${o}, ${v}, true);`;
    case 'u64be': return `dv.setBigUint64(at + ${o}, ${v}, false);`;
    case 'i64le': return `dv.setBigInt64(at + ${o}, ${v}, true);`;
  }
}

function rangeOf(prim: Prim): [string, string] {
  switch (prim) {
    case 'u8': return ['0', '255'];
    case 'u16le': case 'u16be': return ['0', '65535'];
    case 'u32le': case 'u32be': return ['0', '4294967295'];
    case 'i32le': return ['-2147483648', '2147483647'];
    case 'u64le': case 'u64be': return ['0n', '18446744073709551615n'];
    case 'i64le': return ['-9223372036854775808n', '9223372036854775807n'];
  }
}

function leafEncoder(l: Leaf, ref: string): string {
  const name = JSON.stringify(l.name);
  const fail = (detail: string): string => `return { field: ${name}, detail: ${detail} };`;
  const head = `v = ${ref}; if (v !== undefined) {`;
  switch (l.kind) {
    case 'int': {
      const [lo, hi] = rangeOf(l.prim!);
      if (BIG.has(l.prim!)) {
        return `${head} if (typeof v === 'number' && Number.isSafeInteger(v)) v = BigInt(v);
          if (typeof v !== 'bigint' || v < ${lo} || v > ${hi}) ${fail(`String(v) + " is not a ${l.prim} value"`)}
          ${writeStatements(l.prim!, l.offset, 'v')} }`;
      }
      return `${head} if (typeof v !== 'number' || !Number.isInteger(v) || v < ${lo} || v > ${hi}) ${fail(`String(v) + " is not a ${l.prim} value"`)}
        ${writeStatements(l.prim!, l.offset, 'v')} }`;
    }
    case 'bits': {
      const max = 2 ** l.bitWidth! - 1;
      const unitMask = 2 ** (PRIM_SIZE[l.prim!] * 8) - 1;
      const clear = (unitMask - max * 2 ** l.bitOffset!) >>> 0;
      return `${head} if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > ${max}) ${fail(`String(v) + " does not fit ${l.bitWidth} bits"`)}
        u = ((${readExpr(l.prim!, l.offset)} & ${clear}) | (v * ${2 ** l.bitOffset!})) >>> 0;
        ${writeStatements(l.prim!, l.offset, 'u')} }`;
    }
    case 'bytes':
      return `${head} if (!(v instanceof Uint8Array) || v.length > ${l.size}) ${fail(`"expected at most ${l.size} bytes"`)}
        b.fill(0, at + ${l.offset}, at + ${l.offset + l.size}); b.set(v, at + ${l.offset}); }`;
    case 'ascii':
      return `${head} if (typeof v !== 'string' || v.length > ${l.size}) ${fail(`"expected a string of at most ${l.size} characters"`)}
        for (let i = 0; i < ${l.size}; i++) { const c = i < v.length ? v.charCodeAt(i) : 32; if (c > 255) ${fail('"not a latin-1 string"')} b[at + ${l.offset} + i] = c; } }`;
    default:
      return '';
  }
}

export function compileEncoder(leaves: readonly Leaf[]): CompiledEncoder {
  // Objects along each path are checked once; a missing object means all its fields are zero.
  const lines: string[] = [];
  const declared = new Set<string>();
  for (const l of leaves) {
    if (l.kind === 'marker' || l.kind === 'varBytes' || l.kind === 'tail') continue;
    let ref = 'value';
    const guards: string[] = [];
    for (let i = 0; i < l.path.length - 1; i++) {
      const key = l.path.slice(0, i + 1).join('.');
      const local = `o_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
      if (!declared.has(local)) {
        declared.add(local);
        lines.push(`const ${local} = ${ref} == null ? undefined : ${ref}[${JSON.stringify(l.path[i])}];
          if (${local} !== undefined && (typeof ${local} !== 'object' || ${local} === null)) return { field: ${JSON.stringify(key)}, detail: "not an object" };`);
      }
      guards.push(`${local} !== undefined`);
      ref = local;
    }
    const access = `${ref}[${JSON.stringify(l.path[l.path.length - 1])}]`;
    const stmt = leafEncoder(l, access);
    lines.push(guards.length ? `if (${guards.join(' && ')}) { ${stmt} }` : stmt);
  }
  const needsView = leaves.some((l) => l.kind === 'int' && BIG.has(l.prim!));
  const body =
    'let v, u;\n' +
    (needsView ? 'const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);\n' : '') +
    lines.join('\n') + '\nreturn undefined;';
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('value', 'b', 'at', body) as CompiledEncoder;
}

/**
 * A 64-bit read composed from the two 32-bit halves: no DataView per call, so a reader allocates nothing but
 * the bigint it returns (a DataView per call made a 64-bit reader ~3× slower than the 32-bit ones).
 */
function bigReadExpr(prim: Prim, o: number): string {
  switch (prim) {
    case 'u64be': return `(BigInt(${readExpr('u32be', o)}) << 32n | BigInt(${readExpr('u32be', o + 4)}))`;
    case 'u64le': return `(BigInt(${readExpr('u32le', o + 4)}) << 32n | BigInt(${readExpr('u32le', o)}))`;
    case 'i64le': return `(BigInt(${readExpr('i32le', o + 4)}) << 32n | BigInt(${readExpr('u32le', o)}))`;
    default: throw new Error(`${prim} is not a 64-bit type`);
  }
}

/**
 * A reader for one integer or bit-field leaf: `(b, at) => value`, compiled from the declaration like the
 * whole-structure decoder but allocating nothing (hot paths such as the device's CDB fields read a few
 * fields per command). The caller guarantees the structure lies inside `b`.
 */
export function compileLeafReader(leaf: Leaf): (b: Uint8Array, at: number) => number | bigint {
  if (leaf.kind !== 'int' && leaf.kind !== 'bits') throw new Error(`${leaf.name}: only integer fields have readers`);
  const expr = leaf.kind === 'int' && BIG.has(leaf.prim!) ? bigReadExpr(leaf.prim!, leaf.offset) : leafExpr(leaf);
  return new Function('b', 'at', `return ${expr};`) as (b: Uint8Array, at: number) => number | bigint;
}
