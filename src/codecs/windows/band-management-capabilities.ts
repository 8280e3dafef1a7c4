// ehstorbandmgmt.h BAND_MANAGEMENT_CAPABILITIES — layouts.md §2: size 40, alignment 8.
// Output of IOCTL_EHSTOR_BANDMGMT_QUERY_CAPABILITIES.

import { flags, structSize, struct, u32le, u64le } from '../layout';
import { CAPS_FLAGS } from './constants';

export const BAND_MANAGEMENT_CAPABILITIES = struct('BAND_MANAGEMENT_CAPABILITIES', {
  StructSize: structSize(u32le),                     // 40
  Capabilities: flags(u32le, CAPS_FLAGS),
  // 0 or MEDIAKEY_PROTECTEDBY_*; a ULONGLONG, and the enum role takes 32-bit kinds only, so no role here.
  KeyProtectionMechanism: u64le,
  MinAuthKeyLength: u32le,
  MaxAuthKeyLength: u32le,
  MaxBandCount: u32le,                               // counts the global band
  MaxSimultaneousReencryptionCount: u32le,           // 0 = no hardware re-encryption
  BandMetadataSize: u32le,                           // bytes of per-band metadata store
}, { size: 40, align: 8 });                          // bytes 36-39: tail padding
