// ehstorbandmgmt.h SET_BAND_METADATA_PARAMETERS — layouts.md §2: size 32, alignment 8.

import { i64le, offsetTo, structSize, struct, u32le } from '../layout';
import { AUTH_KEY } from './auth-key';

export const SET_BAND_METADATA_PARAMETERS = struct('SET_BAND_METADATA_PARAMETERS', {
  StructSize: structSize(u32le),                     // 32
  BandId: u32le,
  BandStart: i64le,
  MetadataOffset: u32le,                             // a position in the band's metadata store, not a buffer offset
  MetadataSize: u32le,                               // bytes to write, found at BufferOffset
  // From the start of this structure; points at MetadataSize raw bytes, which have no layout, so the
  // offsetTo role (which needs a target layout) cannot express it (band-management.md §3 table).
  BufferOffset: u32le,
  AuthKeyOffset: offsetTo(u32le, () => AUTH_KEY),    // band's key; 0 = default key
}, { size: 32, align: 8 });
