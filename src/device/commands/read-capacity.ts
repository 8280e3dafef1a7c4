// READ CAPACITY (10) and (16) (SBC-3; scsi-device.md §3.4). Order: the PMI rule (a CDB field, 24h/00h),
// then the medium (3Ah/00h) — §2 step 4.

import { layouts } from '../../codecs/layouts';
import { SERVICE_ACTION_READ_CAPACITY16 } from '../../codecs/scsi/cdb';
import { CDB_FIELDS } from '../cdb-fields';
import { SENSE } from '../sense-codes';
import { dataIn, fail, type CommandHandler } from './context';

export const readCapacity10: CommandHandler = (lu, _i, cdb, _c, limit) => {
  const f = CDB_FIELDS.READ_CAPACITY10;
  // PMI 0 with LOGICAL BLOCK ADDRESS ≠ 0 → 24h/00h (§3.4)
  if (f.PMI(cdb, 0) === 0 && f.LOGICAL_BLOCK_ADDRESS(cdb, 0) !== 0) return fail(SENSE.INVALID_FIELD_IN_CDB);
  if (!lu.media.present) return fail(SENSE.MEDIUM_NOT_PRESENT);
  return dataIn(lu.readCapacity10Data, limit);
};

export const serviceActionIn16: CommandHandler = (lu, _i, cdb, _c, limit) => {
  const f = CDB_FIELDS.READ_CAPACITY16;
  if (f.SERVICE_ACTION(cdb, 0) !== SERVICE_ACTION_READ_CAPACITY16) return fail(SENSE.INVALID_FIELD_IN_CDB); // §3 table, 9Eh row
  if (f.PMI(cdb, 0) === 0 && f.LOGICAL_BLOCK_ADDRESS(cdb, 0) !== 0n) {
    return fail(SENSE.INVALID_FIELD_IN_CDB); // same PMI rule as (10)
  }
  if (!lu.media.present) return fail(SENSE.MEDIUM_NOT_PRESENT);
  return dataIn(lu.readCapacity16Data, Math.min(f.ALLOCATION_LENGTH(cdb, 0), limit));
};

/** READ (10)'s RETURNED LOGICAL BLOCK ADDRESS when the last LBA does not fit: use READ CAPACITY (16) (SBC-3). */
const LBA_DOES_NOT_FIT = 0xffffffff;

/** READ_CAPACITY10_DATA: last LBA, FFFFFFFFh when it exceeds FFFFFFFEh; block length. Built once per disk. */
export function readCapacity10Data(sectors: number, sectorSize: number): Uint8Array {
  const last = sectors - 1;
  return Uint8Array.from(layouts.READ_CAPACITY10_DATA.bytes({
    RETURNED_LOGICAL_BLOCK_ADDRESS: last >= LBA_DOES_NOT_FIT ? LBA_DOES_NOT_FIT : last,
    LOGICAL_BLOCK_LENGTH: sectorSize,
  }));
}

/** READ_CAPACITY16_DATA: 64-bit last LBA, block length, everything else 0 (no protection, LBPME 0). Once per disk. */
export function readCapacity16Data(sectors: number, sectorSize: number): Uint8Array {
  return Uint8Array.from(layouts.READ_CAPACITY16_DATA.bytes({
    RETURNED_LOGICAL_BLOCK_ADDRESS: BigInt(sectors) - 1n,
    LOGICAL_BLOCK_LENGTH: sectorSize,
  }));
}
