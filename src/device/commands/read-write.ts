// READ and WRITE (10) and (16) (SBC-3; scsi-device.md §3.5), in the spec's order:
//  1. RDPROTECT / WRPROTECT ≠ 0 → 24h/00h; WRITE: data-out ≠ TRANSFER LENGTH × block size → 24h/00h
//  2. medium absent → 3Ah/00h
//  3. LBA + TRANSFER LENGTH > sectors, computed without wrap-around → 21h/00h (a zero-length transfer at
//     LBA ≤ sectors is valid); then TRANSFER LENGTH × block size > MAXIMUM_TRANSFER_BYTES → 24h/00h
//  4. TRANSFER LENGTH 0 → GOOD, no data
//  5. band locks over the whole range → DATA PROTECT 20h/02h (band-management.md D9)
//  6. the transfer
// Nothing is allocated from TRANSFER LENGTH before steps 3 and the data-in limit bound it.

import { CDB_FIELDS, type FieldReader } from '../cdb-fields';
import type { CommandOutcome } from '../scsi';
import { SENSE } from '../sense-codes';
import type { StoreResult } from '../store';
import { fail, GOOD, type CommandContext, type CommandHandler } from './context';

/**
 * vdisk's MAXIMUM TRANSFER LENGTH, in bytes (SBC-3 Block Limits VPD semantics: a larger transfer is
 * refused with ILLEGAL REQUEST, INVALID FIELD IN CDB). The class driver sends one command per request
 * (class-driver.md §9 step 4), so this also bounds a single ReadFile/WriteFile; it exists so that an
 * in-range READ(16) of up to 2^32 blocks is never allocated (docs/decisions/device.md).
 */
export const MAXIMUM_TRANSFER_BYTES = 1 << 27; // 128 MiB

const EMPTY = new Uint8Array(0);

/** One of the four CDBs: its RDPROTECT/WRPROTECT, LBA and TRANSFER LENGTH readers (10: 32-bit LBA, 16: 64-bit). */
interface TransferForm {
  readonly write: boolean;
  readonly protect: FieldReader;
  readonly lba: FieldReader<number> | FieldReader<bigint>;
  readonly blocks: FieldReader;
}

function transfer(form: TransferForm): CommandHandler {
  return (lu, _initiator, cdb, command, limit) => {
    // 1. CDB fields
    if (form.protect(cdb, 0) !== 0) return fail(SENSE.INVALID_FIELD_IN_CDB); // no protection information
    const lba = BigInt(form.lba(cdb, 0)); // bigint for both forms: the range check below must not wrap
    const blocks = form.blocks(cdb, 0);
    const dataOut = command.dataOut ?? EMPTY;
    // The data-out buffer must hold exactly the blocks the CDB names (LIO target_cmd_size_check rejects
    // a WRITE whose expected length differs; vdisk, docs/decisions/device.md). Exact as numbers: < 2^45.
    if (form.write && dataOut.length !== blocks * lu.sectorSize) return fail(SENSE.INVALID_FIELD_IN_CDB);
    // 2. medium
    if (!lu.media.present) return fail(SENSE.MEDIUM_NOT_PRESENT);
    // 3. range, as QEMU check_lba_range: in bigint, so LBA + TRANSFER LENGTH cannot wrap 2^64; a
    //    zero-length transfer at LBA = capacity is valid, one past it is not.
    if (lba + BigInt(blocks) > lu.sectorsBig) return fail(SENSE.LBA_OUT_OF_RANGE);
    if (blocks * lu.sectorSize > MAXIMUM_TRANSFER_BYTES) return fail(SENSE.INVALID_FIELD_IN_CDB);
    // 4. nothing to transfer
    if (blocks === 0) return GOOD;
    // 5. band locks, over every block of the command (D9: the whole command fails)
    const locked = lu.sectorAccess.check(lba, blocks, form.write);
    if (locked !== undefined) return fail(locked);
    // 6. transfer
    return form.write ? writeBlocks(lu, lba, dataOut) : readBlocks(lu, lba, blocks, limit);
  };
}

function readBlocks(lu: CommandContext, lba: bigint, blocks: number, limit: number): CommandOutcome {
  // Data-in beyond the initiator's buffer is never produced (iSCSI residual overflow: the target sends
  // what fits, GOOD). Only the sectors that (partly) fit are read.
  const bytes = Math.min(blocks * lu.sectorSize, limit);
  if (bytes === 0) return GOOD;
  const count = Math.ceil(bytes / lu.sectorSize);
  const out = new Uint8Array(count * lu.sectorSize);
  const r = lu.sectorAccess.read(lba, count, out);
  if (!r.ok) return storeFailure(r, false);
  return { ok: true, data: bytes === out.length ? out : out.subarray(0, bytes) };
}

function writeBlocks(lu: CommandContext, lba: bigint, data: Uint8Array): CommandOutcome {
  const r = lu.sectorAccess.write(lba, data);
  return r.ok ? GOOD : storeFailure(r, true);
}

/**
 * A store failure after every check passed. `power-lost`: the LU sees the store off and answers nothing
 * (io-manager.md §7), so the outcome is never reported. An image I/O error is reported as a MEDIUM ERROR
 * (spec silent; what a disk reports for an unreadable / unwritable block; docs/decisions/device.md).
 */
function storeFailure(r: Exclude<StoreResult, { ok: true }>, write: boolean): CommandOutcome {
  if (r.reason === 'io-error' || r.reason === 'power-lost') return fail(write ? SENSE.WRITE_ERROR : SENSE.UNRECOVERED_READ_ERROR);
  return fail(SENSE.INTERNAL_TARGET_FAILURE);
}

const { READ10, WRITE10, READ16, WRITE16 } = CDB_FIELDS;
export const read10 = transfer({ write: false, protect: READ10.RDPROTECT, lba: READ10.LOGICAL_BLOCK_ADDRESS, blocks: READ10.TRANSFER_LENGTH });
export const write10 = transfer({ write: true, protect: WRITE10.WRPROTECT, lba: WRITE10.LOGICAL_BLOCK_ADDRESS, blocks: WRITE10.TRANSFER_LENGTH });
export const read16 = transfer({ write: false, protect: READ16.RDPROTECT, lba: READ16.LOGICAL_BLOCK_ADDRESS, blocks: READ16.TRANSFER_LENGTH });
export const write16 = transfer({ write: true, protect: WRITE16.WRPROTECT, lba: WRITE16.LOGICAL_BLOCK_ADDRESS, blocks: WRITE16.TRANSFER_LENGTH });
