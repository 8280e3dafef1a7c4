// REPORT LUNS (SPC-4 6.33): the target has one logical unit, LUN 0, whatever SELECT REPORT asks for
// among 00h-02h (all three include LUN 0); others are INVALID FIELD IN CDB. The LUN LIST LENGTH stays
// the full length when the allocation length truncates the data (SPC-4 4.3.5.6).

import { SENSE } from '../sense-codes';
import { dataIn, fail, type CommandHandler } from './context';

/** LUN LIST LENGTH 8, reserved, then LUN 0 (eight zero bytes). */
const LUN_LIST = Uint8Array.of(0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

export const reportLuns: CommandHandler = (_lu, _initiator, cdb, _command, limit) => {
  if (cdb[2]! > 0x02) return fail(SENSE.INVALID_FIELD_IN_CDB);
  const allocation = ((cdb[6]! << 24) | (cdb[7]! << 16) | (cdb[8]! << 8) | cdb[9]!) >>> 0;
  return dataIn(LUN_LIST, Math.min(allocation, limit));
};
