// ehstorbandmgmt.h DELETE_BAND_PARAMETERS — layouts.md §2: size 32, alignment 8.

import { flags, i64le, offsetTo, reserved, structSize, struct, u32le } from '../layout';
import { AUTH_KEY } from './auth-key';
import { DELBAND_FLAGS } from './constants';

export const DELETE_BAND_PARAMETERS = struct('DELETE_BAND_PARAMETERS', {
  StructSize: structSize(u32le),                     // 32
  Flags: flags(u32le, DELBAND_FLAGS),
  Reserved: reserved(u32le),
  BandId: u32le,
  BandStart: i64le,
  AuthKeyOffset: offsetTo(u32le, () => AUTH_KEY),    // must be 0 with DELBAND_ERASE_BEFORE_DELETE (band-management.md §3, rule for D2 step 4)
}, { size: 32, align: 8 });                          // bytes 28-31: tail padding
