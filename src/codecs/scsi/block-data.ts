// Parameter data of INQUIRY and READ CAPACITY (layouts.md §3; SPC-4, SBC-3): packed, big-endian.

import { ascii, bits, bytes, reserved, struct, u32be, u64be, u8 } from '../layout';

export const INQUIRY_STANDARD_DATA = struct('INQUIRY_STANDARD_DATA', {
  PERIPHERAL_DEVICE_TYPE: bits('u8', 5),             // 00h = direct-access block device
  PERIPHERAL_QUALIFIER: bits('u8', 3),               // 000b = connected
  Reserved: reserved(bits('u8', 7)),
  RMB: bits('u8', 1),                                // removable medium
  VERSION: u8,                                       // 06h = SPC-4
  RESPONSE_DATA_FORMAT: bits('u8', 4),               // 2
  HISUP: bits('u8', 1),
  NORMACA: bits('u8', 1),
  Obsolete: bits('u8', 2),
  ADDITIONAL_LENGTH: u8,                             // n − 4 = 31
  Flags5: u8,                                        // SCCS, ACC, TPGS, 3PC, PROTECT
  Flags6: u8,                                        // ENCSERV, MULTIP, …
  Flags7: u8,                                        // bit 1 CMDQUE
  T10_VENDOR_IDENTIFICATION: ascii(8),               // space-padded (the encoder pads with spaces)
  PRODUCT_IDENTIFICATION: ascii(16),
  PRODUCT_REVISION_LEVEL: ascii(4),
}, { size: 36, align: 1, pack: 1 });

export const READ_CAPACITY10_DATA = struct('READ_CAPACITY10_DATA', {
  RETURNED_LOGICAL_BLOCK_ADDRESS: u32be,             // last LBA; FFFFFFFFh if it does not fit
  LOGICAL_BLOCK_LENGTH: u32be,                       // sector size in bytes
}, { size: 8, align: 1, pack: 1 });

export const READ_CAPACITY16_DATA = struct('READ_CAPACITY16_DATA', {
  RETURNED_LOGICAL_BLOCK_ADDRESS: u64be,             // last LBA
  LOGICAL_BLOCK_LENGTH: u32be,
  PROT_EN: bits('u8', 1),
  P_TYPE: bits('u8', 3),
  Reserved1: reserved(bits('u8', 4)),                // SBC-4: bits 4-5 RC BASIS
  LOGICAL_BLOCKS_PER_PHYSICAL_BLOCK_EXPONENT: bits('u8', 4),
  P_I_EXPONENT: bits('u8', 4),
  LOWEST_ALIGNED_LBA_MSB: bits('u8', 6),
  LBPRZ: bits('u8', 1),
  LBPME: bits('u8', 1),
  LOWEST_ALIGNED_LBA_LSB: u8,
  Reserved2: reserved(bytes(16)),
}, { size: 32, align: 1, pack: 1 });
