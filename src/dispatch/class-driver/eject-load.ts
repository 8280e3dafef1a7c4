// IOCTL_STORAGE_EJECT_MEDIA / LOAD_MEDIA / LOAD_MEDIA2 (spec/class-driver.md §4).

import { STATUS_DEVICE_BUSY } from '../../codecs/ntstatus';
import { IOCTL_STORAGE_EJECT_MEDIA } from '../../codecs/ioctl-codes';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { CDB_EJECT, CDB_LOAD } from './cdbs';

export function ejectLoad(ctx: HandlerContext, request: IoctlRequest): IoctlResult {
  // 1. PagingPathCount ≠ 0 → STATUS_FILES_OPEN: never in vdisk (no paging files).
  // 2. Any secure lock on this path (the caller's own included) → STATUS_DEVICE_BUSY. The simple lock
  //    count is not checked here: with only a simple lock the device itself refuses the eject (53h/02h).
  if (ctx.path.protectedLockCount !== 0) return statusOnly(STATUS_DEVICE_BUSY);
  // 3. START STOP UNIT, no media-present or removable check first. 4. Result per §10.
  const eject = request.storageCode === IOCTL_STORAGE_EJECT_MEDIA;
  return statusOnly(ctx.scsi(eject ? CDB_EJECT : CDB_LOAD).status);
}
