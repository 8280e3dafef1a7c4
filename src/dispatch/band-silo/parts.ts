// The D2 machinery every band IOCTL shares: the fixed-structure checks (steps 3-4), the variable-part
// checks (step 5), and the translation of the device's security errors into NTSTATUS (steps 6-11).
//
// Step 5 in vdisk's words (band-management.md §5 D2, §3 "Rules that complete D2"): every part the header
// references by a non-zero offset must lie inside the input buffer — for an AUTH_KEY its 4-byte header
// first, then its KeySize bytes — or the request gets STATUS_INVALID_BUFFER_SIZE, and ALL parts' bounds
// are checked before any STATUS_INVALID_PARAMETER condition. Then, part by part in the order of the
// offset fields: where it lies (inside the fixed structure; overlapping another part, except
// NewAuthKeyOffset == CurrentAuthKeyOffset), then what it holds (KeySize range, StructSize, LOCKSTATE,
// CryptoAlgo fields). Every sum is an exact JS number (offset ≤ 2^32−1, KeySize ≤ 2^32−1: the sum stays far
// below 2^53), compared with the buffer length — so 0xFFFFFFFF + 8 is "outside", never a wrapped 7.
// Nothing is copied: keys and metadata bytes are views into the input, bounded by its length.
//
// The header fields are read at the offsets of spec/layouts.md §2, each cited (src/codecs/layouts.ts landed
// after this was written; its declarations back the dispatch table's input column, index.ts). Reading the
// few fields directly keeps D2's order explicit: bounds of ALL parts before any content check.

import {
  STATUS_ACCESS_DENIED, STATUS_BUFFER_OVERFLOW, STATUS_BUFFER_TOO_SMALL, STATUS_CONFLICTING_ADDRESSES, STATUS_INSUFFICIENT_RESOURCES, STATUS_INVALID_BUFFER_SIZE,
  STATUS_INVALID_DEVICE_STATE, STATUS_INVALID_PARAMETER, STATUS_IO_DEVICE_ERROR, STATUS_NOT_FOUND,
} from '../../codecs/ntstatus';
import type { LockState } from '../../device/security/band-table';
import type { SecurityError, SecurityErrorCode } from '../../device/security/security-subsystem';

// ---- little-endian field reads; callers have checked `at + size ≤ input.length` ----

export function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

export function i64(b: Uint8Array, at: number): bigint {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigInt64(at, true);
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: number };

const bad = (status: number): { ok: false; status: number } => ({ ok: false, status });

// ---- steps 3 and 4: the fixed structure ----

export interface FixedRule {
  /** sizeof the *_PARAMETERS structure (layouts.md §2) */
  readonly size: number;
  /** byte offset of a Flags member, if the structure has one */
  readonly flagsAt?: number;
  /** the Flags bits vdisk accepts (§3 table "Flags allowed") */
  readonly allowedFlags?: number;
}

/**
 * D2 step 3: InputBufferLength < sizeof → STATUS_INVALID_BUFFER_SIZE.
 * D2 step 4: StructSize (always the first ULONG) ≠ sizeof, or unknown Flags bits → STATUS_INVALID_PARAMETER.
 * Returns the Flags value (0 for a structure without Flags).
 */
export function checkFixed(input: Uint8Array, rule: FixedRule): Checked<number> {
  if (input.length < rule.size) return bad(STATUS_INVALID_BUFFER_SIZE);
  if (u32(input, 0) !== rule.size) return bad(STATUS_INVALID_PARAMETER);
  if (rule.flagsAt === undefined) return { ok: true, value: 0 };
  const flags = u32(input, rule.flagsAt);
  if ((flags & ~(rule.allowedFlags ?? 0)) !== 0) return bad(STATUS_INVALID_PARAMETER);
  return { ok: true, value: flags };
}

// ---- step 5: the variable parts ----

export const SIZE_AUTH_KEY_HEADER = 4; // FIELD_OFFSET(AUTH_KEY, Key), layouts.md §2 AUTH_KEY
export const BAND_INFO_SIZE = 56;      // sizeof BAND_LOCATION_INFO = sizeof BAND_SECURITY_INFO
const BAND_METADATA_BYTES = 32;

export type PartKind = 'authKey' | 'location' | 'security' | 'bytes';

/** One offset field of the header, in the order the fields appear in the structure. */
export interface PartRef {
  readonly field: string;
  readonly kind: PartKind;
  /** the offset field's value (0 = absent) */
  readonly offset: number;
  /** for `bytes`: the part's length (MetadataSize) */
  readonly length?: number;
  /** §3 rules, step 5: a required part whose offset is 0 → STATUS_INVALID_PARAMETER */
  readonly required?: boolean;
}

/** A key as read from an AUTH_KEY: a view into the input; empty = KeySize 0 = the default key (D4). */
export type AuthKeyPart = { readonly kind: 'authKey'; readonly key: Uint8Array };
export type LocationPart = { readonly kind: 'location'; readonly bandStart: bigint; readonly bandSize: bigint; readonly metadata: Uint8Array };
export type SecurityPart = { readonly kind: 'security'; readonly readLock: LockState; readonly writeLock: LockState; readonly metadata: Uint8Array };
export type BytesPart = { readonly kind: 'bytes'; readonly bytes: Uint8Array };
export type Part = AuthKeyPart | LocationPart | SecurityPart | BytesPart;

export interface KeyLimits {
  readonly minAuthKeyLength: number;
  readonly maxAuthKeyLength: number;
}

/** The parts by field name; a field whose offset was 0 is absent. */
export type Parts = Readonly<Record<string, Part | undefined>>;

function fixedSizeOf(kind: PartKind, ref: PartRef): number {
  return kind === 'authKey' ? SIZE_AUTH_KEY_HEADER : kind === 'bytes' ? (ref.length ?? 0) : BAND_INFO_SIZE;
}

const isLockState = (n: number): n is LockState => n === 1 || n === 2 || n === 3;

/**
 * D2 step 5 over `refs` (in the order of their offset fields). `sameKey` names two AUTH_KEY fields that may
 * share one part (SET_BAND_SECURITY's CurrentAuthKeyOffset and NewAuthKeyOffset).
 */
export function checkParts(
  input: Uint8Array, fixedSize: number, refs: readonly PartRef[], limits: KeyLimits,
  sameKey?: readonly [string, string],
): Checked<Parts> {
  const len = input.length;
  // Pass 1 — bounds of every referenced part, in field order (§3 rules: all bounds before any
  // INVALID_PARAMETER). An AUTH_KEY is checked header first, then header + KeySize.
  const extents: { ref: PartRef; start: number; end: number }[] = [];
  for (const ref of refs) {
    if (ref.offset === 0) continue;
    const end = ref.offset + fixedSizeOf(ref.kind, ref); // exact: ≤ 2^33, no wrap
    if (end > len) return bad(STATUS_INVALID_BUFFER_SIZE);
    if (ref.kind === 'authKey') {
      const keyEnd = end + u32(input, ref.offset);
      if (keyEnd > len) return bad(STATUS_INVALID_BUFFER_SIZE);
      extents.push({ ref, start: ref.offset, end: keyEnd });
    } else {
      extents.push({ ref, start: ref.offset, end });
    }
  }
  // Pass 2 — per part, in field order: required, where it lies, then what it holds.
  const parts: Record<string, Part | undefined> = {};
  for (const ref of refs) {
    if (ref.offset === 0) {
      if (ref.required) return bad(STATUS_INVALID_PARAMETER);
      continue;
    }
    if (ref.offset < fixedSize) return bad(STATUS_INVALID_PARAMETER); // points into the fixed structure
    const me = extents.find((e) => e.ref === ref)!;
    for (const other of extents) {
      if (other === me) continue;
      const shared = sameKey !== undefined && other.start === me.start
        && sameKey.includes(ref.field) && sameKey.includes(other.ref.field);
      if (shared) continue; // NewAuthKeyOffset == CurrentAuthKeyOffset: one part, referenced twice
      if (me.start < other.end && other.start < me.end) return bad(STATUS_INVALID_PARAMETER); // overlap
    }
    const at = ref.offset;
    switch (ref.kind) {
      case 'authKey': {
        const keySize = me.end - me.start - SIZE_AUTH_KEY_HEADER;
        if (keySize !== 0 && (keySize < limits.minAuthKeyLength || keySize > limits.maxAuthKeyLength)) {
          return bad(STATUS_INVALID_PARAMETER);
        }
        parts[ref.field] = { kind: 'authKey', key: input.subarray(at + SIZE_AUTH_KEY_HEADER, me.end) };
        break;
      }
      case 'location': {
        // BAND_LOCATION_INFO: StructSize @0, Reserved @4 (not checked, §3 rules), BandStart @8, BandSize @16,
        // Metadata @24 (layouts.md §2).
        if (u32(input, at) !== BAND_INFO_SIZE) return bad(STATUS_INVALID_PARAMETER);
        parts[ref.field] = {
          kind: 'location', bandStart: i64(input, at + 8), bandSize: i64(input, at + 16),
          metadata: input.subarray(at + 24, at + 24 + BAND_METADATA_BYTES),
        };
        break;
      }
      case 'security': {
        // BAND_SECURITY_INFO: StructSize @0, ReadLock @4, WriteLock @8, CryptoAlgoIdType @12,
        // CryptoAlgoOidString.Offset @16 / .Length @20 (all three must be 0 on input), Metadata @24.
        if (u32(input, at) !== BAND_INFO_SIZE) return bad(STATUS_INVALID_PARAMETER);
        const readLock = u32(input, at + 4);
        const writeLock = u32(input, at + 8);
        if (!isLockState(readLock) || !isLockState(writeLock)) return bad(STATUS_INVALID_PARAMETER);
        if (u32(input, at + 12) !== 0 || u32(input, at + 16) !== 0 || u32(input, at + 20) !== 0) {
          return bad(STATUS_INVALID_PARAMETER);
        }
        parts[ref.field] = { kind: 'security', readLock, writeLock, metadata: input.subarray(at + 24, at + 24 + BAND_METADATA_BYTES) };
        break;
      }
      case 'bytes':
        parts[ref.field] = { kind: 'bytes', bytes: input.subarray(at, me.end) };
        break;
    }
  }
  return { ok: true, value: parts };
}

/** The key of an AUTH_KEY part, or undefined (offset 0 = the default key, D4). */
export function keyOf(parts: Parts, field: string): Uint8Array | undefined {
  const p = parts[field];
  return p?.kind === 'authKey' ? p.key : undefined;
}

// ---- steps 6-11: the device's answers as NTSTATUS ----

const STATUS_OF: Record<SecurityErrorCode, number> = {
  'device-error': STATUS_IO_DEVICE_ERROR,          // device off, band failure, failed commit (§3 rules, step 11)
  'not-activated': STATUS_INVALID_DEVICE_STATE,     // step 6
  'already-activated': STATUS_INVALID_DEVICE_STATE, // step 6
  'not-found': STATUS_NOT_FOUND,                    // D1
  'auth-failed': STATUS_ACCESS_DENIED,              // step 8 (D3 lockout too)
  'conflict': STATUS_CONFLICTING_ADDRESSES,         // step 9
  'table-full': STATUS_INSUFFICIENT_RESOURCES,      // step 9
  'invalid': STATUS_INVALID_PARAMETER,              // step 9 geometry, global band rules
  'write-locked': STATUS_ACCESS_DENIED,             // step 9, D11
};

export function statusOf(error: SecurityError): number {
  return STATUS_OF[error.code];
}

// ---- step 10: the size-query protocol of QUERY_CAPABILITIES and ENUMERATE_BANDS ----

/**
 * D2 step 10 (§1.2 "Size query"): OutputBufferLength 0 → STATUS_BUFFER_OVERFLOW with Information = the
 * required size; 1 .. required−1 → STATUS_BUFFER_TOO_SMALL; otherwise undefined (go on).
 */
export function sizeQuery(outputLength: number, required: number): { status: number; information: number } | undefined {
  if (outputLength === 0) return { status: STATUS_BUFFER_OVERFLOW, information: required };
  if (outputLength < required) return { status: STATUS_BUFFER_TOO_SMALL, information: 0 };
  return undefined;
}
