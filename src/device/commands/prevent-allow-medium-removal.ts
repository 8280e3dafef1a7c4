// PREVENT ALLOW MEDIUM REMOVAL (SBC-3; scsi-device.md §3.3): per initiator, not a counter; works with or
// without a medium and on a fixed disk (where it has no effect).
import { CDB_FIELDS } from '../cdb-fields';
import { SENSE } from '../sense-codes';
import { fail, GOOD, type CommandHandler } from './context';

export const preventAllowMediumRemoval: CommandHandler = (lu, initiator, cdb) => {
  const prevent = CDB_FIELDS.PREVENT_ALLOW_MEDIUM_REMOVAL.PREVENT(cdb, 0);
  if (prevent > 1) return fail(SENSE.INVALID_FIELD_IN_CDB); // 10b / 11b are obsolete (§3.3)
  lu.media.setPrevent(initiator, prevent === 1);
  return GOOD;
};
