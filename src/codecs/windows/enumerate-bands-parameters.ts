// ehstorbandmgmt.h ENUMERATE_BANDS_PARAMETERS — layouts.md §2: size 32, alignment 8.

import { flags, i64le, reserved, structSize, struct, u32le } from '../layout';
import { ENUMBANDS_FLAGS } from './constants';

export const ENUMERATE_BANDS_PARAMETERS = struct('ENUMERATE_BANDS_PARAMETERS', {
  StructSize: structSize(u32le),                     // 32
  Flags: flags(u32le, ENUMBANDS_FLAGS),
  Reserved: reserved(u32le),
  BandId: u32le,                                     // 0xFFFFFFFF: select by BandStart
  BandStart: i64le,                                  // bytes
  BandSize: i64le,                                   // bytes; 0 = any size
}, { size: 32, align: 8 });
