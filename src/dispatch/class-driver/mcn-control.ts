// IOCTL_STORAGE_MCN_CONTROL (spec/class-driver.md §6; classpnp autorun.c ClasspMcnControl). No SCSI command:
// only the handle's McnDisableCount is observable, since vdisk models no media-change polling.

import { STATUS_INFO_LENGTH_MISMATCH, STATUS_INVALID_DEVICE_STATE, STATUS_SUCCESS } from '../../codecs/ntstatus';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { ulongDec, ulongInc } from './path-state';

export function mcnControl(ctx: HandlerContext, request: IoctlRequest): IoctlResult {
  // 1. InputBufferLength < sizeof(PREVENT_MEDIA_REMOVAL) = 1.
  if (request.input.length < 1) return statusOnly(STATUS_INFO_LENGTH_MISMATCH);
  const handle = ctx.handle;
  // 2. Non-zero byte: disable notification, McnDisableCount++.
  if (request.input[0] !== 0) {
    handle.mcnDisableCount = ulongInc(handle.mcnDisableCount);
    return statusOnly(STATUS_SUCCESS);
  }
  // 3. Zero byte with nothing disabled by this handle.
  if (handle.mcnDisableCount === 0) return statusOnly(STATUS_INVALID_DEVICE_STATE);
  // 4. Zero byte otherwise: re-enable.
  handle.mcnDisableCount = ulongDec(handle.mcnDisableCount);
  return statusOnly(STATUS_SUCCESS);
}
