// The band table of the self-encrypting device (band-management.md §2.2 "Band slots", §1.2 "The global
// band", TCG Locking table): slot 0 is the global band and owns every LBA outside the configured bands;
// slots 1..maxBands−1 are configured or not. Values here are immutable: an operation computes a whole new
// table and the subsystem commits it in one step (STYLE.md: "compute the whole new state, then commit it").
//
// Also the table's persistent form: one record (band-management.md §2.2 "Commit") holding the band table,
// the credentials' verifiers, the media keys wrapped under the device root key, and the flags. No key a
// caller supplied is ever part of it — only verifiers.

import {
  parseVerifier, serialiseVerifier, VERIFIER_BYTES, type Verifier,
} from './credentials';
import { WRAPPED_MEDIA_KEY_BYTES, type KeyWrapper } from './media-keys';

// LOCKSTATE (layouts.md §2 "Band management constants"); 0 = INVALID_LOCK_STATE is never stored.
export const PERSISTENT_UNLOCK = 1;
export const NONPERSISTENT_UNLOCK = 2;
export const PERSISTENT_LOCK = 3;
export type LockState = typeof PERSISTENT_UNLOCK | typeof NONPERSISTENT_UNLOCK | typeof PERSISTENT_LOCK;

export function isLockState(n: number): n is LockState {
  return n === PERSISTENT_UNLOCK || n === NONPERSISTENT_UNLOCK || n === PERSISTENT_LOCK;
}

export const SLOT_METADATA_BYTES = 32; // BAND_LOCATION_INFO.Metadata and BAND_SECURITY_INFO.Metadata
export const GLOBAL_BAND = 0;

export interface Slot {
  readonly configured: boolean;
  /** first LBA and length in sectors; meaningless for the global band and for unconfigured slots */
  readonly startLba: number;
  readonly sectors: number;
  readonly readLock: LockState;
  readonly writeLock: LockState;
  readonly locationMetadata: Uint8Array;
  readonly securityMetadata: Uint8Array;
  /** the band's metadata store, bandMetadataSize bytes (§3.7) */
  readonly store: Uint8Array;
  /** AES-256-XTS media key (64 bytes); in memory only in the clear, wrapped in the record */
  readonly mediaKey: Uint8Array;
  readonly credential: Verifier;
}

export interface Table {
  readonly activated: boolean;
  /** ACTIVATE_DISABLE_SID was used: CAPS_SID_SECURED, every SID authentication fails (§3.2) */
  readonly sidDisabled: boolean;
  readonly sid: Verifier;
  readonly erase: Verifier;
  /** the seeded RNG's next draw index (media-keys.ts): committed so no key or salt is drawn twice */
  readonly draws: number;
  readonly slots: readonly Slot[];
}

/** Lock flags a power cycle set (D10) — volatile, never in the record. */
export interface Relocked {
  readonly read: boolean;
  readonly write: boolean;
}

export const NOT_RELOCKED: Relocked = Object.freeze({ read: false, write: false });

export function readLocked(s: Slot, r: Relocked): boolean {
  return s.readLock === PERSISTENT_LOCK || (s.readLock === NONPERSISTENT_UNLOCK && r.read);
}

export function writeLocked(s: Slot, r: Relocked): boolean {
  return s.writeLock === PERSISTENT_LOCK || (s.writeLock === NONPERSISTENT_UNLOCK && r.write);
}

/** Lock states as ENUMERATE reports them: a lock a power cycle relocked reads PERSISTENT_LOCK (§3.3). */
export function reportedLocks(s: Slot, r: Relocked): { readLock: LockState; writeLock: LockState } {
  return {
    readLock: readLocked(s, r) ? PERSISTENT_LOCK : s.readLock,
    writeLock: writeLocked(s, r) ? PERSISTENT_LOCK : s.writeLock,
  };
}

/** What a power cycle turns into locked: the NONPERSISTENT_UNLOCK locks (TCG LockOnReset ∋ PowerCycle). */
export function relockOnReset(s: Slot): Relocked {
  return { read: s.readLock === NONPERSISTENT_UNLOCK, write: s.writeLock === NONPERSISTENT_UNLOCK };
}

/** The configured non-global band that owns `lba`, else the global band. */
export function ownerOf(t: Table, lba: number): number {
  for (let id = 1; id < t.slots.length; id++) {
    const s = t.slots[id]!;
    if (s.configured && lba >= s.startLba && lba - s.startLba < s.sectors) return id;
  }
  return GLOBAL_BAND;
}

/**
 * The end (exclusive) of the run of LBAs from `lba` (below `end`) that `owner` (= ownerOf(t, lba)) owns:
 * the band's own end for a configured band, the start of the next configured band for the global band.
 * Lets sector I/O look the owner up once per run instead of once per sector.
 */
export function ownerRunEnd(t: Table, lba: number, end: number, owner: number): number {
  if (owner !== GLOBAL_BAND) {
    const s = t.slots[owner]!;
    return Math.min(end, s.startLba + s.sectors);
  }
  let stop = end;
  for (let id = 1; id < t.slots.length; id++) {
    const s = t.slots[id]!;
    if (s.configured && s.sectors > 0 && s.startLba > lba && s.startLba < stop) stop = s.startLba;
  }
  return stop;
}

/**
 * Every band a request on [lba, lba+count) touches (D9: band crossing is checked against all of them),
 * ascending by id. count ≥ 1. Walks the configured bands, not the sectors, so a huge count costs nothing.
 */
export function bandsTouched(t: Table, lba: number, count: number): number[] {
  const end = lba + count;
  const hit: number[] = [];
  let covered = 0;
  for (let id = 1; id < t.slots.length; id++) {
    const s = t.slots[id]!;
    if (!s.configured) continue;
    const a = Math.max(lba, s.startLba);
    const b = Math.min(end, s.startLba + s.sectors);
    if (a < b) {
      hit.push(id);
      covered += b - a;
    }
  }
  // The global band is touched unless the configured bands cover the whole range (they never overlap).
  if (covered < count) hit.unshift(GLOBAL_BAND);
  return hit;
}

/** Half-open byte ranges [start, start+size) overlap; empty or negative sizes overlap nothing. */
export function overlaps(aStart: bigint, aSize: bigint, bStart: bigint, bSize: bigint): boolean {
  if (aSize <= 0n || bSize <= 0n) return false;
  return aStart < bStart + bSize && bStart < aStart + aSize;
}

/** Configured non-global bands other than `except` that overlap the byte range (D2 step 9, overlap rule). */
export function overlapsAnyBand(t: Table, sectorSize: number, start: bigint, size: bigint, except: number): boolean {
  const ss = BigInt(sectorSize);
  for (let id = 1; id < t.slots.length; id++) {
    const s = t.slots[id]!;
    if (!s.configured || id === except) continue;
    if (overlaps(start, size, BigInt(s.startLba) * ss, BigInt(s.sectors) * ss)) return true;
  }
  return false;
}

/**
 * The geometry rule of D2 step 9: BandStart and BandSize non-negative multiples of the sector size,
 * BandSize ≠ 0, BandStart + BandSize ≤ capacity — in bigint, so no 64-bit value wraps.
 */
export function validGeometry(start: bigint, size: bigint, sectorSize: number, capacitySectors: number): boolean {
  const ss = BigInt(sectorSize);
  if (start < 0n || size <= 0n) return false;
  if (start % ss !== 0n || size % ss !== 0n) return false;
  return start + size <= BigInt(capacitySectors) * ss;
}

/** Lowest unconfigured band id ≥ 1 (§3.4), or undefined when the table is full. */
export function freeSlot(t: Table): number | undefined {
  for (let id = 1; id < t.slots.length; id++) if (!t.slots[id]!.configured) return id;
  return undefined;
}

export function withSlot(t: Table, id: number, s: Slot): Table {
  const slots = t.slots.slice();
  slots[id] = s;
  return { ...t, slots };
}

// ---- the persistent record (band-management.md §2.2 "Commit") ----

const MAGIC = [0x56, 0x44, 0x53, 0x45, 0x43, 0x01]; // "VDSEC" v1
const HEADER = 6 + 4 + 4 + 1 + 1 + 8;

export function slotRecordBytes(metadataSize: number): number {
  return 1 + 1 + 1 + 1 + 8 + 8 + SLOT_METADATA_BYTES * 2 + metadataSize + WRAPPED_MEDIA_KEY_BYTES + VERIFIER_BYTES;
}

export function recordBytes(maxBands: number, metadataSize: number): number {
  return HEADER + 2 * VERIFIER_BYTES + maxBands * slotRecordBytes(metadataSize);
}

/** The table as one record; media keys wrapped, credentials as verifiers. */
export function serialiseTable(t: Table, metadataSize: number, wrapper: KeyWrapper): Uint8Array {
  const out = new Uint8Array(recordBytes(t.slots.length, metadataSize));
  const dv = new DataView(out.buffer);
  out.set(MAGIC, 0);
  dv.setUint32(6, t.slots.length, true);
  dv.setUint32(10, metadataSize, true);
  out[14] = t.activated ? 1 : 0;
  out[15] = t.sidDisabled ? 1 : 0;
  dv.setBigUint64(16, BigInt(t.draws), true);
  let at = HEADER;
  serialiseVerifier(t.sid, out, at); at += VERIFIER_BYTES;
  serialiseVerifier(t.erase, out, at); at += VERIFIER_BYTES;
  for (const s of t.slots) {
    out[at] = s.configured ? 1 : 0;
    out[at + 1] = s.readLock;
    out[at + 2] = s.writeLock;
    dv.setBigUint64(at + 4, BigInt(s.startLba), true);
    dv.setBigUint64(at + 12, BigInt(s.sectors), true);
    at += 20;
    out.set(s.locationMetadata, at); at += SLOT_METADATA_BYTES;
    out.set(s.securityMetadata, at); at += SLOT_METADATA_BYTES;
    out.set(s.store, at); at += metadataSize;
    out.set(wrapper.wrap(s.mediaKey), at); at += WRAPPED_MEDIA_KEY_BYTES;
    serialiseVerifier(s.credential, out, at); at += VERIFIER_BYTES;
  }
  return out;
}

/**
 * The table from a committed record, or undefined when the record does not fit this device's geometry
 * (a record of another configuration, or damage the store's checksum did not catch). Bounds come from
 * the device's own maxBands/metadataSize, never from numbers in the record.
 */
export function parseTable(b: Uint8Array, maxBands: number, metadataSize: number, wrapper: KeyWrapper): Table | undefined {
  if (b.length !== recordBytes(maxBands, metadataSize)) return undefined;
  for (let i = 0; i < MAGIC.length; i++) if (b[i] !== MAGIC[i]) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(6, true) !== maxBands || dv.getUint32(10, true) !== metadataSize) return undefined;
  const draws = Number(dv.getBigUint64(16, true));
  let at = HEADER;
  const sid = parseVerifier(b, at); at += VERIFIER_BYTES;
  const erase = parseVerifier(b, at); at += VERIFIER_BYTES;
  const slots: Slot[] = [];
  for (let i = 0; i < maxBands; i++) {
    const readLock = b[at + 1]!;
    const writeLock = b[at + 2]!;
    if (!isLockState(readLock) || !isLockState(writeLock)) return undefined;
    const configured = b[at] === 1;
    const startLba = Number(dv.getBigUint64(at + 4, true));
    const sectors = Number(dv.getBigUint64(at + 12, true));
    at += 20;
    const locationMetadata = b.slice(at, at + SLOT_METADATA_BYTES); at += SLOT_METADATA_BYTES;
    const securityMetadata = b.slice(at, at + SLOT_METADATA_BYTES); at += SLOT_METADATA_BYTES;
    const store = b.slice(at, at + metadataSize); at += metadataSize;
    const mediaKey = wrapper.unwrap(b.subarray(at, at + WRAPPED_MEDIA_KEY_BYTES)); at += WRAPPED_MEDIA_KEY_BYTES;
    if (mediaKey === undefined) return undefined;
    const credential = parseVerifier(b, at); at += VERIFIER_BYTES;
    slots.push({
      configured: i === GLOBAL_BAND || configured, startLba, sectors, readLock, writeLock,
      locationMetadata, securityMetadata, store, mediaKey, credential,
    });
  }
  return { activated: b[14] === 1, sidDisabled: b[15] === 1, sid, erase, draws, slots };
}
