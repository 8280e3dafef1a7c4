// ehstorbandmgmt.h BAND_TABLE_ENTRY — layouts.md §2: size 120, alignment 8.

import { nested, struct, u32le } from '../layout';
import { BAND_LOCATION_INFO } from './band-location-info';
import { BAND_SECURITY_INFO } from './band-security-info';

export const BAND_TABLE_ENTRY = struct('BAND_TABLE_ENTRY', {
  BandId: u32le,
  LocationInfo: nested(BAND_LOCATION_INFO),          // 8-aligned: bytes 4-7 are padding
  SecurityInfo: nested(BAND_SECURITY_INFO),
}, { size: 120, align: 8 });
