// ehstorbandmgmt.h BAND_LOCATION_INFO — layouts.md §2: size 56, alignment 8.

import { bytes, i64le, reserved, structSize, struct, u32le } from '../layout';

export const BAND_LOCATION_INFO = struct('BAND_LOCATION_INFO', {
  StructSize: structSize(u32le),                     // 56
  Reserved: reserved(u32le),
  BandStart: i64le,                                  // bytes
  BandSize: i64le,                                   // bytes
  Metadata: bytes(32),                               // "for a band management application"
}, { size: 56, align: 8 });
