// classpnp's ClassInterpretSenseInfo as ONE interpreter: the SCSI status, the autosense data and the port's
// SRB status of a completed command become an NTSTATUS and a retry flag, row by row in the order of
// spec/class-driver.md §10. Pure: no state; every answer is a shared frozen object. The sense bytes are read by
// the codec (parseSense, SENSE_DATA_FIXED), not by offsets of its own.

import { SCSISTAT_BUSY, SCSISTAT_RESERVATION_CONFLICT } from '../../device/scsi';
import { layouts } from '../../codecs/layouts';
import {
  parseSense, SCSI_SENSE_ABORTED_COMMAND, SCSI_SENSE_BLANK_CHECK, SCSI_SENSE_DATA_PROTECT,
  SCSI_SENSE_HARDWARE_ERROR, SCSI_SENSE_ILLEGAL_REQUEST, SCSI_SENSE_MEDIUM_ERROR, SCSI_SENSE_NO_SENSE,
  SCSI_SENSE_NOT_READY, SCSI_SENSE_RECOVERED_ERROR, SCSI_SENSE_UNIT_ATTENTION, SENSE_RESPONSE_CURRENT_FIXED,
  SENSE_RESPONSE_DEFERRED_FIXED,
} from '../../codecs/scsi/sense';
import {
  STATUS_ACCESS_DENIED, STATUS_CLEANER_CARTRIDGE_INSTALLED, STATUS_DATA_OVERRUN, STATUS_DEVICE_BUSY,
  STATUS_DEVICE_DATA_ERROR, STATUS_DEVICE_HARDWARE_ERROR, STATUS_DEVICE_NOT_CONNECTED,
  STATUS_DEVICE_NOT_READY, STATUS_DISK_RESOURCES_EXHAUSTED, STATUS_INVALID_BLOCK_LENGTH,
  STATUS_INVALID_DEVICE_REQUEST, STATUS_INVALID_OFFSET_ALIGNMENT, STATUS_IO_DEVICE_ERROR, STATUS_IO_TIMEOUT,
  STATUS_MEDIA_WRITE_PROTECTED, STATUS_NONEXISTENT_SECTOR, STATUS_NO_DATA_DETECTED, STATUS_NO_MEDIA_IN_DEVICE,
  STATUS_NO_SUCH_DEVICE, STATUS_RETRY, STATUS_SUCCESS, STATUS_TOO_MANY_SEGMENT_DESCRIPTORS,
  STATUS_UNRECOGNIZED_MEDIA,
} from '../../codecs/ntstatus';

/**
 * The port driver's SRB status for a command that did not complete with valid sense (§10 step 3). vdisk's
 * device produces 'error' (a SCSI status other than GOOD), 'selection-timeout' (device off) and
 * 'data-overrun' (a data-in shorter than the buffer: storport reports an underrun as SRB_STATUS_DATA_OVERRUN);
 * the others exist so the interpreter covers §10's whole table.
 */
export type SrbStatus =
  | 'success' | 'error' | 'selection-timeout' | 'data-overrun' | 'timeout' | 'aborted'
  | 'invalid-request' | 'no-device' | 'bus-reset';

export interface Interpretation {
  readonly status: number;
  /** classpnp would retry (vdisk re-sends only unit attentions, §10.1) */
  readonly retry: boolean;
  /** sense key UNIT ATTENTION: MediaChangeCount++ and re-send (§10 row 6, §10.1) */
  readonly unitAttention: boolean;
}

const cache = new Map<number, Interpretation>();

/** The shared answer for (status, retry, unitAttention). */
function answer(status: number, retry: boolean, unitAttention = false): Interpretation {
  const key = (status >>> 0) * 4 + (retry ? 1 : 0) + (unitAttention ? 2 : 0);
  let a = cache.get(key);
  if (a === undefined) {
    a = Object.freeze({ status: status >>> 0, retry, unitAttention });
    cache.set(key, a);
  }
  return a;
}

/**
 * The write opcodes of classpnp's IS_SCSIOP_WRITE (classp.h): WRITE(6), WRITE(10), WRITE(12), WRITE(16).
 * DATA PROTECT on one of these is STATUS_MEDIA_WRITE_PROTECTED, on anything else STATUS_ACCESS_DENIED.
 */
function isWriteOpcode(opcode: number): boolean {
  return opcode === 0x0a || opcode === 0x2a || opcode === 0xaa || opcode === 0x8a;
}

const SENSE_RESPONSE_CODE = layouts.SENSE_DATA_FIXED.reader('RESPONSE_CODE');
const SENSE_ILI = layouts.SENSE_DATA_FIXED.reader('ILI');

/** Response code 70h/71h: fixed format (parseSense has already checked the length for its key). */
function isFixedFormat(sense: Uint8Array): boolean {
  const code = SENSE_RESPONSE_CODE(sense, 0);
  return code === SENSE_RESPONSE_CURRENT_FIXED || code === SENSE_RESPONSE_DEFERRED_FIXED;
}

/**
 * Interpret a completed command (class-driver.md §10), checking in the spec's order:
 *   1. SCSI status RESERVATION CONFLICT → STATUS_DEVICE_BUSY, no retry, before any sense;
 *   2. valid autosense (fixed 70h/71h or descriptor 72h/73h) → the sense-key table;
 *   3. otherwise the port's SRB status.
 * `sense` is the autosense buffer (undefined or unusable = no valid sense); `opcode` is CDB byte 0.
 * A GOOD completion with SRB status 'success' is STATUS_SUCCESS.
 */
export function interpretSense(
  srb: SrbStatus, scsiStatus: number, sense: Uint8Array | undefined, opcode: number,
): Interpretation {
  // Step 1.
  if (srb === 'error' && scsiStatus === SCSISTAT_RESERVATION_CONFLICT) return answer(STATUS_DEVICE_BUSY, false);

  // Step 2: valid autosense, read as ScsiGetSenseKeyAndCodes does (codecs/scsi/sense.ts parseSense: fixed or
  // descriptor format; ASC/ASCQ the buffer or ADDITIONAL SENSE LENGTH does not cover read as 0). ILI sits in
  // fixed-format byte 2; in descriptor format it would be in a stream-commands descriptor, which a disk never
  // returns.
  if (sense !== undefined) {
    const code = parseSense(sense);
    if (code !== undefined) {
      const ili = isFixedFormat(sense) && SENSE_ILI(sense, 0) !== 0;
      return bySenseKey(code.key, code.asc, code.ascq, ili, opcode);
    }
  }

  // Step 3: no valid sense.
  switch (srb) {
    case 'success': return answer(STATUS_SUCCESS, false);
    case 'selection-timeout': return answer(STATUS_DEVICE_NOT_CONNECTED, false);
    case 'data-overrun': return answer(STATUS_DATA_OVERRUN, false);
    case 'timeout': case 'aborted': return answer(STATUS_IO_TIMEOUT, true);
    case 'invalid-request': return answer(STATUS_INVALID_DEVICE_REQUEST, false);
    case 'no-device': return answer(STATUS_NO_SUCH_DEVICE, false);
    case 'bus-reset': return answer(STATUS_IO_DEVICE_ERROR, true);
    case 'error':
      // classpnp SRB_STATUS_ERROR: SCSI status BUSY → STATUS_DEVICE_NOT_READY (spec silent; docs/decisions/host.md);
      // CHECK CONDITION without sense and anything else → STATUS_IO_DEVICE_ERROR, retry.
      return scsiStatus === SCSISTAT_BUSY ? answer(STATUS_DEVICE_NOT_READY, true) : answer(STATUS_IO_DEVICE_ERROR, true);
  }
}

/** §10 step 2, the sense-key table, one branch per row. */
function bySenseKey(key: number, asc: number, ascq: number, ili: boolean, opcode: number): Interpretation {
  switch (key) {
    case SCSI_SENSE_NO_SENSE:
      return ili ? answer(STATUS_INVALID_BLOCK_LENGTH, false) : answer(STATUS_IO_DEVICE_ERROR, true);
    case SCSI_SENSE_RECOVERED_ERROR:
      return ili ? answer(STATUS_INVALID_BLOCK_LENGTH, false) : answer(STATUS_SUCCESS, false);
    case SCSI_SENSE_NOT_READY:
      if (asc === 0x3a) return answer(STATUS_NO_MEDIA_IN_DEVICE, false);
      if (asc === 0x04) {
        if (ascq === 0x03) return answer(STATUS_NO_MEDIA_IN_DEVICE, false);
        if (ascq === 0x00 || ascq === 0x04 || ascq === 0x08) return answer(STATUS_DEVICE_NOT_READY, false);
        if (ascq === 0x14) return answer(STATUS_RETRY, true);
        return answer(STATUS_DEVICE_NOT_READY, true); // 04h/01h, 04h/07h, 04h/02h, other 04h/xx
      }
      return answer(STATUS_DEVICE_NOT_READY, true);
    case SCSI_SENSE_MEDIUM_ERROR:
      if (asc === 0x30 && ascq === 0x01) return answer(STATUS_UNRECOGNIZED_MEDIA, false);
      if (asc === 0x30 && ascq === 0x03) return answer(STATUS_CLEANER_CARTRIDGE_INSTALLED, false);
      return answer(STATUS_DEVICE_DATA_ERROR, false);
    case SCSI_SENSE_HARDWARE_ERROR:
      return answer(STATUS_DEVICE_HARDWARE_ERROR, asc === 0x08 && ascq === 0x03);
    case SCSI_SENSE_ILLEGAL_REQUEST:
      if (asc === 0x21) return answer(STATUS_NONEXISTENT_SECTOR, false);
      if (asc === 0x25) return answer(STATUS_NO_SUCH_DEVICE, false);
      if (asc === 0x1a) return answer(STATUS_DATA_OVERRUN, false);
      if (asc === 0x26 && ascq === 0x04) return answer(STATUS_INVALID_OFFSET_ALIGNMENT, false);
      if (asc === 0x26 && ascq === 0x08) return answer(STATUS_TOO_MANY_SEGMENT_DESCRIPTORS, false);
      return answer(STATUS_INVALID_DEVICE_REQUEST, false); // 20h, 24h, 53h/02h, 26h/other, …
    case SCSI_SENSE_UNIT_ATTENTION:
      // vdisk: a raw disk handle has no mounted volume (§10.1), so never STATUS_VERIFY_REQUIRED.
      return answer(STATUS_IO_DEVICE_ERROR, true, true);
    case SCSI_SENSE_DATA_PROTECT:
      if (asc === 0x27) return answer(ascq === 0x07 ? STATUS_DISK_RESOURCES_EXHAUSTED : STATUS_IO_DEVICE_ERROR, false);
      return answer(isWriteOpcode(opcode) ? STATUS_MEDIA_WRITE_PROTECTED : STATUS_ACCESS_DENIED, false);
    case SCSI_SENSE_BLANK_CHECK:
      return answer(STATUS_NO_DATA_DETECTED, false);
    case SCSI_SENSE_ABORTED_COMMAND:
      return answer(STATUS_IO_DEVICE_ERROR, true);
    default:
      return answer(STATUS_IO_DEVICE_ERROR, true);
  }
}
