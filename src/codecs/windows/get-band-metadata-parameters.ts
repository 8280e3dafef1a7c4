// ehstorbandmgmt.h GET_BAND_METADATA_PARAMETERS — layouts.md §2: size 24, alignment 8.

import { i64le, structSize, struct, u32le } from '../layout';

export const GET_BAND_METADATA_PARAMETERS = struct('GET_BAND_METADATA_PARAMETERS', {
  StructSize: structSize(u32le),                     // 24
  BandId: u32le,
  BandStart: i64le,
  MetadataOffset: u32le,                             // a position in the band's metadata store, not a buffer offset
  MetadataSize: u32le,                               // bytes to read
}, { size: 24, align: 8 });
