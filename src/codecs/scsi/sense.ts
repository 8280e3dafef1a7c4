// Fixed-format sense data (layouts.md §3 SENSE_DATA_FIXED; SPC-4), the sense keys (SDK scsi.h
// SCSI_SENSE_*) and every sense condition the spec names, each with a one-line meaning (QEMU scsi/utils.c
// style). The codec layer does not import the device (ARCHITECTURE.md), so SenseCode is declared here; it
// has the same shape as src/device/scsi.ts SenseTriple, so either passes for the other.

import { bits, bytes, struct, u32be, u8 } from '../layout';

export const SENSE_DATA_FIXED = struct('SENSE_DATA_FIXED', {
  RESPONSE_CODE: bits('u8', 7),                      // 70h current, 71h deferred
  VALID: bits('u8', 1),                              // INFORMATION is valid
  Obsolete: u8,                                      // segment number
  SENSE_KEY: bits('u8', 4),
  SDAT_OVFL: bits('u8', 1),                          // reserved before SPC-4
  ILI: bits('u8', 1),
  EOM: bits('u8', 1),
  FILEMARK: bits('u8', 1),
  INFORMATION: u32be,
  ADDITIONAL_SENSE_LENGTH: u8,                       // n − 7 = 10
  COMMAND_SPECIFIC_INFORMATION: u32be,
  ADDITIONAL_SENSE_CODE: u8,                         // ASC
  ADDITIONAL_SENSE_CODE_QUALIFIER: u8,               // ASCQ
  FIELD_REPLACEABLE_UNIT_CODE: u8,
  SENSE_KEY_SPECIFIC_HIGH: bits('u8', 7),
  SKSV: bits('u8', 1),                               // sense-key specific valid
  SENSE_KEY_SPECIFIC: bytes(2),
}, { size: 18, align: 1, pack: 1 });

/** Sense key, additional sense code and qualifier: what the device decides, what the host interprets. */
export interface SenseCode {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
}

// ---- sense keys (SPC-4; SDK scsi.h names) ----
export const SCSI_SENSE_NO_SENSE = 0x0;
export const SCSI_SENSE_RECOVERED_ERROR = 0x1;
export const SCSI_SENSE_NOT_READY = 0x2;
export const SCSI_SENSE_MEDIUM_ERROR = 0x3;
export const SCSI_SENSE_HARDWARE_ERROR = 0x4;
export const SCSI_SENSE_ILLEGAL_REQUEST = 0x5;
export const SCSI_SENSE_UNIT_ATTENTION = 0x6;
export const SCSI_SENSE_DATA_PROTECT = 0x7;
export const SCSI_SENSE_BLANK_CHECK = 0x8;
/** vendor specific */
export const SCSI_SENSE_UNIQUE = 0x9;
export const SCSI_SENSE_COPY_ABORTED = 0xa;
export const SCSI_SENSE_ABORTED_COMMAND = 0xb;
export const SCSI_SENSE_VOL_OVERFLOW = 0xd;
export const SCSI_SENSE_MISCOMPARE = 0xe;

/** Response codes of fixed-format (70h/71h) and descriptor-format (72h/73h) sense data (SPC-4). */
export const SENSE_RESPONSE_CURRENT_FIXED = 0x70;
export const SENSE_RESPONSE_DEFERRED_FIXED = 0x71;
export const SENSE_RESPONSE_CURRENT_DESCRIPTOR = 0x72;
export const SENSE_RESPONSE_DEFERRED_DESCRIPTOR = 0x73;
/** Fixed-format sense as the device sends it: 18 bytes, so ADDITIONAL SENSE LENGTH = 18 − 8 (scsi-device.md §1). */
export const FIXED_SENSE_LENGTH = SENSE_DATA_FIXED.size;

const sense = (key: number, asc: number, ascq: number): SenseCode => Object.freeze({ key, asc, ascq });

// ---- what the device reports (scsi-device.md §5 and §7; persistent-reservations.md) ----

/** 2/3Ah/00h: no medium in the removable drive (TUR, READ CAPACITY, READ, WRITE). */
export const SENSE_MEDIUM_NOT_PRESENT = sense(SCSI_SENSE_NOT_READY, 0x3a, 0x00);
/** 5/20h/00h: the opcode is not supported (scsi-device.md §2 step 2). */
export const SENSE_INVALID_COMMAND_OPERATION_CODE = sense(SCSI_SENSE_ILLEGAL_REQUEST, 0x20, 0x00);
/** 5/21h/00h: the LBA range reaches past the last LBA (scsi-device.md §3.5). */
export const SENSE_LBA_OUT_OF_RANGE = sense(SCSI_SENSE_ILLEGAL_REQUEST, 0x21, 0x00);
/** 5/24h/00h: a CDB field is invalid (service action, type/scope, reserved bits). */
export const SENSE_INVALID_FIELD_IN_CDB = sense(SCSI_SENSE_ILLEGAL_REQUEST, 0x24, 0x00);
/** 5/53h/02h: eject refused while medium removal is prevented (scsi-device.md §3.2). */
export const SENSE_MEDIUM_REMOVAL_PREVENTED = sense(SCSI_SENSE_ILLEGAL_REQUEST, 0x53, 0x02);
/** 5/1Ah/00h: the PR OUT parameter list length is wrong (persistent-reservations.md §4.1). */
export const SENSE_PARAMETER_LIST_LENGTH_ERROR = sense(SCSI_SENSE_ILLEGAL_REQUEST, 0x1a, 0x00);
/** 5/26h/00h: a parameter list field is invalid (SPEC_I_PT, PREEMPT with SARK 0, REGISTER AND MOVE). */
export const SENSE_INVALID_FIELD_IN_PARAMETER_LIST = sense(SCSI_SENSE_ILLEGAL_REQUEST, 0x26, 0x00);
/** 5/26h/04h: RELEASE by the holder with a type other than the reservation's (persistent-reservations.md §4.4). */
export const SENSE_INVALID_RELEASE_OF_PERSISTENT_RESERVATION = sense(SCSI_SENSE_ILLEGAL_REQUEST, 0x26, 0x04);
/** 5/55h/04h: no room for another registration — never returned by vdisk (persistent-reservations.md §2). */
export const SENSE_INSUFFICIENT_REGISTRATION_RESOURCES = sense(SCSI_SENSE_ILLEGAL_REQUEST, 0x55, 0x04);
/** 6/29h/00h: power on, reset, or bus device reset occurred; replaces every pending condition (§6). */
export const SENSE_POWER_ON_RESET = sense(SCSI_SENSE_UNIT_ATTENTION, 0x29, 0x00);
/** 6/28h/00h: not ready to ready change, medium may have changed (a medium was loaded). */
export const SENSE_NOT_READY_TO_READY_CHANGE = sense(SCSI_SENSE_UNIT_ATTENTION, 0x28, 0x00);
/** 6/2Ah/03h: reservations preempted (PR OUT CLEAR). */
export const SENSE_RESERVATIONS_PREEMPTED = sense(SCSI_SENSE_UNIT_ATTENTION, 0x2a, 0x03);
/** 6/2Ah/04h: reservations released (RELEASE, holder unregistered, PREEMPT changing the type). */
export const SENSE_RESERVATIONS_RELEASED = sense(SCSI_SENSE_UNIT_ATTENTION, 0x2a, 0x04);
/** 6/2Ah/05h: this nexus's registration was preempted (PREEMPT / PREEMPT AND ABORT). */
export const SENSE_REGISTRATIONS_PREEMPTED = sense(SCSI_SENSE_UNIT_ATTENTION, 0x2a, 0x05);
/** 7/20h/02h: access denied – no access rights (read or write touching a locked band, §3.5 step 5). */
export const SENSE_ACCESS_DENIED_NO_ACCESS_RIGHTS = sense(SCSI_SENSE_DATA_PROTECT, 0x20, 0x02);

// ---- what the device reports when its store fails after every check passed (spec silent; vdisk,
// docs/decisions/device.md: what a disk reports for an unreadable / unwritable block) ----

/** 3/11h/00h: unrecovered read error (the image could not be read). */
export const SENSE_UNRECOVERED_READ_ERROR = sense(SCSI_SENSE_MEDIUM_ERROR, 0x11, 0x00);
/** 3/0Ch/00h: write error (the image could not be written). */
export const SENSE_WRITE_ERROR = sense(SCSI_SENSE_MEDIUM_ERROR, 0x0c, 0x00);
/** 4/44h/00h: internal target failure (the store refused an operation the device had checked: a bug). */
export const SENSE_INTERNAL_TARGET_FAILURE = sense(SCSI_SENSE_HARDWARE_ERROR, 0x44, 0x00);

// ---- further conditions the class driver interprets (class-driver.md §10); vdisk's device never sends them ----

/** 2/04h/00h: logical unit not ready, cause not reportable. */
export const SENSE_LUN_NOT_READY_CAUSE_NOT_REPORTABLE = sense(SCSI_SENSE_NOT_READY, 0x04, 0x00);
/** 2/04h/01h: logical unit is in process of becoming ready. */
export const SENSE_LUN_BECOMING_READY = sense(SCSI_SENSE_NOT_READY, 0x04, 0x01);
/** 2/04h/02h: logical unit not ready, initializing command required. */
export const SENSE_LUN_INITIALIZING_COMMAND_REQUIRED = sense(SCSI_SENSE_NOT_READY, 0x04, 0x02);
/** 2/04h/03h: logical unit not ready, manual intervention required. */
export const SENSE_LUN_MANUAL_INTERVENTION_REQUIRED = sense(SCSI_SENSE_NOT_READY, 0x04, 0x03);
/** 2/04h/04h: logical unit not ready, format in progress. */
export const SENSE_LUN_FORMAT_IN_PROGRESS = sense(SCSI_SENSE_NOT_READY, 0x04, 0x04);
/** 2/04h/07h: logical unit not ready, operation in progress. */
export const SENSE_LUN_OPERATION_IN_PROGRESS = sense(SCSI_SENSE_NOT_READY, 0x04, 0x07);
/** 2/04h/08h: logical unit not ready, long write in progress. */
export const SENSE_LUN_LONG_WRITE_IN_PROGRESS = sense(SCSI_SENSE_NOT_READY, 0x04, 0x08);
/** 2/04h/14h: logical unit not ready, space allocation in progress. */
export const SENSE_LUN_SPACE_ALLOCATION_IN_PROGRESS = sense(SCSI_SENSE_NOT_READY, 0x04, 0x14);
/** 3/30h/01h: cannot read medium, unknown format. */
export const SENSE_UNKNOWN_FORMAT = sense(SCSI_SENSE_MEDIUM_ERROR, 0x30, 0x01);
/** 3/30h/03h: cleaning cartridge installed. */
export const SENSE_CLEANING_CARTRIDGE_INSTALLED = sense(SCSI_SENSE_MEDIUM_ERROR, 0x30, 0x03);
/** 4/08h/03h: logical unit communication CRC error (retried). */
export const SENSE_LUN_COMMUNICATION_CRC_ERROR = sense(SCSI_SENSE_HARDWARE_ERROR, 0x08, 0x03);
/** 5/25h/00h: logical unit not supported. */
export const SENSE_LUN_NOT_SUPPORTED = sense(SCSI_SENSE_ILLEGAL_REQUEST, 0x25, 0x00);
/** 5/26h/08h: too many segment descriptors (copy offload). */
export const SENSE_TOO_MANY_SEGMENT_DESCRIPTORS = sense(SCSI_SENSE_ILLEGAL_REQUEST, 0x26, 0x08);
/** 7/27h/00h: write protected. */
export const SENSE_WRITE_PROTECTED = sense(SCSI_SENSE_DATA_PROTECT, 0x27, 0x00);
/** 7/27h/07h: space allocation failed, write protect (thin provisioning exhausted). */
export const SENSE_SPACE_ALLOCATION_FAILED_WRITE_PROTECT = sense(SCSI_SENSE_DATA_PROTECT, 0x27, 0x07);

/**
 * The 18 bytes of fixed-format sense the device returns with CHECK CONDITION: response code 70h, VALID 0,
 * ADDITIONAL SENSE LENGTH 10, everything else 0 except key, ASC and ASCQ (scsi-device.md §1).
 * Sense codes are the device's own constants, so a value out of range (key > 15, ASC > 255) is a
 * programming error and throws, like Layout.bytes.
 */
export function fixedSense(code: SenseCode): Uint8Array {
  return SENSE_DATA_FIXED.bytes({
    RESPONSE_CODE: SENSE_RESPONSE_CURRENT_FIXED,
    SENSE_KEY: code.key,
    ADDITIONAL_SENSE_LENGTH: FIXED_SENSE_LENGTH - 8,
    ADDITIONAL_SENSE_CODE: code.asc,
    ADDITIONAL_SENSE_CODE_QUALIFIER: code.ascq,
  });
}

/**
 * Reads key/ASC/ASCQ from sense data as the class driver's ScsiGetSenseKeyAndCodes does ("valid autosense,
 * fixed or descriptor format", class-driver.md §10 step 2). Never throws. Returns undefined when there is no
 * valid sense: fewer than 3 bytes (fixed) / 4 bytes (descriptor), or a response code other than 70h-73h.
 * ASC and ASCQ outside the buffer or beyond the ADDITIONAL SENSE LENGTH read as 0 (vdisk's decision: the
 * key alone still decides most of the class driver's table).
 */
export function parseSense(data: Uint8Array): SenseCode | undefined {
  if (!(data instanceof Uint8Array) || data.length < 1) return undefined;
  const responseCode = data[0]! & 0x7f;
  if (responseCode === SENSE_RESPONSE_CURRENT_FIXED || responseCode === SENSE_RESPONSE_DEFERRED_FIXED) {
    if (data.length < 3) return undefined;
    const key = data[2]! & 0x0f;
    // ASC at 12 and ASCQ at 13 are present only when bytes 8..13 are covered by ADDITIONAL SENSE LENGTH.
    const valid = data.length > 7 ? Math.min(data.length, 8 + data[7]!) : data.length;
    const asc = valid > 12 ? data[12]! : 0;
    const ascq = valid > 13 ? data[13]! : 0;
    return { key, asc, ascq };
  }
  if (responseCode === SENSE_RESPONSE_CURRENT_DESCRIPTOR || responseCode === SENSE_RESPONSE_DEFERRED_DESCRIPTOR) {
    if (data.length < 4) return undefined;
    return { key: data[1]! & 0x0f, asc: data[2]!, ascq: data[3]! };
  }
  return undefined;
}
