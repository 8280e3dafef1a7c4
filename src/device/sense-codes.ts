// The device's view of the sense codes declared in src/codecs/scsi/sense.ts (scsi-device.md §7): `SENSE`
// names each condition the device reports by its SPC-4 name without the SENSE_ prefix (the handlers and the
// reservation engine read them as SENSE.INVALID_FIELD_IN_CDB), and `fixedSenseData` hands out the 18-byte
// fixed-format sense built by the codec's SENSE_DATA_FIXED layout (scsi-device.md §1).

import * as S from '../codecs/scsi/sense';

export { FIXED_SENSE_LENGTH, type SenseCode } from '../codecs/scsi/sense';

/** Every condition the device reports with CHECK CONDITION (scsi-device.md §7; the meanings are in sense.ts). */
export const SENSE = Object.freeze({
  MEDIUM_NOT_PRESENT: S.SENSE_MEDIUM_NOT_PRESENT,
  INVALID_COMMAND_OPERATION_CODE: S.SENSE_INVALID_COMMAND_OPERATION_CODE,
  INVALID_FIELD_IN_CDB: S.SENSE_INVALID_FIELD_IN_CDB,
  LBA_OUT_OF_RANGE: S.SENSE_LBA_OUT_OF_RANGE,
  MEDIUM_REMOVAL_PREVENTED: S.SENSE_MEDIUM_REMOVAL_PREVENTED,
  PARAMETER_LIST_LENGTH_ERROR: S.SENSE_PARAMETER_LIST_LENGTH_ERROR,
  INVALID_FIELD_IN_PARAMETER_LIST: S.SENSE_INVALID_FIELD_IN_PARAMETER_LIST,
  INVALID_RELEASE_OF_PERSISTENT_RESERVATION: S.SENSE_INVALID_RELEASE_OF_PERSISTENT_RESERVATION,
  ACCESS_DENIED_NO_ACCESS_RIGHTS: S.SENSE_ACCESS_DENIED_NO_ACCESS_RIGHTS,
  UNRECOVERED_READ_ERROR: S.SENSE_UNRECOVERED_READ_ERROR,
  WRITE_ERROR: S.SENSE_WRITE_ERROR,
  INTERNAL_TARGET_FAILURE: S.SENSE_INTERNAL_TARGET_FAILURE,
});

/** The unit attentions of scsi-device.md §5, reported through the same path. */
const UNIT_ATTENTIONS: readonly S.SenseCode[] = [
  S.SENSE_POWER_ON_RESET, S.SENSE_NOT_READY_TO_READY_CHANGE, S.SENSE_RESERVATIONS_PREEMPTED,
  S.SENSE_RESERVATIONS_RELEASED, S.SENSE_REGISTRATIONS_PREEMPTED,
];

/**
 * Encoded sense per code, built once by the codec (fixedSense) rather than byte by byte per error. Keys
 * are key << 16 | ASC << 8 | ASCQ. Every code the device reports is encoded when the module loads; a code
 * outside that set (none today) is encoded on first use — the device's codes are its own constants, so
 * the map stays as small as the set of conditions.
 */
const TEMPLATES = new Map<number, Uint8Array>();

function template(key: number, asc: number, ascq: number): Uint8Array {
  const id = (key << 16) | (asc << 8) | ascq;
  let t = TEMPLATES.get(id);
  if (t === undefined) {
    t = Uint8Array.from(S.fixedSense({ key, asc, ascq })); // own buffer: off the codec's pooled slab
    TEMPLATES.set(id, t);
  }
  return t;
}

for (const c of [...Object.values(SENSE), ...UNIT_ATTENTIONS]) template(c.key, c.asc, c.ascq);

/**
 * 18-byte fixed-format sense data for CHECK CONDITION (layouts.md SENSE_DATA_FIXED; scsi-device.md §1).
 * A copy of the precomputed bytes: a Uint8Array cannot be frozen, and the sense belongs to the caller
 * (the class driver, tests, a scenario's expectation) once the result is returned.
 */
export function fixedSenseData(key: number, asc: number, ascq: number): Uint8Array {
  return template(key, asc, ascq).slice();
}
