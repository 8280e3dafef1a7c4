// ntddstor.h PERSISTENT_RESERVE_COMMAND — layouts.md §1: size 12, alignment 4.
// Input of IOCTL_STORAGE_PERSISTENT_RESERVE_IN (PR_IN view) and _OUT (PR_OUT view). The 4-byte union at 8
// has alignment 2 because of PR_IN's USHORT; the PR_OUT parameter list starts at offset 10, not 12
// (layouts.md §1: classpnp copies bytes 10-33 as the SCSI list).

import {
  bits, enumOf, group, marker, reserved, struct, u16le, u32le, union,
} from '../layout';
import { PR_IN_SERVICE_ACTIONS, PR_OUT_SERVICE_ACTIONS, RESERVATION_SCOPES, RESERVATION_TYPES } from './constants';

export const PERSISTENT_RESERVE_COMMAND = struct('PERSISTENT_RESERVE_COMMAND', {
  Version: u32le,                                    // never checked by the class driver
  Size: u32le,                                       // not a StructSize: checked as ≥ 12 / ≥ InputBufferLength (class-driver.md §8.1)
  PR_IN: union('u', group({
    ServiceAction: enumOf(bits('u8', 5), PR_IN_SERVICE_ACTIONS),
    Reserved1: reserved(bits('u8', 3)),              // "must be zero", never checked
    AllocationLength: u16le,                         // little-endian; byte 9 is padding in this view
  })),
  PR_OUT: union('u', group({
    ServiceAction: enumOf(bits('u8', 5), PR_OUT_SERVICE_ACTIONS),
    Reserved1: reserved(bits('u8', 3)),              // never checked
    Type: enumOf(bits('u8', 4), RESERVATION_TYPES),  // low nibble of byte 9
    Scope: enumOf(bits('u8', 4), RESERVATION_SCOPES), // high nibble of byte 9
    ParameterList: marker(),                         // UCHAR[0]: PRO_PARAMETER_LIST starts here, at 10
  })),
}, { size: 12, align: 4 });
