// ReadFile / WriteFile on the raw disk after the I/O manager's access check (spec/class-driver.md §9;
// disk.sys DiskReadWriteVerification, classpnp ClassReadWrite; io-manager.md §5).

import { STATUS_INVALID_PARAMETER, STATUS_SUCCESS, ntSuccess } from '../../codecs/ntstatus';
import { statusOnly, type HandlerContext, type IoctlResult } from '../handler';
import { cdbReadWrite } from './cdbs';

const INVALID_PARAMETER = statusOnly(STATUS_INVALID_PARAMETER);
const SUCCESS = statusOnly(STATUS_SUCCESS);

/** ReadFile's byte offset is a LARGE_INTEGER: beyond 2^63 − 1 it is negative (§9 step 1). */
const MAX_BYTE_OFFSET = (1n << 63n) - 1n;
/** nNumberOfBytesToRead/Write is a DWORD. */
const MAX_LENGTH = 0xffffffff;

/**
 * The starting LBA as a bigint, or undefined when it is not a non-negative integer whose byte offset a
 * LARGE_INTEGER can hold (vdisk: a negative, fractional or NaN LBA is STATUS_INVALID_PARAMETER, §9 step 1).
 */
function startLba(lba: number | bigint, sectorSize: number): bigint | undefined {
  let l: bigint;
  if (typeof lba === 'bigint') l = lba;
  else if (typeof lba === 'number' && Number.isSafeInteger(lba)) l = BigInt(lba);
  else return undefined;
  if (l < 0n || l * BigInt(sectorSize) > MAX_BYTE_OFFSET) return undefined;
  return l;
}

/** `read(handle, lba, sectors)`: the data as output, Information = bytes read. */
export function readSectors(ctx: HandlerContext, lba: number | bigint, sectors: number): IoctlResult {
  const ss = ctx.sectorSize;
  // 1. Offset and length whole sectors (they are, being counted in sectors), offset not negative, and both
  //    expressible in ReadFile's types.
  const start = startLba(lba, ss);
  if (start === undefined) return INVALID_PARAMETER;
  if (typeof sectors !== 'number' || !Number.isSafeInteger(sectors) || sectors < 0 || sectors * ss > MAX_LENGTH) {
    return INVALID_PARAMETER;
  }
  // 3. Zero length: success, nothing sent. (2. Beyond the end is the device's call: LBA OUT OF RANGE.)
  if (sectors === 0) return SUCCESS;
  // 4. One READ(10) or READ(16). 5. Results per §10 (DATA PROTECT on a read → STATUS_ACCESS_DENIED).
  const done = ctx.scsi(cdbReadWrite(false, start, sectors), { dataInLength: sectors * ss });
  const data = done.dataIn;
  if (!ntSuccess(done.status) || data === undefined || data.length === 0) return statusOnly(done.status);
  return { status: done.status, information: data.length, output: data };
}

/** `write(handle, lba, data)`: Information = bytes written. */
export function writeSectors(ctx: HandlerContext, lba: number | bigint, data: Uint8Array): IoctlResult {
  const ss = ctx.sectorSize;
  // 1. Length a whole number of sectors, offset not negative.
  const start = startLba(lba, ss);
  if (start === undefined) return INVALID_PARAMETER;
  if (!(data instanceof Uint8Array) || data.length % ss !== 0 || data.length > MAX_LENGTH) return INVALID_PARAMETER;
  // 3. Zero length: success, nothing sent.
  if (data.length === 0) return SUCCESS;
  // 4. One WRITE(10) or WRITE(16). 5. Results per §10 (DATA PROTECT on a write → STATUS_MEDIA_WRITE_PROTECTED).
  const status = ctx.scsi(cdbReadWrite(true, start, data.length / ss), { dataOut: data }).status;
  if (!ntSuccess(status)) return statusOnly(status);
  return { status, information: data.length };
}
