// ehstorbandmgmt.h SET_BAND_LOCATION_PARAMETERS — layouts.md §2: size 24, alignment 8.

import { i64le, offsetTo, structSize, struct, u32le } from '../layout';
import { AUTH_KEY } from './auth-key';
import { BAND_LOCATION_INFO } from './band-location-info';

export const SET_BAND_LOCATION_PARAMETERS = struct('SET_BAND_LOCATION_PARAMETERS', {
  StructSize: structSize(u32le),                     // 24
  BandId: u32le,                                     // 0xFFFFFFFF: select by BandStart
  BandStart: i64le,
  AuthKeyOffset: offsetTo(u32le, () => AUTH_KEY),    // band's current key; 0 = default key
  BandLocationInfoOffset: offsetTo(u32le, () => BAND_LOCATION_INFO, false), // required
}, { size: 24, align: 8 });
