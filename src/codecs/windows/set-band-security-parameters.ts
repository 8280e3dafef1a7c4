// ehstorbandmgmt.h SET_BAND_SECURITY_PARAMETERS — layouts.md §2: size 40, alignment 8.

import { flags, i64le, offsetTo, reserved, structSize, struct, u32le } from '../layout';
import { AUTH_KEY } from './auth-key';
import { BAND_SECURITY_INFO } from './band-security-info';
import { SETBANDSEC_FLAGS } from './constants';

export const SET_BAND_SECURITY_PARAMETERS = struct('SET_BAND_SECURITY_PARAMETERS', {
  StructSize: structSize(u32le),                     // 40
  Flags: flags(u32le, SETBANDSEC_FLAGS),
  Reserved: reserved(u32le),
  BandId: u32le,                                     // 0xFFFFFFFF: select by BandStart
  BandStart: i64le,
  CurrentAuthKeyOffset: offsetTo(u32le, () => AUTH_KEY),   // 0 = default key
  NewAuthKeyOffset: offsetTo(u32le, () => AUTH_KEY),       // 0 = no key change
  BandSecurityInfoOffset: offsetTo(u32le, () => BAND_SECURITY_INFO), // 0 = no lock/metadata change
}, { size: 40, align: 8 });                          // bytes 36-39: tail padding
