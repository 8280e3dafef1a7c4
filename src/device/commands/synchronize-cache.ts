// SYNCHRONIZE CACHE (10) and (16) (SBC-3 5.22, 5.23): vdisk writes through (the store has the data once
// WRITE returns GOOD, and the mode page 08h says WCE 0), so there is nothing to flush; the range is still
// checked like a read's (scsi-device.md §3.5 step 3): medium absent → 3Ah/00h, LBA + NUMBER OF LOGICAL
// BLOCKS beyond the capacity → 21h/00h. NUMBER OF LOGICAL BLOCKS 0 means "to the last LBA".

import { SENSE } from '../sense-codes';
import { fail, GOOD, type CommandContext, type CommandHandler } from './context';

function check(lu: CommandContext, lba: bigint, blocks: bigint): ReturnType<CommandHandler> {
  if (!lu.media.present) return fail(SENSE.MEDIUM_NOT_PRESENT);
  if (lba > lu.sectorsBig || lba + blocks > lu.sectorsBig) return fail(SENSE.LBA_OUT_OF_RANGE);
  return GOOD;
}

export const synchronizeCache10: CommandHandler = (lu, _initiator, cdb) => {
  const lba = BigInt(((cdb[2]! << 24) | (cdb[3]! << 16) | (cdb[4]! << 8) | cdb[5]!) >>> 0);
  return check(lu, lba, BigInt((cdb[7]! << 8) | cdb[8]!));
};

export const synchronizeCache16: CommandHandler = (lu, _initiator, cdb) => {
  let lba = 0n;
  for (let i = 2; i < 10; i++) lba = (lba << 8n) | BigInt(cdb[i]!);
  const blocks = BigInt(((cdb[10]! << 24) | (cdb[11]! << 16) | (cdb[12]! << 8) | cdb[13]!) >>> 0);
  return check(lu, lba, blocks);
};
