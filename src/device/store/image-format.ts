// The byte layout shared by both stores: the memory store keeps the very same bytes in a sparse page map,
// so a power loss injected at write step k leaves the same torn state in both (band-management.md §2.2
// "Commit": two alternating slots with a generation and a checksum).
//
//   offset 0                image header (IMAGE_HEADER_BYTES, one 4 KiB block)
//   slotOffsets[0]          metadata slot 0: slot header (SLOT_HEADER_BYTES) + up to metadataCapacity bytes
//   slotOffsets[1]          metadata slot 1, same shape
//   dataOffset              sector lba at dataOffset + lba × sectorSize (written only when the device writes)
//
// Every region starts on a 4 KiB boundary so a 4096-byte sector never straddles a file-system block.
// All integers are little-endian.

import { createHash } from 'node:crypto';
import { isSectorSize, type OpenErrorCode, type SectorSize } from './block-store';

export const IMAGE_MAGIC = Uint8Array.from(Buffer.from('VDISKIMG', 'latin1'));
export const IMAGE_FORMAT_VERSION = 1;
export const IMAGE_HEADER_BYTES = 4096;
export const SLOT_MAGIC = Uint8Array.from(Buffer.from('VDMETA01', 'latin1'));
export const SLOT_HEADER_BYTES = 64;
/** Hard ceiling on a metadata record: a header claiming more is rejected, never allocated (STYLE.md). */
export const MAX_METADATA_BYTES = 1 << 20;
const REGION_ALIGN = 4096;
const SHA256_BYTES = 32;

// Image header fields (byte offsets).
const H_MAGIC = 0;            // 8 bytes "VDISKIMG"
const H_VERSION = 8;          // u32
const H_HEADER_BYTES = 12;    // u32, = IMAGE_HEADER_BYTES
const H_SECTOR_SIZE = 16;     // u32, 512 or 4096
const H_META_CAPACITY = 20;   // u32, ≤ MAX_METADATA_BYTES
const H_SECTORS = 24;         // u64
const H_SLOT0 = 32;           // u64
const H_SLOT1 = 40;           // u64
const H_DATA = 48;            // u64
const H_RESERVED = 56;        // u64, 0
const H_CHECKSUM = 64;        // sha256 over bytes [0, 64)
const H_COVERED = 64;

// Slot header fields (byte offsets from the slot's start).
const S_MAGIC = 0;            // 8 bytes "VDMETA01"
const S_GENERATION = 8;       // u64, 1 for the first commit
const S_LENGTH = 16;          // u32, record length
const S_RESERVED = 20;        // u32, 0
const S_CHECKSUM = 24;        // sha256 over slot header bytes [0, 24) then the record
const S_COVERED = 24;         // bytes 56..63 are zero padding

export interface ImageLayout {
  readonly sectorSize: SectorSize;
  readonly sectors: number;
  readonly metadataCapacity: number;
  readonly slotOffsets: readonly [number, number];
  readonly dataOffset: number;
}

export type LayoutResult =
  | { readonly ok: true; readonly layout: ImageLayout }
  | { readonly ok: false; readonly code: OpenErrorCode; readonly message: string };

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/**
 * The one canonical layout for a geometry. The header stores the offsets too, and open requires them to
 * equal this: a header cannot place a slot over the data or another slot.
 */
export function computeLayout(sectorSize: number, sectors: number, metadataCapacity: number): LayoutResult {
  if (!isSectorSize(sectorSize)) {
    return { ok: false, code: 'invalid-geometry', message: `sectorSize ${sectorSize} is not 512 or 4096` };
  }
  if (!Number.isSafeInteger(sectors) || sectors < 1) {
    return { ok: false, code: 'invalid-geometry', message: `sectors ${sectors} is not a positive integer` };
  }
  if (!Number.isSafeInteger(metadataCapacity) || metadataCapacity < 0 || metadataCapacity > MAX_METADATA_BYTES) {
    return {
      ok: false, code: 'invalid-geometry',
      message: `metadata capacity ${metadataCapacity} is outside [0, ${MAX_METADATA_BYTES}]`,
    };
  }
  const slotStride = roundUp(SLOT_HEADER_BYTES + metadataCapacity, REGION_ALIGN);
  const slot0 = IMAGE_HEADER_BYTES;
  const slot1 = slot0 + slotStride;
  const dataOffset = slot1 + slotStride;
  // Every byte offset must be an exact number: compare by division so the check itself cannot round.
  if (sectors > Math.floor((Number.MAX_SAFE_INTEGER - dataOffset) / sectorSize)) {
    return {
      ok: false, code: 'invalid-geometry',
      message: `${sectors} sectors of ${sectorSize} bytes end beyond byte offset 2^53`,
    };
  }
  return { ok: true, layout: { sectorSize, sectors, metadataCapacity, slotOffsets: [slot0, slot1], dataOffset } };
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A u64 that must fit an exact number, or null. */
function readSafeU64(dv: DataView, at: number): number | null {
  const v = dv.getBigUint64(at, true);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
}

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function encodeImageHeader(layout: ImageLayout): Uint8Array {
  const bytes = new Uint8Array(IMAGE_HEADER_BYTES);
  const dv = view(bytes);
  bytes.set(IMAGE_MAGIC, H_MAGIC);
  dv.setUint32(H_VERSION, IMAGE_FORMAT_VERSION, true);
  dv.setUint32(H_HEADER_BYTES, IMAGE_HEADER_BYTES, true);
  dv.setUint32(H_SECTOR_SIZE, layout.sectorSize, true);
  dv.setUint32(H_META_CAPACITY, layout.metadataCapacity, true);
  dv.setBigUint64(H_SECTORS, BigInt(layout.sectors), true);
  dv.setBigUint64(H_SLOT0, BigInt(layout.slotOffsets[0]), true);
  dv.setBigUint64(H_SLOT1, BigInt(layout.slotOffsets[1]), true);
  dv.setBigUint64(H_DATA, BigInt(layout.dataOffset), true);
  dv.setBigUint64(H_RESERVED, 0n, true);
  bytes.set(sha256(bytes.subarray(0, H_COVERED)), H_CHECKSUM);
  return bytes;
}

/**
 * Decodes and validates an image header. Checks in this order, so the message names the first thing
 * wrong: length, magic, version (before the checksum: a later version may checksum differently),
 * checksum, then every field against the canonical layout.
 */
export function decodeImageHeader(bytes: Uint8Array): LayoutResult {
  if (bytes.length < IMAGE_HEADER_BYTES) {
    return {
      ok: false, code: 'truncated',
      message: `image header needs ${IMAGE_HEADER_BYTES} bytes, file has ${bytes.length}`,
    };
  }
  if (!bytesEqual(bytes.subarray(H_MAGIC, H_MAGIC + IMAGE_MAGIC.length), IMAGE_MAGIC)) {
    return { ok: false, code: 'bad-magic', message: 'not a vdisk image: magic at offset 0 is not "VDISKIMG"' };
  }
  const dv = view(bytes);
  const version = dv.getUint32(H_VERSION, true);
  if (version !== IMAGE_FORMAT_VERSION) {
    return {
      ok: false, code: 'unsupported-version',
      message: `image format version ${version} at offset ${H_VERSION}; this vdisk reads version ${IMAGE_FORMAT_VERSION}`,
    };
  }
  if (!bytesEqual(sha256(bytes.subarray(0, H_COVERED)), bytes.subarray(H_CHECKSUM, H_CHECKSUM + SHA256_BYTES))) {
    return { ok: false, code: 'header-corrupt', message: `image header checksum (offset ${H_CHECKSUM}) does not match` };
  }
  const headerBytes = dv.getUint32(H_HEADER_BYTES, true);
  if (headerBytes !== IMAGE_HEADER_BYTES) {
    return inconsistent(`headerBytes ${headerBytes} (offset ${H_HEADER_BYTES}) is not ${IMAGE_HEADER_BYTES}`);
  }
  const sectorSize = dv.getUint32(H_SECTOR_SIZE, true);
  const capacity = dv.getUint32(H_META_CAPACITY, true);
  const sectors = readSafeU64(dv, H_SECTORS);
  if (sectors === null) return inconsistent(`sectors (offset ${H_SECTORS}) exceeds 2^53`);
  const computed = computeLayout(sectorSize, sectors, capacity);
  if (!computed.ok) return inconsistent(`${computed.message} (header offsets ${H_SECTOR_SIZE}, ${H_SECTORS}, ${H_META_CAPACITY})`);
  const { layout } = computed;
  const stored: [string, number, number][] = [
    ['slot 0 offset', H_SLOT0, layout.slotOffsets[0]],
    ['slot 1 offset', H_SLOT1, layout.slotOffsets[1]],
    ['data offset', H_DATA, layout.dataOffset],
    ['reserved', H_RESERVED, 0],
  ];
  for (const [name, at, want] of stored) {
    const have = readSafeU64(dv, at);
    if (have !== want) return inconsistent(`${name} (offset ${at}) is ${dv.getBigUint64(at, true)}, expected ${want}`);
  }
  return computed;
}

function inconsistent(message: string): LayoutResult {
  return { ok: false, code: 'inconsistent-header', message: `inconsistent image header: ${message}` };
}

/** The slot header for committing `record` as `generation`; its checksum covers generation, length and record. */
export function encodeSlotHeader(generation: number, record: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(SLOT_HEADER_BYTES);
  const dv = view(bytes);
  bytes.set(SLOT_MAGIC, S_MAGIC);
  dv.setBigUint64(S_GENERATION, BigInt(generation), true);
  dv.setUint32(S_LENGTH, record.length, true);
  dv.setUint32(S_RESERVED, 0, true);
  bytes.set(sha256(bytes.subarray(0, S_COVERED), record), S_CHECKSUM);
  return bytes;
}

/** What a slot header says before its record is read. */
export type SlotHeader =
  | { readonly kind: 'empty' }
  | { readonly kind: 'corrupt'; readonly why: string }
  | { readonly kind: 'candidate'; readonly generation: number; readonly length: number };

/**
 * First half of reading a slot: an all-zero header is a slot never written (a fresh image, or a first
 * commit torn before its header), anything else must carry the magic, a length within the image's
 * capacity — checked before the record is read, so no allocation follows an untrusted length — and a
 * generation ≥ 1.
 */
export function decodeSlotHeader(bytes: Uint8Array, metadataCapacity: number): SlotHeader {
  if (bytes.length < SLOT_HEADER_BYTES) return { kind: 'corrupt', why: 'short slot header' };
  if (bytes.subarray(0, SLOT_HEADER_BYTES).every((b) => b === 0)) return { kind: 'empty' };
  if (!bytesEqual(bytes.subarray(S_MAGIC, S_MAGIC + SLOT_MAGIC.length), SLOT_MAGIC)) {
    return { kind: 'corrupt', why: 'bad slot magic' };
  }
  const dv = view(bytes);
  const generation = readSafeU64(dv, S_GENERATION);
  if (generation === null || generation < 1) return { kind: 'corrupt', why: 'generation out of range' };
  const length = dv.getUint32(S_LENGTH, true);
  if (length > metadataCapacity) {
    return { kind: 'corrupt', why: `record length ${length} exceeds the slot capacity ${metadataCapacity}` };
  }
  return { kind: 'candidate', generation, length };
}

/** Second half: the checksum over header fields and record decides whether the slot holds a whole commit. */
export function slotChecksumMatches(header: Uint8Array, record: Uint8Array): boolean {
  const want = header.subarray(S_CHECKSUM, S_CHECKSUM + SHA256_BYTES);
  return bytesEqual(sha256(header.subarray(0, S_COVERED), record), want);
}
