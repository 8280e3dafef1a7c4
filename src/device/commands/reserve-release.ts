// SCSI-2 RESERVE / RELEASE (6) and (10) (SPC-2; scsi-device.md §4), next to persistent reservations
// (persistent-reservations.md §6, CRH). §2 step 3 has already answered RESERVATION CONFLICT for a
// RESERVE while another initiator holds the LU, and for CRH 'conflict'. The 6- and 10-byte forms are
// equivalent.

import { CDB_FIELDS, RESERVE6_OBSOLETE, zeroBytes } from '../cdb-fields';
import { SENSE } from '../sense-codes';
import { fail, GOOD, type CommandHandler } from './context';

/** RESERVE(6)/RELEASE(6): bytes 1-4 non-zero → 24h/00h (no third-party or extent reservations; vdisk). */
function sixByteFieldsValid(cdb: Uint8Array): boolean {
  return zeroBytes(cdb, RESERVE6_OBSOLETE[0], RESERVE6_OBSOLETE[1]);
}

/** RESERVE(10)/RELEASE(10): THIRDPTY, LONGID, THIRD-PARTY DEVICE ID or PARAMETER LIST LENGTH set → 24h/00h. */
function tenByteFieldsValid(cdb: Uint8Array): boolean {
  const f = CDB_FIELDS.RESERVE10;
  return f.THIRDPTY(cdb, 0) === 0 && f.LONGID(cdb, 0) === 0
    && f.THIRD_PARTY_DEVICE_ID(cdb, 0) === 0 && f.PARAMETER_LIST_LENGTH(cdb, 0) === 0;
}

function reserve(valid: (cdb: Uint8Array) => boolean): CommandHandler {
  return (lu, initiator, cdb) => {
    if (!valid(cdb)) return fail(SENSE.INVALID_FIELD_IN_CDB);
    // CRH (§6): the PR holder, or a registrant under an RO/AR reservation → GOOD, nothing happens
    if (lu.persistent.crh(initiator) === 'no-op') return GOOD;
    lu.scsi2.reserve(initiator); // unreserved, or held by this initiator (step 3 passed): GOOD
    return GOOD;
  };
}

function release(valid: (cdb: Uint8Array) => boolean): CommandHandler {
  return (lu, initiator, cdb) => {
    if (!valid(cdb)) return fail(SENSE.INVALID_FIELD_IN_CDB);
    if (lu.persistent.crh(initiator) === 'no-op') return GOOD;
    lu.scsi2.release(initiator); // by a non-holder or when not reserved: GOOD, no change (§4)
    return GOOD;
  };
}

export const reserve6 = reserve(sixByteFieldsValid);
export const release6 = release(sixByteFieldsValid);
export const reserve10 = reserve(tenByteFieldsValid);
export const release10 = release(tenByteFieldsValid);
