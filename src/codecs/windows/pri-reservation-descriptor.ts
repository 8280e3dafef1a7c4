// scsi.h PRI_RESERVATION_DESCRIPTOR — layouts.md §1: size 16, alignment 1 (#pragma pack(1)).
// ReservationKey is UCHAR[8] big-endian in the SDK; declared u64be (same offset and size).

import { bits, bytes, enumOf, reserved, struct, u64be, u8 } from '../layout';
import { RESERVATION_SCOPES, RESERVATION_TYPES } from './constants';

export const PRI_RESERVATION_DESCRIPTOR = struct('PRI_RESERVATION_DESCRIPTOR', {
  ReservationKey: u64be,
  ScopeSpecificAddress: bytes(4),                    // obsolete
  Reserved: reserved(u8),
  Type: enumOf(bits('u8', 4), RESERVATION_TYPES),    // verified: Type 5, Scope 2 → byte 13 = 0x25
  Scope: enumOf(bits('u8', 4), RESERVATION_SCOPES),
  Obsolete: bytes(2),
}, { size: 16, align: 1, pack: 1 });
