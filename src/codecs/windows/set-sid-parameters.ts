// ehstorbandmgmt.h SET_SID_PARAMETERS — layouts.md §2: size 12, alignment 4 (SDK 10.0.22000 only).
// Declared for IOCTL_EHSTOR_BANDMGMT_SET_SID, which vdisk does not implement (ioctl-codes.md §5).

import { offsetTo, structSize, struct, u32le } from '../layout';
import { AUTH_KEY } from './auth-key';

export const SET_SID_PARAMETERS = struct('SET_SID_PARAMETERS', {
  StructSize: structSize(u32le),                     // 12
  CurrentSidPinOffset: offsetTo(u32le, () => AUTH_KEY), // base undocumented (UNVERIFIED); vdisk: structure start
  NewSidPinOffset: offsetTo(u32le, () => AUTH_KEY),
}, { size: 12, align: 4 });
