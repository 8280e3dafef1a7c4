// scsi.h PRI_RESERVATION_LIST — layouts.md §1: size 8, alignment 1 (#pragma pack(1)).
// READ RESERVATION data (not PRI_REGISTRATION_LIST, whatever the current Learn page says; layouts.md §1).
// Generation and AdditionalLength are UCHAR[4] big-endian in the SDK; declared u32be (same offsets).

import { lengthOf, nested, struct, tail, u32be } from '../layout';
import { PRI_RESERVATION_DESCRIPTOR } from './pri-reservation-descriptor';

export const PRI_RESERVATION_LIST = struct('PRI_RESERVATION_LIST', {
  Generation: u32be,
  AdditionalLength: lengthOf(u32be, 'Reservations', 16), // bytes: 0 or 16
  Reservations: tail(nested(PRI_RESERVATION_DESCRIPTOR), 'AdditionalLength', 16),
}, { size: 8, align: 1, pack: 1 });
