// PERSISTENT RESERVE IN / OUT (SPC-4): delegated to the persistent-reservation engine after the LU's
// §2 steps 1-3 (persistent-reservations.md §4.1 checks 1-2 are the LU's step 3).

import { CDB_FIELDS } from '../cdb-fields';
import { SENSE } from '../sense-codes';
import { fail, type CommandHandler } from './context';

const EMPTY = new Uint8Array(0);

export const persistentReserveIn: CommandHandler = (lu, initiator, cdb, _command, limit) =>
  lu.persistent.in(initiator, cdb, Math.min(CDB_FIELDS.PERSISTENT_RESERVE_IN.ALLOCATION_LENGTH(cdb, 0), limit));

export const persistentReserveOut: CommandHandler = (lu, initiator, cdb, command) => {
  const outcome = lu.persistent.out(initiator, cdb, command.dataOut ?? EMPTY);
  // §8 (vdisk): a state change under APTPL completes only after the metadata commit. A power loss during
  // the commit leaves the device off: the LU then answers nothing, whatever is returned here.
  if (outcome.ok && lu.persistent.needsCommit()) {
    const r = lu.commitMetadata();
    if (!r.ok && r.reason !== 'power-lost') return fail(SENSE.WRITE_ERROR);
  }
  return outcome;
};
