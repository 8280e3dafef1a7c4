// The CDBs the class driver sends (spec/class-driver.md §3-§9; layouts.md §3). Adapter: the CDB layouts and
// SCSIOP_* constants of src/codecs/scsi/cdb.ts were not there when this was written; the bytes here are the
// spec's own examples, and tests/dispatch compare them byte for byte. Fixed CDBs are built once and shared:
// the device never writes to a CDB.

export const SCSIOP_TEST_UNIT_READY = 0x00;
export const SCSIOP_RESERVE_UNIT = 0x16;
export const SCSIOP_RELEASE_UNIT = 0x17;
export const SCSIOP_START_STOP_UNIT = 0x1b;
export const SCSIOP_MEDIUM_REMOVAL = 0x1e;
export const SCSIOP_READ = 0x28;
export const SCSIOP_WRITE = 0x2a;
export const SCSIOP_RESERVE_UNIT10 = 0x56;
export const SCSIOP_RELEASE_UNIT10 = 0x57;
export const SCSIOP_PERSISTENT_RESERVE_IN = 0x5e;
export const SCSIOP_PERSISTENT_RESERVE_OUT = 0x5f;
export const SCSIOP_READ16 = 0x88;
export const SCSIOP_WRITE16 = 0x8a;

/** §7: TEST UNIT READY `00 00 00 00 00 00` */
export const CDB_TEST_UNIT_READY: Uint8Array = Uint8Array.of(0x00, 0, 0, 0, 0, 0);
/** §3: RESERVE(6) / RELEASE(6) and the 10-byte forms used once FDO_HACK_NO_RESERVE6 is set */
export const CDB_RESERVE6: Uint8Array = Uint8Array.of(0x16, 0, 0, 0, 0, 0);
export const CDB_RELEASE6: Uint8Array = Uint8Array.of(0x17, 0, 0, 0, 0, 0);
export const CDB_RESERVE10: Uint8Array = Uint8Array.of(0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0);
export const CDB_RELEASE10: Uint8Array = Uint8Array.of(0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0);
/** §4: START STOP UNIT, EJECT = LOEJ 1 START 0; LOAD = LOEJ 1 START 1 */
export const CDB_EJECT: Uint8Array = Uint8Array.of(0x1b, 0, 0, 0, 0x02, 0);
export const CDB_LOAD: Uint8Array = Uint8Array.of(0x1b, 0, 0, 0, 0x03, 0);
/** §5.2 step 6: PREVENT ALLOW MEDIUM REMOVAL with p = 1 / 0 */
export const CDB_PREVENT: Uint8Array = Uint8Array.of(0x1e, 0, 0, 0, 0x01, 0);
export const CDB_ALLOW: Uint8Array = Uint8Array.of(0x1e, 0, 0, 0, 0x00, 0);

/** §8.2: PR IN `5E sa 00 00 00 00 00 hi lo 00` (ALLOCATION LENGTH big-endian) */
export function cdbPersistentReserveIn(serviceAction: number, allocationLength: number): Uint8Array {
  return Uint8Array.of(0x5e, serviceAction & 0x1f, 0, 0, 0, 0, 0, (allocationLength >>> 8) & 0xff, allocationLength & 0xff, 0);
}

/** §8.2: PR OUT `5F sa tt 00 00 00 00 00 18 00`: tt = Type | Scope << 4, PARAMETER LIST LENGTH (bytes 5-8) 24 */
export function cdbPersistentReserveOut(serviceAction: number, scopeType: number): Uint8Array {
  return Uint8Array.of(0x5f, serviceAction & 0x1f, scopeType & 0xff, 0, 0, 0, 0, 0, 0x18, 0);
}

/**
 * §9 step 4: READ/WRITE(10) when the LBA fits 32 bits and the block count 16 bits, else READ/WRITE(16)
 * (SBC-3: LBA big-endian at bytes 2-5 / 2-9, TRANSFER LENGTH at 7-8 / 10-13). `lba` < 2^64 and
 * `blocks` < 2^32 are the caller's checks.
 */
export function cdbReadWrite(write: boolean, lba: bigint, blocks: number): Uint8Array {
  if (lba <= 0xffffffffn && blocks <= 0xffff) {
    const l = Number(lba);
    return Uint8Array.of(
      write ? SCSIOP_WRITE : SCSIOP_READ, 0,
      (l >>> 24) & 0xff, (l >>> 16) & 0xff, (l >>> 8) & 0xff, l & 0xff,
      0, (blocks >>> 8) & 0xff, blocks & 0xff, 0,
    );
  }
  const cdb = new Uint8Array(16);
  cdb[0] = write ? SCSIOP_WRITE16 : SCSIOP_READ16;
  let v = lba;
  for (let i = 9; i >= 2; i--) {
    cdb[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  cdb[10] = (blocks >>> 24) & 0xff;
  cdb[11] = (blocks >>> 16) & 0xff;
  cdb[12] = (blocks >>> 8) & 0xff;
  cdb[13] = blocks & 0xff;
  return cdb;
}
