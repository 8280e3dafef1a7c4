// CDB field access for the opcode handlers: the offsets and bit positions of layouts.md §3, read straight
// from the CDB bytes. The layout DSL's decode builds an object (and slices every `bytes` field) per call;
// the device's hot path may allocate nothing but its result (TOOLCHAIN.md, target ≥ 1 M commands/s), so
// handlers read fields through these accessors instead. tests/device/cdb-fields.test.ts checks every
// position here against spec/data/layouts.json, so the declaration stays the single source of truth.
//
// The CDB handed to handlers is always at least 16 bytes long (logical-unit.ts pads shorter ones as a
// transport's fixed CDB field would), so every offset below is in bounds.

/** A field of `width` bits at bit `shift` of byte `byte` (within one byte), as layouts.md lists it. */
export interface BitField {
  readonly byte: number;
  readonly shift: number;
  readonly width: number;
}

function bits(byte: number, shift: number, width: number): BitField {
  return Object.freeze({ byte, shift, width });
}

export function readBits(cdb: Uint8Array, f: BitField): number {
  return (cdb[f.byte]! >>> f.shift) & ((1 << f.width) - 1);
}

export function u16be(cdb: Uint8Array, at: number): number {
  return (cdb[at]! << 8) | cdb[at + 1]!;
}

export function u32be(cdb: Uint8Array, at: number): number {
  return ((cdb[at]! << 24) | (cdb[at + 1]! << 16) | (cdb[at + 2]! << 8) | cdb[at + 3]!) >>> 0;
}

/** uint64be as a bigint: LBAs are 64-bit and their range checks must not wrap (scsi-device.md §3.5). */
export function u64be(cdb: Uint8Array, at: number): bigint {
  return (BigInt(u32be(cdb, at)) << 32n) | BigInt(u32be(cdb, at + 4));
}

/** true when bytes [from, to) are all zero */
export function zeroBytes(cdb: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (cdb[i] !== 0) return false;
  return true;
}

/** layouts.md §3, one block per CDB; names as in the spec tables. */
export const CDB = Object.freeze({
  OPERATION_CODE: 0,
  INQUIRY: { EVPD: bits(1, 0, 1), PAGE_CODE: 2, ALLOCATION_LENGTH: 3 },
  READ_CAPACITY10: { LOGICAL_BLOCK_ADDRESS: 2, PMI: bits(8, 0, 1) },
  READ_CAPACITY16: { SERVICE_ACTION: bits(1, 0, 5), LOGICAL_BLOCK_ADDRESS: 2, ALLOCATION_LENGTH: 10, PMI: bits(14, 0, 1) },
  READ10: { RDPROTECT: bits(1, 5, 3), LOGICAL_BLOCK_ADDRESS: 2, TRANSFER_LENGTH: 7 },
  WRITE10: { WRPROTECT: bits(1, 5, 3), LOGICAL_BLOCK_ADDRESS: 2, TRANSFER_LENGTH: 7 },
  READ16: { RDPROTECT: bits(1, 5, 3), LOGICAL_BLOCK_ADDRESS: 2, TRANSFER_LENGTH: 10 },
  WRITE16: { WRPROTECT: bits(1, 5, 3), LOGICAL_BLOCK_ADDRESS: 2, TRANSFER_LENGTH: 10 },
  START_STOP_UNIT: { START: bits(4, 0, 1), LOEJ: bits(4, 1, 1), POWER_CONDITION: bits(4, 4, 4) },
  PREVENT_ALLOW_MEDIUM_REMOVAL: { PREVENT: bits(4, 0, 2) },
  /** RESERVE(6) / RELEASE(6): bytes 1-4 Obsolete, required zero by vdisk (scsi-device.md §4) */
  RESERVE6: { Obsolete: [1, 5] as const },
  /** RESERVE(10) / RELEASE(10) */
  RESERVE10: { LONGID: bits(1, 1, 1), THIRDPTY: bits(1, 4, 1), THIRD_PARTY_DEVICE_ID: 3, PARAMETER_LIST_LENGTH: 7 },
  PERSISTENT_RESERVE_IN: { SERVICE_ACTION: bits(1, 0, 5), ALLOCATION_LENGTH: 7 },
  PERSISTENT_RESERVE_OUT: { SERVICE_ACTION: bits(1, 0, 5), TYPE: bits(2, 0, 4), SCOPE: bits(2, 4, 4), PARAMETER_LIST_LENGTH: 5 },
});
