// Field kinds of the layout DSL: a closed set (STYLE.md, syzkaller's per-kind operations). Each kind
// knows its size and alignment; what a field *means* to generators (a StructSize, an offset to another
// structure, an enum, flags, a reserved field) is carried in its `role`, so that valid, boundary and
// mutant generators can be derived from the declaration instead of written per structure.

import type { Layout } from './layout';

/** Integer storage types. `le`/`be` are always explicit: restructure's un-suffixed types are big-endian. */
export type Prim = 'u8' | 'u16le' | 'u16be' | 'u32le' | 'u32be' | 'i32le' | 'u64le' | 'u64be' | 'i64le';

export const PRIM_SIZE: Record<Prim, number> = {
  u8: 1, u16le: 2, u16be: 2, u32le: 4, u32be: 4, i32le: 4, u64le: 8, u64be: 8, i64le: 8,
};

export const PRIM_IS_BIG: Record<Prim, boolean> = {
  u8: false, u16le: false, u16be: false, u32le: false, u32be: false, i32le: false,
  u64le: true, u64be: true, i64le: true,
};

/** Inclusive value range of a storage type (bigint for 64-bit types). */
export function primRange(p: Prim): [number | bigint, number | bigint] {
  switch (p) {
    case 'u8': return [0, 0xff];
    case 'u16le': case 'u16be': return [0, 0xffff];
    case 'u32le': case 'u32be': return [0, 0xffffffff];
    case 'i32le': return [-0x80000000, 0x7fffffff];
    case 'u64le': case 'u64be': return [0n, 0xffffffffffffffffn];
    case 'i64le': return [-0x8000000000000000n, 0x7fffffffffffffffn];
  }
}

/** What a field means, for generators, the annotated hex dump and the docs. */
export type Role =
  | { kind: 'plain' }
  | { kind: 'structSize' }                                  // must equal sizeof (band-management.md D2 step 4)
  | { kind: 'reserved' }                                    // zero in valid values
  | { kind: 'constant'; value: number }                     // e.g. a CDB's OPERATION_CODE
  | { kind: 'enum'; values: Readonly<Record<string, number>> }
  | { kind: 'flags'; values: Readonly<Record<string, number>> }
  | { kind: 'offsetTo'; target: () => Layout<any>; optional: boolean } // from the structure's start; 0 = absent
  | { kind: 'lengthOf'; field: string; unit: number };      // value = elements of `field` × unit (KeySize: 1; 8-byte keys counted in bytes: 8)

interface KindBase<T> {
  /** phantom: the decoded value type */
  readonly __value?: T;
  readonly role: Role;
}

export interface IntKind<T extends number | bigint> extends KindBase<T> {
  readonly k: 'int';
  readonly prim: Prim;
}
export interface BitsKind extends KindBase<number> {
  readonly k: 'bits';
  readonly prim: 'u8' | 'u16le' | 'u32le';
  readonly width: number;
}
export interface BytesKind extends KindBase<Uint8Array> {
  readonly k: 'bytes';
  readonly n: number;
}
export interface AsciiKind extends KindBase<string> {
  readonly k: 'ascii';
  readonly n: number;
}
export interface NestedKind<T> extends KindBase<T> {
  readonly k: 'nested';
  readonly layout: Layout<T>;
}
export interface GroupKind<T> extends KindBase<T> {
  readonly k: 'group';
  readonly fields: Fields;
}
/** A zero-length array that marks where a variable part starts (`UCHAR ParameterList[0]`): no value. */
export interface MarkerKind extends KindBase<undefined> {
  readonly k: 'marker';
}
/**
 * ANYSIZE_ARRAY bytes (`UCHAR Key[1]`): declared with `declared` bytes for sizeof, but holding as many
 * bytes as the integer field `lengthField` says. Only one per layout, and last.
 */
export interface VarBytesKind extends KindBase<Uint8Array> {
  readonly k: 'varBytes';
  readonly declared: number;
  readonly lengthField: string;
}
/**
 * A flexible array after the fixed part (`ReservationKeyList[]`): decodes as many whole elements as the
 * buffer holds, at most `countOf(value)` (SCSI data is truncated by the allocation length, so a short
 * tail is normal, not an error).
 */
export interface TailKind<E> extends KindBase<E[]> {
  readonly k: 'tail';
  readonly elem: IntKind<any> | NestedKind<any>;
  readonly countField: string;
  /** bytes per count unit of countField (8 for "8 × number of keys"); 0 = countField counts elements */
  readonly countUnit: number;
}
/** A member of an anonymous union: consecutive members with the same tag overlay each other. */
export interface UnionKind<T> extends KindBase<T> {
  readonly k: 'union';
  readonly tag: string;
  readonly arm: Kind<T>;
}

export type Kind<T = unknown> =
  | IntKind<T & (number | bigint)>
  | BitsKind
  | BytesKind
  | AsciiKind
  | NestedKind<T>
  | GroupKind<T>
  | MarkerKind
  | VarBytesKind
  | TailKind<any>
  | UnionKind<T>;

export type Fields = Readonly<Record<string, Kind<any>>>;

export type ValueOf<K> = K extends KindBase<infer T> ? T : never;

/** The decoded value of a field record. Markers decode to nothing and are left out. */
export type Infer<F extends Fields> = {
  -readonly [N in keyof F as F[N] extends MarkerKind ? never : N]: ValueOf<F[N]>;
};

/** What encode accepts: every field optional (omitted = zero), nested records too. */
export type Input<T> = T extends Uint8Array | string | number | bigint
  ? T
  : T extends readonly (infer E)[]
    ? readonly Input<E>[]
    : T extends object
      ? { [N in keyof T]?: Input<T[N]> }
      : T;

const PLAIN: Role = { kind: 'plain' };

function int<T extends number | bigint>(prim: Prim): IntKind<T> & { role: Role } {
  return { k: 'int', prim, role: PLAIN };
}

export const u8 = int<number>('u8');
export const u16le = int<number>('u16le');
export const u16be = int<number>('u16be');
export const u32le = int<number>('u32le');
export const u32be = int<number>('u32be');
export const i32le = int<number>('i32le');
export const u64le = int<bigint>('u64le');
export const u64be = int<bigint>('u64be');
/** LARGE_INTEGER */
export const i64le = int<bigint>('i64le');

/** An MSVC bit-field of `width` bits in a storage unit of type `prim` (layouts.md §0). */
export function bits(prim: 'u8' | 'u16le' | 'u32le', width: number, role: Role = PLAIN): BitsKind {
  if (!Number.isInteger(width) || width < 1 || width > PRIM_SIZE[prim] * 8) {
    throw new Error(`bit-field width ${width} does not fit ${prim}`);
  }
  return { k: 'bits', prim, width, role };
}

export function bytes(n: number, role: Role = PLAIN): BytesKind {
  return { k: 'bytes', n, role };
}

export function ascii(n: number): AsciiKind {
  return { k: 'ascii', n, role: PLAIN };
}

export function nested<T>(layout: Layout<T>): NestedKind<T> {
  return { k: 'nested', layout, role: PLAIN };
}

export function group<F extends Fields>(fields: F): GroupKind<Infer<F>> {
  return { k: 'group', fields, role: PLAIN };
}

export function marker(): MarkerKind {
  return { k: 'marker', role: PLAIN };
}

export function varBytes(declared: number, lengthField: string): VarBytesKind {
  return { k: 'varBytes', declared, lengthField, role: { kind: 'plain' } };
}

export function tail<E>(
  elem: IntKind<E & (number | bigint)> | NestedKind<E>,
  countField: string,
  countUnit = 0,
): TailKind<E> {
  return { k: 'tail', elem, countField, countUnit, role: PLAIN };
}

export function union<T>(tag: string, arm: Kind<T>): UnionKind<T> {
  return { k: 'union', tag, arm, role: PLAIN };
}

// ---- roles: wrap an integer or bit-field kind with a meaning ----

type RoleCarrier = IntKind<any> | BitsKind | BytesKind;

function withRole<K extends RoleCarrier>(kind: K, role: Role): K {
  return { ...kind, role };
}

export function structSize<K extends IntKind<number>>(kind: K): K {
  return withRole(kind, { kind: 'structSize' });
}
export function reserved<K extends RoleCarrier>(kind: K): K {
  return withRole(kind, { kind: 'reserved' });
}
export function constant<K extends IntKind<number> | BitsKind>(kind: K, value: number): K {
  return withRole(kind, { kind: 'constant', value });
}
export function enumOf<K extends IntKind<number> | BitsKind>(kind: K, values: Record<string, number>): K {
  return withRole(kind, { kind: 'enum', values });
}
export function flags<K extends IntKind<number> | BitsKind>(kind: K, values: Record<string, number>): K {
  return withRole(kind, { kind: 'flags', values });
}
/** An offset, from the start of the containing structure, to a `target` part; 0 = absent when optional. */
export function offsetTo<K extends IntKind<number>>(kind: K, target: () => Layout<any>, optional = true): K {
  return withRole(kind, { kind: 'offsetTo', target, optional });
}
export function lengthOf<K extends IntKind<number> | IntKind<bigint>>(kind: K, field: string, unit = 1): K {
  return withRole(kind, { kind: 'lengthOf', field, unit });
}
