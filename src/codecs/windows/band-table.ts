// ehstorbandmgmt.h BAND_TABLE — layouts.md §2: size 16, alignment 4.
// Output header of ENUMERATE_BANDS. Callers step through the entries by BandTableEntrySize, not
// sizeof(BAND_TABLE_ENTRY) (Microsoft Learn "_BAND_TABLE structure").

import { offsetTo, structSize, struct, u32le } from '../layout';
import { BAND_TABLE_ENTRY } from './band-table-entry';

export const BAND_TABLE = struct('BAND_TABLE', {
  StructSize: structSize(u32le),                     // 16
  // From the start of BAND_TABLE: vdisk's choice, the base is UNVERIFIED (layouts.md §2).
  BandTableOffset: offsetTo(u32le, () => BAND_TABLE_ENTRY),
  BandTableEntryCount: u32le,
  BandTableEntrySize: u32le,                         // stride
}, { size: 16, align: 4 });
