// ehstorbandmgmt.h AUTH_KEY — layouts.md §2: size 8, alignment 4.
// An AUTH_KEY occupies 4 + KeySize bytes of the input (SIZE_AUTH_KEY_HEADER = FIELD_OFFSET(AUTH_KEY, Key)
// = 4); decode reads exactly that and reports 'short' / 'overflow' for a KeySize past the buffer or 2^32.

import { lengthOf, struct, u32le, varBytes } from '../layout';

export const AUTH_KEY = struct('AUTH_KEY', {
  KeySize: lengthOf(u32le, 'Key'),                   // 0 = the default key (band-management.md D4)
  Key: varBytes(1, 'KeySize'),                       // UCHAR Key[ANYSIZE_ARRAY]
}, { size: 8, align: 4 });                           // bytes 5-7: tail padding of sizeof

/** SIZE_AUTH_KEY_HEADER (ehstorbandmgmt.h): where the key bytes start. */
export const SIZE_AUTH_KEY_HEADER = AUTH_KEY.headerSize;
