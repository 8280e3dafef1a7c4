// PERSISTENT RESERVE IN parameter data (layouts.md §3; SPC-4): packed, big-endian. The lists' counts are
// independent of the allocation length, so a decoder sees a truncated tail as normal: `tail` decodes only
// the whole elements present.

import {
  bits, bytes, enumOf, lengthOf, nested, reserved, struct, tail, u16be, u32be, u64be, u8, varBytes,
} from '../layout';
import { RESERVATION_SCOPES, RESERVATION_TYPES } from '../windows/constants';

/** READ KEYS (= PRI_REGISTRATION_LIST). */
export const PR_IN_READ_KEYS_DATA = struct('PR_IN_READ_KEYS_DATA', {
  PRGENERATION: u32be,
  ADDITIONAL_LENGTH: lengthOf(u32be, 'RESERVATION_KEYS', 8), // 8 × keys, independent of the allocation length
  RESERVATION_KEYS: tail(u64be, 'ADDITIONAL_LENGTH', 8),
}, { size: 8, align: 1, pack: 1 });

/** READ RESERVATION descriptor (= PRI_RESERVATION_DESCRIPTOR). */
export const PR_IN_RESERVATION_DESCRIPTOR = struct('PR_IN_RESERVATION_DESCRIPTOR', {
  RESERVATION_KEY: u64be,                            // holder's key; 0 for an all-registrants reservation
  Obsolete1: bytes(4),
  Reserved: reserved(u8),
  TYPE: enumOf(bits('u8', 4), RESERVATION_TYPES),
  SCOPE: enumOf(bits('u8', 4), RESERVATION_SCOPES),
  Obsolete2: bytes(2),
}, { size: 16, align: 1, pack: 1 });

/** READ RESERVATION (= PRI_RESERVATION_LIST). */
export const PR_IN_READ_RESERVATION_DATA = struct('PR_IN_READ_RESERVATION_DATA', {
  PRGENERATION: u32be,
  ADDITIONAL_LENGTH: lengthOf(u32be, 'RESERVATION_DESCRIPTOR', 16), // 0 (no reservation) or 16
  RESERVATION_DESCRIPTOR: tail(nested(PR_IN_RESERVATION_DESCRIPTOR), 'ADDITIONAL_LENGTH', 16),
}, { size: 8, align: 1, pack: 1 });

/** REPORT CAPABILITIES; bit positions agree with SDK 10.0.22000 scsi.h PRI_REPORT_CAPABILITIES. */
export const PR_IN_REPORT_CAPABILITIES_DATA = struct('PR_IN_REPORT_CAPABILITIES_DATA', {
  LENGTH: u16be,                                     // 8
  PTPL_C: bits('u8', 1),                             // persist through power loss capable
  Reserved1: reserved(bits('u8', 1)),
  ATP_C: bits('u8', 1),                              // all target ports capable
  SIP_C: bits('u8', 1),                              // specify initiator ports capable
  CRH: bits('u8', 1),                                // compatible reservation handling
  Reserved2: reserved(bits('u8', 2)),
  RLR_C: bits('u8', 1),                              // replace lost reservation capable
  PTPL_A: bits('u8', 1),                             // persist through power loss activated
  Reserved3: reserved(bits('u8', 3)),
  ALLOW_COMMANDS: bits('u8', 3),
  TMV: bits('u8', 1),                                // type mask valid
  Reserved4: reserved(bits('u8', 1)),
  WR_EX: bits('u8', 1),                              // type 1 supported
  Reserved5: reserved(bits('u8', 1)),
  EX_AC: bits('u8', 1),                              // type 3
  Reserved6: reserved(bits('u8', 1)),
  WR_EX_RO: bits('u8', 1),                           // type 5
  EX_AC_RO: bits('u8', 1),                           // type 6
  WR_EX_AR: bits('u8', 1),                           // type 7
  EX_AC_AR: bits('u8', 1),                           // type 8
  Reserved7: reserved(bits('u8', 7)),
  Reserved8: reserved(bytes(2)),
}, { size: 8, align: 1, pack: 1 });

/**
 * READ FULL STATUS descriptor (after an 8-byte PRGENERATION / ADDITIONAL LENGTH header like READ KEYS);
 * agrees with SDK 10.0.22000 scsi.h PRI_FULL_STATUS_DESCRIPTOR_HEADER.
 */
export const PR_IN_FULL_STATUS_DESCRIPTOR = struct('PR_IN_FULL_STATUS_DESCRIPTOR', {
  RESERVATION_KEY: u64be,
  Reserved1: reserved(bytes(4)),
  R_HOLDER: bits('u8', 1),                           // this registrant holds the reservation
  ALL_TG_PT: bits('u8', 1),
  Reserved2: reserved(bits('u8', 6)),
  TYPE: enumOf(bits('u8', 4), RESERVATION_TYPES),    // valid when R_HOLDER = 1
  SCOPE: enumOf(bits('u8', 4), RESERVATION_SCOPES),
  Reserved3: reserved(bytes(4)),
  RELATIVE_TARGET_PORT_IDENTIFIER: u16be,
  ADDITIONAL_DESCRIPTOR_LENGTH: lengthOf(u32be, 'TransportID'), // length of the TransportID that follows
  TransportID: varBytes(0, 'ADDITIONAL_DESCRIPTOR_LENGTH'),
}, { size: 24, align: 1, pack: 1 });
