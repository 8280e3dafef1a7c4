// PERSISTENT RESERVE IN parameter data (persistent-reservations.md §9; layouts.md §3 PR_IN_*), built
// straight into a buffer of min(ALLOCATION LENGTH, full length) bytes: only what is returned is built
// (QEMU sizing a buffer from the CDB's allocation length is what STYLE.md warns against), yet ADDITIONAL
// LENGTH always describes the full response (§9 "not altered based on the allocation length").
// All fields big-endian.

import type { Initiator } from '../scsi';
import { writeTransportId } from './transport-id';

/** One registration (§2): key ≠ 0, ALL_TG_PT as given, and the TransportID length READ FULL STATUS needs. */
export interface RegistrationRecord {
  readonly key: bigint;
  readonly allTgPt: boolean;
  /** bytes of this nexus's TransportID (§9.5), cached so ADDITIONAL LENGTH of READ FULL STATUS is O(1) */
  readonly transportIdLength: number;
}

/** The reservation (§2). `holder` undefined = "all registrants" (types 7 and 8). Scope is always 0 (LU). */
export interface ReservationRecord {
  readonly holder: Initiator | undefined;
  readonly type: number;
  readonly scope: number;
}

/** What the PR IN builders read; the engine's live state satisfies it without copying. */
export interface PrInStateView {
  readonly generation: number;
  readonly aptpl: boolean;
  /** in registration order (§9.1): a Map keeps insertion order, a key change keeps the place */
  readonly registrations: ReadonlyMap<Initiator, RegistrationRecord>;
  readonly reservation: ReservationRecord | undefined;
  /** Σ (24 + TransportID length) over the registrations, maintained by the engine */
  readonly fullStatusLength: number;
}

export const PR_IN_HEADER_SIZE = 8;
export const PR_IN_RESERVATION_DESCRIPTOR_SIZE = 16;
export const PR_IN_FULL_STATUS_DESCRIPTOR_SIZE = 24;
export const PR_IN_REPORT_CAPABILITIES_SIZE = 8;
/** RELATIVE TARGET PORT IDENTIFIER of vdisk's one target port (scsi-device.md §1) */
export const RELATIVE_TARGET_PORT_ID = 1;

export function isAllRegistrantsType(type: number): boolean {
  return type === 7 || type === 8;
}

/** Pooled for small sizes (TOOLCHAIN.md: a fresh Uint8Array's first .buffer costs ~600 ns); zeroed. */
function output(fullLength: number, allocationLength: number): Uint8Array {
  const n = Math.max(0, Math.min(fullLength, allocationLength));
  return Buffer.allocUnsafe(n).fill(0);
}

/** Bounds-checked big-endian stores: bytes past the end of `out` (the allocation length) are dropped. */
function putU8(out: Uint8Array, at: number, v: number): void {
  if (at < out.length) out[at] = v & 0xff;
}
function putU16(out: Uint8Array, at: number, v: number): void {
  putU8(out, at, v >>> 8);
  putU8(out, at + 1, v);
}
function putU32(out: Uint8Array, at: number, v: number): void {
  putU8(out, at, v >>> 24);
  putU8(out, at + 1, v >>> 16);
  putU8(out, at + 2, v >>> 8);
  putU8(out, at + 3, v);
}
function putU64(out: Uint8Array, at: number, v: bigint): void {
  putU32(out, at, Number((v >> 32n) & 0xffffffffn));
  putU32(out, at + 4, Number(v & 0xffffffffn));
}

function header(out: Uint8Array, generation: number, additionalLength: number): void {
  putU32(out, 0, generation >>> 0);
  putU32(out, 4, Math.min(additionalLength, 0xffffffff));
}

/** §9.1 READ KEYS: PRGENERATION, ADDITIONAL LENGTH = 8 × registrations, then the keys in list order. */
export function buildReadKeys(s: PrInStateView, allocationLength: number): Uint8Array {
  const additional = 8 * s.registrations.size;
  const out = output(PR_IN_HEADER_SIZE + additional, allocationLength);
  header(out, s.generation, additional);
  let at = PR_IN_HEADER_SIZE;
  for (const reg of s.registrations.values()) {
    if (at >= out.length) break; // only what is returned is built (O(min(n, allocation / 8)))
    putU64(out, at, reg.key);
    at += 8;
  }
  return out;
}

/**
 * §9.2 READ RESERVATION: 8 bytes without a reservation, 24 with one. The descriptor's key is the holder's
 * — 0 for types 7 and 8 (SPC-4, LIO `core_scsi3_pri_read_reservation`) —; SCOPE bits 4-7, TYPE bits 0-3.
 */
export function buildReadReservation(s: PrInStateView, allocationLength: number): Uint8Array {
  const r = s.reservation;
  const additional = r === undefined ? 0 : PR_IN_RESERVATION_DESCRIPTOR_SIZE;
  const out = output(PR_IN_HEADER_SIZE + additional, allocationLength);
  header(out, s.generation, additional);
  if (r !== undefined) {
    const key = r.holder === undefined ? 0n : (s.registrations.get(r.holder)?.key ?? 0n);
    putU64(out, 8, key);
    putU8(out, 8 + 13, ((r.scope & 0x0f) << 4) | (r.type & 0x0f));
  }
  return out;
}

/**
 * §9.3 REPORT CAPABILITIES, vdisk's values: LENGTH 8; byte 2 = 15h (CRH, ATP_C, PTPL_C; SIP_C 0, RLR_C 0);
 * byte 3 = 90h | PTPL_A (TMV 1, ALLOW COMMANDS 001b as LIO); type mask EAh 01h (types 1, 3, 5, 6, 7, 8).
 */
export function buildReportCapabilities(aptpl: boolean, allocationLength: number): Uint8Array {
  const out = output(PR_IN_REPORT_CAPABILITIES_SIZE, allocationLength);
  putU16(out, 0, PR_IN_REPORT_CAPABILITIES_SIZE);
  putU8(out, 2, 0x15);
  putU8(out, 3, 0x90 | (aptpl ? 0x01 : 0x00));
  putU8(out, 4, 0xea);
  putU8(out, 5, 0x01);
  return out;
}

/**
 * §9.4 READ FULL STATUS: one descriptor per registration in list order. ADDITIONAL LENGTH is the full
 * total (unlike LIO, which counts only the descriptors that fit), kept by the engine so that it costs
 * O(1); descriptors are built only as far as the allocation length reaches.
 */
export function buildReadFullStatus(s: PrInStateView, allocationLength: number): Uint8Array {
  const out = output(PR_IN_HEADER_SIZE + s.fullStatusLength, allocationLength);
  header(out, s.generation, s.fullStatusLength);
  const r = s.reservation;
  let at = PR_IN_HEADER_SIZE;
  for (const [initiator, reg] of s.registrations) {
    if (at >= out.length) break;
    const holder = r !== undefined && (r.holder === undefined || r.holder === initiator);
    putU64(out, at, reg.key);
    putU8(out, at + 12, (holder ? 0x01 : 0) | (reg.allTgPt ? 0x02 : 0));
    if (holder) putU8(out, at + 13, ((r.scope & 0x0f) << 4) | (r.type & 0x0f));
    putU16(out, at + 18, RELATIVE_TARGET_PORT_ID);
    putU32(out, at + 20, reg.transportIdLength);
    writeTransportId(initiator, out, at + PR_IN_FULL_STATUS_DESCRIPTOR_SIZE);
    at += PR_IN_FULL_STATUS_DESCRIPTOR_SIZE + reg.transportIdLength;
  }
  return out;
}
