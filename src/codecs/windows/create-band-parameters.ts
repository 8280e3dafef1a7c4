// ehstorbandmgmt.h CREATE_BAND_PARAMETERS — layouts.md §2: size 20, alignment 4.
// Offsets count from the start of this structure = the input buffer (layouts.md §2 offset table).

import { flags, offsetTo, structSize, struct, u32le } from '../layout';
import { AUTH_KEY } from './auth-key';
import { BAND_LOCATION_INFO } from './band-location-info';
import { BAND_SECURITY_INFO } from './band-security-info';
import { CREATEBAND_FLAGS } from './constants';

export const CREATE_BAND_PARAMETERS = struct('CREATE_BAND_PARAMETERS', {
  StructSize: structSize(u32le),                     // 20
  Flags: flags(u32le, CREATEBAND_FLAGS),
  BandLocationInfoOffset: offsetTo(u32le, () => BAND_LOCATION_INFO, false), // required
  BandSecurityInfoOffset: offsetTo(u32le, () => BAND_SECURITY_INFO),        // 0 = none
  AuthKeyOffset: offsetTo(u32le, () => AUTH_KEY),    // the new band's key; 0 = default key
}, { size: 20, align: 4 });
