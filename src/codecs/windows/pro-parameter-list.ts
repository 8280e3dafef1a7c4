// scsi.h PRO_PARAMETER_LIST — layouts.md §1: size 24, alignment 1 (#pragma pack(1)); SDK 10.0.22000 names.
// The SCSI PERSISTENT RESERVE OUT parameter list as Windows declares it. The SDK declares the keys as
// UCHAR[8] big-endian arrays; we declare them u64be so callers get numbers — same offsets and sizes
// (layouts.md §0: SCSI data is big-endian and passed through unchanged).

import { bits, bytes, reserved, struct, u64be, u8 } from '../layout';

export const PRO_PARAMETER_LIST = struct('PRO_PARAMETER_LIST', {
  ReservationKey: u64be,                             // UCHAR[8] big-endian
  ServiceActionReservationKey: u64be,                // UCHAR[8] big-endian
  ScopeSpecificAddress: bytes(4),                    // obsolete in SPC-4
  ActivatePersistThroughPowerLoss: bits('u8', 1),    // SPC APTPL
  Reserved1: reserved(bits('u8', 1)),
  AllTargetPorts: bits('u8', 1),                     // SPC ALL_TG_PT
  SpecifyInitiatorPorts: bits('u8', 1),              // SPC SPEC_I_PT
  Reserved2: reserved(bits('u8', 4)),
  Reserved3: reserved(u8),
  Obsolete: bytes(2),
}, { size: 24, align: 1, pack: 1 });
