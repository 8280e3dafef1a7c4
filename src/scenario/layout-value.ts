// JSON ⇄ layout values (scenario-format.md `input` form `{"layout", "value"}`, `vdisk encode`, `vdisk decode`).
// JSON has no bigint and no bytes, so a value read from a scenario is coerced field by field, walking the
// layout's own leaves (one declaration, many interpreters — STYLE.md): integers as numbers, "0x…" hex or
// decimal strings (required beyond 2^53 for 64-bit fields), enum and flag names from the field's role, byte
// arrays as hex, nested structures and union arms as objects, tails as arrays. Omitted fields stay out of the
// value, so the encoder writes zero there. Every error names the dotted field path; nothing throws.

import type { Layout, Leaf } from '../codecs/layout';
import { PRIM_IS_BIG } from '../codecs/layout';
import { layouts, type LayoutName } from '../codecs/layouts';

export type ValueResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly field: string; readonly message: string };

/** The layout named `name` (exact spelling of layouts.md), or undefined. */
export function layoutByName(name: string): Layout<unknown> | undefined {
  return Object.prototype.hasOwnProperty.call(layouts, name) ? (layouts[name as LayoutName] as Layout<unknown>) : undefined;
}

export const LAYOUT_NAMES: readonly string[] = Object.keys(layouts);

/** Whitespace-tolerant hex (scenario-format.md: "whitespace allowed inside"); undefined when not hex. */
export function parseHex(text: string): Uint8Array | undefined {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A tree of the layout's leaves by property path, built once per layout. */
type Node = { readonly leaf: Leaf } | { readonly children: Map<string, Node> };

const TREES = new WeakMap<Layout<unknown>, Map<string, Node>>();

function tree(layout: Layout<unknown>): Map<string, Node> {
  let root = TREES.get(layout);
  if (root !== undefined) return root;
  root = new Map();
  for (const leaf of layout.leaves) {
    let level = root;
    leaf.path.forEach((key, i) => {
      if (i === leaf.path.length - 1) {
        level.set(key, { leaf });
        return;
      }
      let next = level.get(key);
      if (next === undefined || !('children' in next)) {
        next = { children: new Map() };
        level.set(key, next);
      }
      level = next.children;
    });
  }
  TREES.set(layout, root);
  return root;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const fail = (field: string, message: string): ValueResult<never> => ({ ok: false, field, message: `${field}: ${message}` });

/**
 * Coerces parsed JSON into the value `layout.encode` accepts. `path` prefixes field names in errors
 * (e.g. "input[1].value").
 */
export function coerceLayoutValue(layout: Layout<unknown>, json: unknown, path = 'value'): ValueResult<Record<string, unknown>> {
  return coerceRecord(tree(layout), json, path, layout.name);
}

function coerceRecord(level: Map<string, Node>, json: unknown, path: string, what: string): ValueResult<Record<string, unknown>> {
  if (!isRecord(json)) return fail(path, `must be an object with the fields of ${what}`);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(json)) {
    const field = `${path}.${key}`;
    const node = level.get(key);
    if (node === undefined) {
      return fail(field, `unknown field of ${what} (fields: ${[...level.keys()].join(', ')})`);
    }
    const r = 'leaf' in node ? coerceLeaf(node.leaf, v, field) : coerceRecord(node.children, v, field, key);
    if (!r.ok) return r;
    if (r.value !== undefined) out[key] = r.value;
  }
  return { ok: true, value: out };
}

function coerceLeaf(leaf: Leaf, v: unknown, field: string): ValueResult<unknown> {
  switch (leaf.kind) {
    case 'int':
      return coerceInt(leaf, v, field, PRIM_IS_BIG[leaf.prim!]);
    case 'bits':
      return coerceInt(leaf, v, field, false);
    case 'bytes':
    case 'varBytes': {
      if (typeof v !== 'string') return fail(field, 'must be a hex string');
      const b = parseHex(v);
      return b === undefined ? fail(field, `bad hex ${JSON.stringify(v)}`) : { ok: true, value: b };
    }
    case 'ascii':
      return typeof v === 'string' ? { ok: true, value: v } : fail(field, 'must be a string');
    case 'marker':
      return fail(field, 'marks where a variable part starts and holds no value');
    case 'tail': {
      if (!Array.isArray(v)) return fail(field, 'must be an array');
      const elem = leaf.tail!.elem;
      const items: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        const r = typeof elem === 'string'
          ? coerceInt({ ...leaf, kind: 'int', prim: elem }, v[i], `${field}[${i}]`, PRIM_IS_BIG[elem])
          : coerceLayoutValue(elem, v[i], `${field}[${i}]`);
        if (!r.ok) return r;
        items.push(r.value);
      }
      return { ok: true, value: items };
    }
  }
}

const HEX_INT = /^0[xX][0-9a-fA-F]+$/;
const DEC_INT = /^-?[0-9]+$/;

function coerceInt(leaf: Leaf, v: unknown, field: string, big: boolean): ValueResult<number | bigint> {
  let n: bigint;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) return fail(field, `${v} is not a safe integer (write larger values as a "0x…" string)`);
    n = BigInt(v);
  } else if (typeof v === 'string') {
    const s = v.trim();
    if (HEX_INT.test(s) || DEC_INT.test(s)) n = BigInt(s);
    else {
      const named = namedValue(leaf, s);
      if (named === undefined) return fail(field, `${JSON.stringify(v)} is not an integer, a "0x…" hex string${roleHint(leaf)}`);
      n = BigInt(named);
    }
  } else if (Array.isArray(v) && leaf.role.kind === 'flags') {
    let mask = 0n;
    for (const name of v) {
      const bit = typeof name === 'string' ? namedValue(leaf, name) : undefined;
      if (bit === undefined) return fail(field, `${JSON.stringify(name)} is not one of ${Object.keys(leaf.role.values).join(', ')}`);
      mask |= BigInt(bit);
    }
    n = mask;
  } else {
    return fail(field, `must be an integer${roleHint(leaf)}`);
  }
  if (big) return { ok: true, value: n };
  // small fields: the encoder range-checks (and names the field); only make sure it is a safe number
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) return fail(field, `${n} does not fit the field`);
  return { ok: true, value: Number(n) };
}

function namedValue(leaf: Leaf, name: string): number | undefined {
  const role = leaf.role;
  if (role.kind !== 'enum' && role.kind !== 'flags') return undefined;
  return Object.prototype.hasOwnProperty.call(role.values, name) ? role.values[name] : undefined;
}

function roleHint(leaf: Leaf): string {
  const role = leaf.role;
  return role.kind === 'enum' || role.kind === 'flags' ? ` or one of ${Object.keys(role.values).join(', ')}` : '';
}

/** Encodes a JSON-described value: `{ok, value: bytes}` or an error naming the field path. */
export function encodeLayoutJson(layout: Layout<unknown>, json: unknown, path = 'value'): ValueResult<Uint8Array> {
  const coerced = coerceLayoutValue(layout, json, path);
  if (!coerced.ok) return coerced;
  const r = layout.encode(coerced.value as never);
  if (!r.ok) {
    const field = `${path}.${r.error.field}`;
    return { ok: false, field, message: `${field}: ${r.error.message}` };
  }
  return { ok: true, value: r.value };
}

/** A decoded value as JSON: bigint → "0x…" hex string, bytes → hex, arrays and records walked. */
export function toJsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonValue(x)]));
  return v;
}
