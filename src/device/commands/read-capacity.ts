// READ CAPACITY (10) and (16) (SBC-3; scsi-device.md §3.4). Order: the PMI rule (a CDB field, 24h/00h),
// then the medium (3Ah/00h) — §2 step 4.

import { CDB, readBits, u32be, zeroBytes } from '../cdb-fields';
import { SENSE } from '../sense-codes';
import { dataIn, fail, type CommandHandler } from './context';

/** SERVICE ACTION IN (16) service action 10h = READ CAPACITY (16) (§3 table, 9Eh row). */
export const SAI_READ_CAPACITY16 = 0x10;

export const readCapacity10: CommandHandler = (lu, _i, cdb, _c, limit) => {
  const f = CDB.READ_CAPACITY10;
  // PMI 0 with LOGICAL BLOCK ADDRESS ≠ 0 → 24h/00h (§3.4)
  if (readBits(cdb, f.PMI) === 0 && u32be(cdb, f.LOGICAL_BLOCK_ADDRESS) !== 0) return fail(SENSE.INVALID_FIELD_IN_CDB);
  if (!lu.media.present) return fail(SENSE.MEDIUM_NOT_PRESENT);
  return dataIn(lu.readCapacity10Data, limit);
};

export const serviceActionIn16: CommandHandler = (lu, _i, cdb, _c, limit) => {
  const f = CDB.READ_CAPACITY16;
  if (readBits(cdb, f.SERVICE_ACTION) !== SAI_READ_CAPACITY16) return fail(SENSE.INVALID_FIELD_IN_CDB); // §3 table
  if (readBits(cdb, f.PMI) === 0 && !zeroBytes(cdb, f.LOGICAL_BLOCK_ADDRESS, f.LOGICAL_BLOCK_ADDRESS + 8)) {
    return fail(SENSE.INVALID_FIELD_IN_CDB); // same PMI rule as (10)
  }
  if (!lu.media.present) return fail(SENSE.MEDIUM_NOT_PRESENT);
  return dataIn(lu.readCapacity16Data, Math.min(u32be(cdb, f.ALLOCATION_LENGTH), limit));
};

/** READ_CAPACITY10_DATA: last LBA, FFFFFFFFh when it exceeds FFFFFFFEh (use (16)); block length. */
export function readCapacity10Data(sectors: number, sectorSize: number): Uint8Array {
  const last = sectors - 1;
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint32(0, last > 0xfffffffe ? 0xffffffff : last);
  v.setUint32(4, sectorSize);
  return b;
}

/** READ_CAPACITY16_DATA: 64-bit last LBA, block length, everything else 0 (no protection, LBPME 0). */
export function readCapacity16Data(sectors: number, sectorSize: number): Uint8Array {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, BigInt(sectors) - 1n);
  v.setUint32(8, sectorSize);
  return b;
}
