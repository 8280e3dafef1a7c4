// scsi.h PRI_REGISTRATION_LIST — layouts.md §1: size 8, alignment 1 (#pragma pack(1)).
// READ KEYS data (IOCTL_STORAGE_PERSISTENT_RESERVE_IN output). Generation and AdditionalLength are
// UCHAR[4] big-endian in the SDK; declared u32be so callers get numbers (same offsets and sizes).

import { lengthOf, struct, tail, u32be, u64be } from '../layout';

export const PRI_REGISTRATION_LIST = struct('PRI_REGISTRATION_LIST', {
  Generation: u32be,                                 // PRGENERATION
  AdditionalLength: lengthOf(u32be, 'ReservationKeyList', 8), // bytes: 8 × number of keys
  // Decodes only the whole keys the buffer holds: the data is truncated by the allocation length.
  ReservationKeyList: tail(u64be, 'AdditionalLength', 8),
}, { size: 8, align: 1, pack: 1 });
