// The CDBs the class driver sends (spec/class-driver.md §3-§9), encoded from the CDB layouts of
// src/codecs/scsi/cdb.ts (layouts.md §3). Fixed CDBs are encoded once and shared — the device never writes
// to a CDB. CDBs that carry a value (READ/WRITE, PR IN/OUT) are encoded per call into a buffer of their own:
// a HostDevice may keep the CDB it was given (a test's log), so none is reused.

import { layouts } from '../../codecs/layouts';
import {
  SCSIOP_MEDIUM_REMOVAL, SCSIOP_PERSISTENT_RESERVE_IN, SCSIOP_PERSISTENT_RESERVE_OUT, SCSIOP_READ, SCSIOP_READ16,
  SCSIOP_RELEASE_UNIT, SCSIOP_RELEASE_UNIT10, SCSIOP_RESERVE_UNIT, SCSIOP_RESERVE_UNIT10, SCSIOP_START_STOP_UNIT,
  SCSIOP_TEST_UNIT_READY, SCSIOP_WRITE, SCSIOP_WRITE16, PREVENT_ALLOW_VALUES,
} from '../../codecs/scsi/cdb';

/** §7: TEST UNIT READY `00 00 00 00 00 00` */
export const CDB_TEST_UNIT_READY = layouts.CDB_TEST_UNIT_READY.bytes({ OPERATION_CODE: SCSIOP_TEST_UNIT_READY });
/** §3: RESERVE(6) / RELEASE(6) and the 10-byte forms used once FDO_HACK_NO_RESERVE6 is set */
export const CDB_RESERVE6 = layouts.CDB_RESERVE6.bytes({ OPERATION_CODE: SCSIOP_RESERVE_UNIT });
export const CDB_RELEASE6 = layouts.CDB_RELEASE6.bytes({ OPERATION_CODE: SCSIOP_RELEASE_UNIT });
export const CDB_RESERVE10 = layouts.CDB_RESERVE10.bytes({ OPERATION_CODE: SCSIOP_RESERVE_UNIT10 });
export const CDB_RELEASE10 = layouts.CDB_RELEASE10.bytes({ OPERATION_CODE: SCSIOP_RELEASE_UNIT10 });
/** §4: START STOP UNIT, EJECT = LOEJ 1 START 0; LOAD = LOEJ 1 START 1 */
export const CDB_EJECT = layouts.CDB_START_STOP_UNIT.bytes({ OPERATION_CODE: SCSIOP_START_STOP_UNIT, LOEJ: 1, START: 0 });
export const CDB_LOAD = layouts.CDB_START_STOP_UNIT.bytes({ OPERATION_CODE: SCSIOP_START_STOP_UNIT, LOEJ: 1, START: 1 });
/** §5.2 step 6: PREVENT ALLOW MEDIUM REMOVAL with p = 1 / 0 */
export const CDB_PREVENT = layouts.CDB_PREVENT_ALLOW_MEDIUM_REMOVAL.bytes({
  OPERATION_CODE: SCSIOP_MEDIUM_REMOVAL, PREVENT: PREVENT_ALLOW_VALUES.PREVENT,
});
export const CDB_ALLOW = layouts.CDB_PREVENT_ALLOW_MEDIUM_REMOVAL.bytes({
  OPERATION_CODE: SCSIOP_MEDIUM_REMOVAL, PREVENT: PREVENT_ALLOW_VALUES.ALLOW,
});

/** §8.2: PR IN `5E sa 00 00 00 00 00 hi lo 00`; the caller passes a 5-bit action and a USHORT length. */
export function cdbPersistentReserveIn(serviceAction: number, allocationLength: number): Uint8Array {
  return layouts.CDB_PERSISTENT_RESERVE_IN.bytes({
    OPERATION_CODE: SCSIOP_PERSISTENT_RESERVE_IN, SERVICE_ACTION: serviceAction, ALLOCATION_LENGTH: allocationLength,
  });
}

/** §8.2: sizeof(PRO_PARAMETER_LIST), the data-out every PR OUT carries */
const PR_OUT_PARAMETER_LIST_LENGTH = layouts.PRO_PARAMETER_LIST.size;

/**
 * §8.2: PR OUT `5F sa tt 00 00 00 00 00 18 00`: tt = Type | Scope << 4 (PR_OUT's byte, copied as it is),
 * PARAMETER LIST LENGTH 24. The caller passes a 5-bit action.
 */
export function cdbPersistentReserveOut(serviceAction: number, scopeType: number): Uint8Array {
  return layouts.CDB_PERSISTENT_RESERVE_OUT.bytes({
    OPERATION_CODE: SCSIOP_PERSISTENT_RESERVE_OUT, SERVICE_ACTION: serviceAction,
    TYPE: scopeType & 0x0f, SCOPE: scopeType >>> 4, PARAMETER_LIST_LENGTH: PR_OUT_PARAMETER_LIST_LENGTH,
  });
}

/** The largest LBA and block count READ/WRITE(10) can carry (u32be, u16be in CDB_READ10). */
const MAX_LBA10 = 0xffffffffn;
const MAX_BLOCKS10 = 0xffff;

/**
 * §9 step 4: READ/WRITE(10) when the LBA fits 32 bits and the block count 16 bits, else READ/WRITE(16).
 * `lba` < 2^64 and `blocks` < 2^32 are the caller's checks (read-write.ts step 1).
 */
export function cdbReadWrite(write: boolean, lba: bigint, blocks: number): Uint8Array {
  if (lba <= MAX_LBA10 && blocks <= MAX_BLOCKS10) {
    const layout = write ? layouts.CDB_WRITE10 : layouts.CDB_READ10;
    return layout.bytes({ OPERATION_CODE: write ? SCSIOP_WRITE : SCSIOP_READ, LOGICAL_BLOCK_ADDRESS: Number(lba), TRANSFER_LENGTH: blocks });
  }
  const layout = write ? layouts.CDB_WRITE16 : layouts.CDB_READ16;
  return layout.bytes({ OPERATION_CODE: write ? SCSIOP_WRITE16 : SCSIOP_READ16, LOGICAL_BLOCK_ADDRESS: lba, TRANSFER_LENGTH: blocks });
}
