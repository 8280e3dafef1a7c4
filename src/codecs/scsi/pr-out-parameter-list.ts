// PERSISTENT RESERVE OUT parameter lists (layouts.md §3; SPC-4): packed, big-endian.

import { bits, bytes, lengthOf, reserved, struct, u16be, u32be, u64be, u8, varBytes } from '../layout';

/** Every service action except REGISTER AND MOVE. */
export const PR_OUT_PARAMETER_LIST = struct('PR_OUT_PARAMETER_LIST', {
  RESERVATION_KEY: u64be,
  SERVICE_ACTION_RESERVATION_KEY: u64be,
  Obsolete1: bytes(4),                               // scope-specific address in SPC-2
  APTPL: bits('u8', 1),
  Reserved1: reserved(bits('u8', 1)),
  ALL_TG_PT: bits('u8', 1),
  // SPEC_I_PT = 1 continues the list with TransportIDs; vdisk rejects it (persistent-reservations.md §4.1 check 4)
  SPEC_I_PT: bits('u8', 1),
  Reserved2: reserved(bits('u8', 4)),
  Reserved3: reserved(u8),
  Obsolete2: bytes(2),                               // extent length in SPC-2
}, { size: 24, align: 1, pack: 1 });

/** REGISTER AND MOVE (service action 7): the fixed part is followed by one TransportID. */
export const PR_OUT_REGISTER_AND_MOVE_PARAMETER_LIST = struct('PR_OUT_REGISTER_AND_MOVE_PARAMETER_LIST', {
  RESERVATION_KEY: u64be,
  SERVICE_ACTION_RESERVATION_KEY: u64be,
  Reserved1: reserved(u8),
  APTPL: bits('u8', 1),
  UNREG: bits('u8', 1),
  Reserved2: reserved(bits('u8', 6)),
  RELATIVE_TARGET_PORT_IDENTIFIER: u16be,
  // Decode reads 24 + this many bytes, reporting 'short' otherwise; the device checks it against the
  // PARAMETER LIST LENGTH itself (persistent-reservations.md §4.7 step 2).
  TRANSPORTID_PARAMETER_DATA_LENGTH: lengthOf(u32be, 'TransportID'),
  TransportID: varBytes(0, 'TRANSPORTID_PARAMETER_DATA_LENGTH'),
}, { size: 24, align: 1, pack: 1 });
