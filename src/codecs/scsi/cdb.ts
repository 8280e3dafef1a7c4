// SCSI command descriptor blocks the virtual device executes (layouts.md §3; SPC-4, SPC-2, SBC-3) and
// their operation codes (SDK scsi.h SCSIOP_*). Every CDB is packed and big-endian; byte 0 is the operation
// code (a constant role, so generators build CDBs the opcode table dispatches), the last byte CONTROL
// (ignored by vdisk). Reserved fields must be zero (scsi-device.md §2 says what the device does otherwise).

import {
  bits, bytes, constant, enumOf, reserved, struct, u16be, u32be, u64be, u8,
} from '../layout';
import {
  PR_IN_SERVICE_ACTIONS, PR_OUT_SERVICE_ACTIONS, RESERVATION_SCOPES, RESERVATION_TYPES,
} from '../windows/constants';

// ---- operation codes (scsi-device.md §3 table; SDK scsi.h names) ----

export const SCSIOP_TEST_UNIT_READY = 0x00;
export const SCSIOP_INQUIRY = 0x12;
export const SCSIOP_RESERVE_UNIT = 0x16;
export const SCSIOP_RELEASE_UNIT = 0x17;
export const SCSIOP_START_STOP_UNIT = 0x1b;
export const SCSIOP_MEDIUM_REMOVAL = 0x1e;
export const SCSIOP_READ_CAPACITY = 0x25;
export const SCSIOP_READ = 0x28;
export const SCSIOP_WRITE = 0x2a;
export const SCSIOP_RESERVE_UNIT10 = 0x56;
export const SCSIOP_RELEASE_UNIT10 = 0x57;
export const SCSIOP_PERSISTENT_RESERVE_IN = 0x5e;
export const SCSIOP_PERSISTENT_RESERVE_OUT = 0x5f;
export const SCSIOP_READ16 = 0x88;
export const SCSIOP_WRITE16 = 0x8a;
/** SERVICE ACTION IN (16); service action 10h is READ CAPACITY (16) (scsi-device.md §3). */
export const SCSIOP_SERVICE_ACTION_IN16 = 0x9e;
/** SDK scsi.h SERVICE_ACTION_READ_CAPACITY16 */
export const SERVICE_ACTION_READ_CAPACITY16 = 0x10;

/** PREVENT field of PREVENT ALLOW MEDIUM REMOVAL (SBC-3): 10b/11b are obsolete. */
export const PREVENT_ALLOW_VALUES = { ALLOW: 0, PREVENT: 1 } as const;

// ---- CDBs ----

export const CDB_TEST_UNIT_READY = struct('CDB_TEST_UNIT_READY', {
  OPERATION_CODE: constant(u8, SCSIOP_TEST_UNIT_READY),
  Reserved: reserved(bytes(4)),
  CONTROL: u8,
}, { size: 6, align: 1, pack: 1 });

export const CDB_INQUIRY = struct('CDB_INQUIRY', {
  OPERATION_CODE: constant(u8, SCSIOP_INQUIRY),
  EVPD: bits('u8', 1),                               // 1 = vital product data page
  Reserved: reserved(bits('u8', 7)),                 // bit 1 was CMDDT (obsolete)
  PAGE_CODE: u8,                                     // must be 0 when EVPD = 0
  ALLOCATION_LENGTH: u16be,
  CONTROL: u8,
}, { size: 6, align: 1, pack: 1 });

export const CDB_READ_CAPACITY10 = struct('CDB_READ_CAPACITY10', {
  OPERATION_CODE: constant(u8, SCSIOP_READ_CAPACITY),
  Reserved1: reserved(u8),                           // bit 0 obsolete (RELADR)
  LOGICAL_BLOCK_ADDRESS: u32be,                      // obsolete; must be 0 when PMI = 0
  Reserved2: reserved(bytes(2)),
  PMI: bits('u8', 1),                                // obsolete
  Reserved3: reserved(bits('u8', 7)),
  CONTROL: u8,
}, { size: 10, align: 1, pack: 1 });

export const CDB_READ_CAPACITY16 = struct('CDB_READ_CAPACITY16', {
  OPERATION_CODE: constant(u8, SCSIOP_SERVICE_ACTION_IN16),
  SERVICE_ACTION: constant(bits('u8', 5), SERVICE_ACTION_READ_CAPACITY16),
  Reserved1: reserved(bits('u8', 3)),
  LOGICAL_BLOCK_ADDRESS: u64be,                      // obsolete; must be 0 when PMI = 0
  ALLOCATION_LENGTH: u32be,
  PMI: bits('u8', 1),                                // obsolete
  Reserved2: reserved(bits('u8', 7)),
  CONTROL: u8,
}, { size: 16, align: 1, pack: 1 });

export const CDB_READ10 = struct('CDB_READ10', {
  OPERATION_CODE: constant(u8, SCSIOP_READ),
  Obsolete: bits('u8', 1),
  FUA_NV: bits('u8', 1),
  Reserved1: reserved(bits('u8', 1)),
  FUA: bits('u8', 1),
  DPO: bits('u8', 1),
  RDPROTECT: bits('u8', 3),
  LOGICAL_BLOCK_ADDRESS: u32be,
  GROUP_NUMBER: bits('u8', 5),
  Reserved2: reserved(bits('u8', 3)),
  TRANSFER_LENGTH: u16be,                            // blocks; 0 = no transfer, not an error
  CONTROL: u8,
}, { size: 10, align: 1, pack: 1 });

export const CDB_WRITE10 = struct('CDB_WRITE10', {
  OPERATION_CODE: constant(u8, SCSIOP_WRITE),
  Obsolete: bits('u8', 1),
  FUA_NV: bits('u8', 1),
  Reserved1: reserved(bits('u8', 1)),
  FUA: bits('u8', 1),
  DPO: bits('u8', 1),
  WRPROTECT: bits('u8', 3),
  LOGICAL_BLOCK_ADDRESS: u32be,
  GROUP_NUMBER: bits('u8', 5),
  Reserved2: reserved(bits('u8', 3)),
  TRANSFER_LENGTH: u16be,                            // blocks; 0 = no transfer
  CONTROL: u8,
}, { size: 10, align: 1, pack: 1 });

export const CDB_READ16 = struct('CDB_READ16', {
  OPERATION_CODE: constant(u8, SCSIOP_READ16),
  Reserved1: reserved(bits('u8', 3)),                // bit 1 FUA_NV in SBC-3
  FUA: bits('u8', 1),
  DPO: bits('u8', 1),
  RDPROTECT: bits('u8', 3),
  LOGICAL_BLOCK_ADDRESS: u64be,
  TRANSFER_LENGTH: u32be,                            // blocks
  GROUP_NUMBER: bits('u8', 6),
  Reserved2: reserved(bits('u8', 2)),
  CONTROL: u8,
}, { size: 16, align: 1, pack: 1 });

export const CDB_WRITE16 = struct('CDB_WRITE16', {
  OPERATION_CODE: constant(u8, SCSIOP_WRITE16),
  Reserved1: reserved(bits('u8', 3)),                // bit 1 FUA_NV in SBC-3
  FUA: bits('u8', 1),
  DPO: bits('u8', 1),
  WRPROTECT: bits('u8', 3),
  LOGICAL_BLOCK_ADDRESS: u64be,
  TRANSFER_LENGTH: u32be,                            // blocks
  GROUP_NUMBER: bits('u8', 6),
  Reserved2: reserved(bits('u8', 2)),
  CONTROL: u8,
}, { size: 16, align: 1, pack: 1 });

export const CDB_START_STOP_UNIT = struct('CDB_START_STOP_UNIT', {
  OPERATION_CODE: constant(u8, SCSIOP_START_STOP_UNIT),
  IMMED: bits('u8', 1),
  Reserved1: reserved(bits('u8', 7)),
  Reserved2: reserved(u8),
  POWER_CONDITION_MODIFIER: bits('u8', 4),
  Reserved3: reserved(bits('u8', 4)),
  START: bits('u8', 1),
  LOEJ: bits('u8', 1),                               // load/eject
  NO_FLUSH: bits('u8', 1),
  Reserved4: reserved(bits('u8', 1)),
  POWER_CONDITION: bits('u8', 4),
  CONTROL: u8,
}, { size: 6, align: 1, pack: 1 });

export const CDB_PREVENT_ALLOW_MEDIUM_REMOVAL = struct('CDB_PREVENT_ALLOW_MEDIUM_REMOVAL', {
  OPERATION_CODE: constant(u8, SCSIOP_MEDIUM_REMOVAL),
  Reserved1: reserved(bytes(3)),
  // 00b allow, 01b prevent, 10b/11b obsolete; scsi.h names bit 0 Prevent, bit 1 Persistant
  PREVENT: enumOf(bits('u8', 2), PREVENT_ALLOW_VALUES),
  Reserved2: reserved(bits('u8', 6)),
  CONTROL: u8,
}, { size: 6, align: 1, pack: 1 });

// SCSI-2 third-party and extent fields; vdisk requires them zero (layouts.md §3), hence the reserved role.
export const CDB_RESERVE6 = struct('CDB_RESERVE6', {
  OPERATION_CODE: constant(u8, SCSIOP_RESERVE_UNIT),
  Obsolete: reserved(bytes(4)),
  CONTROL: u8,
}, { size: 6, align: 1, pack: 1 });

export const CDB_RELEASE6 = struct('CDB_RELEASE6', {
  OPERATION_CODE: constant(u8, SCSIOP_RELEASE_UNIT),
  Obsolete: reserved(bytes(4)),
  CONTROL: u8,
}, { size: 6, align: 1, pack: 1 });

export const CDB_RESERVE10 = struct('CDB_RESERVE10', {
  OPERATION_CODE: constant(u8, SCSIOP_RESERVE_UNIT10),
  Obsolete1: bits('u8', 1),
  LONGID: bits('u8', 1),
  Reserved1: reserved(bits('u8', 2)),
  THIRDPTY: bits('u8', 1),                           // third-party reservation
  Reserved2: reserved(bits('u8', 3)),
  Obsolete2: u8,
  THIRD_PARTY_DEVICE_ID: u8,
  Reserved3: reserved(bytes(3)),
  PARAMETER_LIST_LENGTH: u16be,
  CONTROL: u8,
}, { size: 10, align: 1, pack: 1 });

export const CDB_RELEASE10 = struct('CDB_RELEASE10', {
  OPERATION_CODE: constant(u8, SCSIOP_RELEASE_UNIT10),
  Obsolete1: bits('u8', 1),
  LONGID: bits('u8', 1),
  Reserved1: reserved(bits('u8', 2)),
  THIRDPTY: bits('u8', 1),
  Reserved2: reserved(bits('u8', 3)),
  Obsolete2: u8,
  THIRD_PARTY_DEVICE_ID: u8,
  Reserved3: reserved(bytes(3)),
  PARAMETER_LIST_LENGTH: u16be,
  CONTROL: u8,
}, { size: 10, align: 1, pack: 1 });

export const CDB_PERSISTENT_RESERVE_IN = struct('CDB_PERSISTENT_RESERVE_IN', {
  OPERATION_CODE: constant(u8, SCSIOP_PERSISTENT_RESERVE_IN),
  // 0 READ KEYS, 1 READ RESERVATION, 2 REPORT CAPABILITIES, 3 READ FULL STATUS (same numbers as scsi.h's)
  SERVICE_ACTION: enumOf(bits('u8', 5), PR_IN_SERVICE_ACTIONS),
  Reserved1: reserved(bits('u8', 3)),
  Reserved2: reserved(bytes(5)),
  ALLOCATION_LENGTH: u16be,
  CONTROL: u8,
}, { size: 10, align: 1, pack: 1 });

export const CDB_PERSISTENT_RESERVE_OUT = struct('CDB_PERSISTENT_RESERVE_OUT', {
  OPERATION_CODE: constant(u8, SCSIOP_PERSISTENT_RESERVE_OUT),
  SERVICE_ACTION: enumOf(bits('u8', 5), PR_OUT_SERVICE_ACTIONS),
  Reserved1: reserved(bits('u8', 3)),
  TYPE: enumOf(bits('u8', 4), RESERVATION_TYPES),
  SCOPE: enumOf(bits('u8', 4), RESERVATION_SCOPES),
  Reserved2: reserved(bytes(2)),
  // SPC-4's 4-byte field; scsi.h declares only bytes 7-8 and reserves 3-6 (layouts.md §3)
  PARAMETER_LIST_LENGTH: u32be,
  CONTROL: u8,
}, { size: 10, align: 1, pack: 1 });
