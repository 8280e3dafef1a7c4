// The conditions the device reports (scsi-device.md §7), named as in SPC-4 / SDK scsi.h, each with a
// one-line meaning (QEMU scsi/utils.c style), and the 18-byte fixed-format sense data built from them
// (scsi-device.md §1: response code 70h, VALID 0, ADDITIONAL SENSE LENGTH 10, all else 0 but key/ASC/ASCQ).
// ADAPTER: src/codecs/scsi/sense.ts (SenseCode, fixedSense) is being written by another engineer; these
// values are checked against the spec's table in tests/device and can become re-exports of it.

import type { SenseTriple } from './scsi';

export const SENSE_KEY_NOT_READY = 0x2;
export const SENSE_KEY_MEDIUM_ERROR = 0x3;
export const SENSE_KEY_HARDWARE_ERROR = 0x4;
export const SENSE_KEY_ILLEGAL_REQUEST = 0x5;
export const SENSE_KEY_UNIT_ATTENTION = 0x6;
export const SENSE_KEY_DATA_PROTECT = 0x7;

function code(key: number, asc: number, ascq: number): SenseTriple {
  return Object.freeze({ key, asc, ascq });
}

export const SENSE = Object.freeze({
  /** 2/3Ah/00h: TUR, READ CAPACITY, READ, WRITE without a medium */
  MEDIUM_NOT_PRESENT: code(SENSE_KEY_NOT_READY, 0x3a, 0x00),
  /** 5/20h/00h: the opcode is not supported (§2 step 2) */
  INVALID_COMMAND_OPERATION_CODE: code(SENSE_KEY_ILLEGAL_REQUEST, 0x20, 0x00),
  /** 5/24h/00h: a CDB field the device refuses (§3, §4) */
  INVALID_FIELD_IN_CDB: code(SENSE_KEY_ILLEGAL_REQUEST, 0x24, 0x00),
  /** 5/21h/00h: LBA + TRANSFER LENGTH beyond the capacity (§3.5 step 3) */
  LBA_OUT_OF_RANGE: code(SENSE_KEY_ILLEGAL_REQUEST, 0x21, 0x00),
  /** 5/53h/02h: eject while any initiator prevents removal (§3.2 step 4) */
  MEDIUM_REMOVAL_PREVENTED: code(SENSE_KEY_ILLEGAL_REQUEST, 0x53, 0x02),
  /** 5/1Ah/00h: PR OUT parameter list length (persistent-reservations.md §4.1) */
  PARAMETER_LIST_LENGTH_ERROR: code(SENSE_KEY_ILLEGAL_REQUEST, 0x1a, 0x00),
  /** 5/26h/00h: PR OUT parameter list field */
  INVALID_FIELD_IN_PARAMETER_LIST: code(SENSE_KEY_ILLEGAL_REQUEST, 0x26, 0x00),
  /** 5/26h/04h: PR OUT RELEASE with the wrong type */
  INVALID_RELEASE_OF_PERSISTENT_RESERVATION: code(SENSE_KEY_ILLEGAL_REQUEST, 0x26, 0x04),
  /** 7/20h/02h: read or write touching a locked band (band-management.md D9) */
  ACCESS_DENIED_NO_ACCESS_RIGHTS: code(SENSE_KEY_DATA_PROTECT, 0x20, 0x02),
  /** 3/11h/00h: the store could not read (image I/O error; spec silent — vdisk, docs/decisions/device.md) */
  UNRECOVERED_READ_ERROR: code(SENSE_KEY_MEDIUM_ERROR, 0x11, 0x00),
  /** 3/0Ch/00h: the store could not write (image I/O error; spec silent — vdisk) */
  WRITE_ERROR: code(SENSE_KEY_MEDIUM_ERROR, 0x0c, 0x00),
  /** 4/44h/00h: the store refused an operation the device had checked (a bug; never expected) */
  INTERNAL_TARGET_FAILURE: code(SENSE_KEY_HARDWARE_ERROR, 0x44, 0x00),
});

export const FIXED_SENSE_LENGTH = 18;

/** 18-byte fixed-format sense data (layouts.md SENSE_DATA_FIXED; scsi-device.md §1). */
export function fixedSenseData(key: number, asc: number, ascq: number): Uint8Array {
  const b = new Uint8Array(FIXED_SENSE_LENGTH);
  b[0] = 0x70; // RESPONSE_CODE 70h current, VALID 0
  b[2] = key & 0x0f;
  b[7] = FIXED_SENSE_LENGTH - 8; // ADDITIONAL_SENSE_LENGTH = n − 7 = 10
  b[12] = asc;
  b[13] = ascq;
  return b;
}
