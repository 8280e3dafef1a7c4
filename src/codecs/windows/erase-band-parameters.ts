// ehstorbandmgmt.h ERASE_BAND_PARAMETERS — layouts.md §2: size 32, alignment 8.

import { flags, i64le, offsetTo, reserved, structSize, struct, u32le } from '../layout';
import { AUTH_KEY } from './auth-key';
import { ERASEBAND_FLAGS } from './constants';

export const ERASE_BAND_PARAMETERS = struct('ERASE_BAND_PARAMETERS', {
  StructSize: structSize(u32le),                     // must equal sizeof (band-management.md D2 step 4)
  Flags: flags(u32le, ERASEBAND_FLAGS),
  Reserved: reserved(u32le),
  BandId: u32le,                                     // 0xFFFFFFFF: select by BandStart
  BandStart: i64le,
  NewAuthKeyOffset: offsetTo(u32le, () => AUTH_KEY), // from the structure's start; 0 = default key
}, { size: 32, align: 8 });                          // bytes 28-31: tail padding
