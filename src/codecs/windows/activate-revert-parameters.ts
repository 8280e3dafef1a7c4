// ehstorbandmgmt.h ACTIVATE_REVERT_PARAMETERS — layouts.md §2: size 12, alignment 4.
// Input of ACTIVATE and REVERT, followed by an AUTH_KEY.

import { flags, offsetTo, structSize, struct, u32le } from '../layout';
import { AUTH_KEY } from './auth-key';
import { ACTIVATE_REVERT_FLAGS } from './constants';

export const ACTIVATE_REVERT_PARAMETERS = struct('ACTIVATE_REVERT_PARAMETERS', {
  StructSize: structSize(u32le),                     // must equal sizeof (band-management.md D2 step 4)
  Flags: flags(u32le, ACTIVATE_REVERT_FLAGS),        // ACTIVATE_* (mask 0x3) / REVERT_* (mask 0x1)
  AuthKeyOffset: offsetTo(u32le, () => AUTH_KEY),    // from the system buffer's start = this structure's; 0 = default key (D4)
}, { size: 12, align: 4 });
