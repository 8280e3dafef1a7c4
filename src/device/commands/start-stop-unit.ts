// START STOP UNIT (SBC-3; scsi-device.md §3.2), in the spec's order.
import { CDB_FIELDS } from '../cdb-fields';
import { SENSE } from '../sense-codes';
import { UA_MEDIUM_CHANGED } from '../unit-attentions';
import { fail, GOOD, type CommandHandler } from './context';

export const startStopUnit: CommandHandler = (lu, _initiator, cdb) => {
  const f = CDB_FIELDS.START_STOP_UNIT;
  // 1. POWER CONDITION ≠ 0: START and LOEJ are ignored; vdisk has no power states
  if (f.POWER_CONDITION(cdb, 0) !== 0) return GOOD;
  // 2. LOEJ 0: no spindle to start or stop (IMMED, NO_FLUSH ignored)
  if (f.LOEJ(cdb, 0) === 0) return GOOD;
  // 3. load/eject on a fixed disk (LIO sbc_emulate_startstop)
  if (!lu.media.removable) return fail(SENSE.INVALID_FIELD_IN_CDB);
  if (f.START(cdb, 0) === 0) {
    // 4. eject: refused while any initiator prevents removal (§3.3); no unit attention
    if (lu.media.removalPrevented) return fail(SENSE.MEDIUM_REMOVAL_PREVENTED);
    lu.media.eject();
    return GOOD;
  }
  // 5. load (prevention does not block it): every initiator, the issuer included, gets 28h/00h
  if (lu.media.load()) lu.unitAttentions.establish('all', UA_MEDIUM_CHANGED.asc, UA_MEDIUM_CHANGED.ascq);
  return GOOD;
};
