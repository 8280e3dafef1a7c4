// ehstorbandmgmt.h BAND_SECURITY_INFO — layouts.md §2: size 56, alignment 4.
// No 8-byte member, so alignment 4; the union at 16 (OID string locator / numeric id) is 8 bytes.

import { bytes, enumOf, group, structSize, struct, u32le, union } from '../layout';
import { ALGOIDTYPE, LOCKSTATE } from './constants';

export const BAND_SECURITY_INFO = struct('BAND_SECURITY_INFO', {
  StructSize: structSize(u32le),                     // 56
  ReadLock: enumOf(u32le, LOCKSTATE),                // 4-byte enum
  WriteLock: enumOf(u32le, LOCKSTATE),
  CryptoAlgoIdType: enumOf(u32le, ALGOIDTYPE),       // must be 0 on input
  // Offset counts from the start of this BAND_SECURITY_INFO and Length includes the NUL (layouts.md §2
  // "What each offset field is relative to"). They locate a NUL-terminated ASCII string, which has no
  // layout of its own, so they carry no offsetTo/lengthOf role; both must be 0 on input.
  CryptoAlgoOidString: union('u', group({
    Offset: u32le,
    Length: u32le,
  })),
  CryptoAlgoNumericId: union('u', u32le),            // "Reserved"
  Metadata: bytes(32),                               // "for a key manager"
}, { size: 56, align: 4 });
