// ntddstor.h PREVENT_MEDIA_REMOVAL — layouts.md §1: size 1, alignment 1.
// Input of IOCTL_STORAGE_MEDIA_REMOVAL, _EJECTION_CONTROL and _MCN_CONTROL.

import { struct, u8 } from '../layout';

export const PREVENT_MEDIA_REMOVAL = struct('PREVENT_MEDIA_REMOVAL', {
  PreventMediaRemoval: u8,                           // BOOLEAN: any non-zero byte means "lock" (class-driver.md §5)
}, { size: 1, align: 1 });
