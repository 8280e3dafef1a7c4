// CDB field access for the opcode handlers, derived from the CDB declarations of src/codecs/scsi/cdb.ts
// (layouts.md §3) — no offset or bit position is typed here. The layout DSL's decode builds an object per
// call; the device's hot path may allocate nothing but its result (target ≥ 1 M commands/s), so handlers read
// single fields through `layout.reader(name)`: a function compiled once from the declaration that reads one
// integer or bit-field in place. tests/device/cdb-fields.test.ts checks every reader against `decode`.
//
// The CDB handed to handlers is always at least 16 bytes long (logical-unit.ts pads shorter ones as a
// transport's fixed CDB field would), so every field of every CDB below is in bounds.

import type { Layout } from '../codecs/layout';
import { layouts } from '../codecs/layouts';

/** Reads one field of a CDB that starts at `at`. */
export type FieldReader<N extends number | bigint = number> = (cdb: Uint8Array, at: number) => N;

const {
  CDB_INQUIRY, CDB_READ_CAPACITY10, CDB_READ_CAPACITY16, CDB_READ10, CDB_WRITE10, CDB_READ16, CDB_WRITE16,
  CDB_START_STOP_UNIT, CDB_PREVENT_ALLOW_MEDIUM_REMOVAL, CDB_RESERVE6, CDB_RESERVE10,
  CDB_PERSISTENT_RESERVE_IN, CDB_PERSISTENT_RESERVE_OUT,
} = layouts;

/** layouts.md §3, one block per CDB; field names as in the declarations. */
export const CDB_FIELDS = Object.freeze({
  INQUIRY: Object.freeze({
    EVPD: CDB_INQUIRY.reader('EVPD'),
    PAGE_CODE: CDB_INQUIRY.reader('PAGE_CODE'),
    ALLOCATION_LENGTH: CDB_INQUIRY.reader('ALLOCATION_LENGTH'),
  }),
  READ_CAPACITY10: Object.freeze({
    LOGICAL_BLOCK_ADDRESS: CDB_READ_CAPACITY10.reader('LOGICAL_BLOCK_ADDRESS'),
    PMI: CDB_READ_CAPACITY10.reader('PMI'),
  }),
  READ_CAPACITY16: Object.freeze({
    SERVICE_ACTION: CDB_READ_CAPACITY16.reader('SERVICE_ACTION'),
    LOGICAL_BLOCK_ADDRESS: CDB_READ_CAPACITY16.reader<bigint>('LOGICAL_BLOCK_ADDRESS'),
    ALLOCATION_LENGTH: CDB_READ_CAPACITY16.reader('ALLOCATION_LENGTH'),
    PMI: CDB_READ_CAPACITY16.reader('PMI'),
  }),
  READ10: Object.freeze({
    RDPROTECT: CDB_READ10.reader('RDPROTECT'),
    LOGICAL_BLOCK_ADDRESS: CDB_READ10.reader('LOGICAL_BLOCK_ADDRESS'),
    TRANSFER_LENGTH: CDB_READ10.reader('TRANSFER_LENGTH'),
  }),
  WRITE10: Object.freeze({
    WRPROTECT: CDB_WRITE10.reader('WRPROTECT'),
    LOGICAL_BLOCK_ADDRESS: CDB_WRITE10.reader('LOGICAL_BLOCK_ADDRESS'),
    TRANSFER_LENGTH: CDB_WRITE10.reader('TRANSFER_LENGTH'),
  }),
  READ16: Object.freeze({
    RDPROTECT: CDB_READ16.reader('RDPROTECT'),
    LOGICAL_BLOCK_ADDRESS: CDB_READ16.reader<bigint>('LOGICAL_BLOCK_ADDRESS'),
    TRANSFER_LENGTH: CDB_READ16.reader('TRANSFER_LENGTH'),
  }),
  WRITE16: Object.freeze({
    WRPROTECT: CDB_WRITE16.reader('WRPROTECT'),
    LOGICAL_BLOCK_ADDRESS: CDB_WRITE16.reader<bigint>('LOGICAL_BLOCK_ADDRESS'),
    TRANSFER_LENGTH: CDB_WRITE16.reader('TRANSFER_LENGTH'),
  }),
  START_STOP_UNIT: Object.freeze({
    START: CDB_START_STOP_UNIT.reader('START'),
    LOEJ: CDB_START_STOP_UNIT.reader('LOEJ'),
    POWER_CONDITION: CDB_START_STOP_UNIT.reader('POWER_CONDITION'),
  }),
  PREVENT_ALLOW_MEDIUM_REMOVAL: Object.freeze({
    PREVENT: CDB_PREVENT_ALLOW_MEDIUM_REMOVAL.reader('PREVENT'),
  }),
  /** RESERVE(10) and RELEASE(10): the same fields at the same places (tests/device/cdb-fields.test.ts reads both). */
  RESERVE10: Object.freeze({
    LONGID: CDB_RESERVE10.reader('LONGID'),
    THIRDPTY: CDB_RESERVE10.reader('THIRDPTY'),
    THIRD_PARTY_DEVICE_ID: CDB_RESERVE10.reader('THIRD_PARTY_DEVICE_ID'),
    PARAMETER_LIST_LENGTH: CDB_RESERVE10.reader('PARAMETER_LIST_LENGTH'),
  }),
  PERSISTENT_RESERVE_IN: Object.freeze({
    SERVICE_ACTION: CDB_PERSISTENT_RESERVE_IN.reader('SERVICE_ACTION'),
    ALLOCATION_LENGTH: CDB_PERSISTENT_RESERVE_IN.reader('ALLOCATION_LENGTH'),
  }),
  PERSISTENT_RESERVE_OUT: Object.freeze({
    SERVICE_ACTION: CDB_PERSISTENT_RESERVE_OUT.reader('SERVICE_ACTION'),
    TYPE: CDB_PERSISTENT_RESERVE_OUT.reader('TYPE'),
    SCOPE: CDB_PERSISTENT_RESERVE_OUT.reader('SCOPE'),
    PARAMETER_LIST_LENGTH: CDB_PERSISTENT_RESERVE_OUT.reader('PARAMETER_LIST_LENGTH'),
  }),
});

/** [from, to) of a byte-array field, for "must be zero" checks (readers cover integers only). */
function span(layout: Layout<unknown>, name: string): readonly [number, number] {
  const leaf = layout.leaf(name);
  if (leaf === undefined || leaf.kind !== 'bytes') throw new Error(`${layout.name}.${name} is not a byte field`);
  return Object.freeze([leaf.offset, leaf.offset + leaf.size] as const);
}

/** RESERVE(6) / RELEASE(6): bytes 1-4 Obsolete, required zero by vdisk (scsi-device.md §4). */
export const RESERVE6_OBSOLETE = span(CDB_RESERVE6 as Layout<unknown>, 'Obsolete');

/** true when bytes [from, to) are all zero */
export function zeroBytes(cdb: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (cdb[i] !== 0) return false;
  return true;
}
