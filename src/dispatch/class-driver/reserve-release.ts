// IOCTL_STORAGE_RESERVE / IOCTL_STORAGE_RELEASE (spec/class-driver.md §3): no checks at all, RESERVE(6) /
// RELEASE(6) with the per-path fallback to the 10-byte forms (classpnp ClassInterpretSenseInfo, end).

import { STATUS_INVALID_DEVICE_REQUEST } from '../../codecs/ntstatus';
import { IOCTL_STORAGE_RESERVE } from '../../codecs/ioctl-codes';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { CDB_RELEASE10, CDB_RELEASE6, CDB_RESERVE10, CDB_RESERVE6 } from './cdbs';

/** Both codes; which one is told by the looked-up code (aliases included). */
export function reserveRelease(ctx: HandlerContext, request: IoctlRequest): IoctlResult {
  // §3 Checks: none — input and output buffers and lengths are ignored.
  const reserve = request.storageCode === IOCTL_STORAGE_RESERVE;
  const path = ctx.path;

  // §3 CDB: the 10-byte form once FDO_HACK_NO_RESERVE6 is set for the path.
  if (path.noReserve6) return statusOnly(ctx.scsi(reserve ? CDB_RESERVE10 : CDB_RELEASE10).status);

  const first = ctx.scsi(reserve ? CDB_RESERVE6 : CDB_RELEASE6).status;
  if (first !== STATUS_INVALID_DEVICE_REQUEST) return statusOnly(first);

  // §3 Fallback: the 6-byte form was rejected → set the flag permanently (until reboot), even if the
  // 10-byte form fails too — the one host-state change a failing request may make besides §10.1's
  // (docs/decisions/host.md) — and re-send as the 10-byte form.
  path.noReserve6 = true;
  return statusOnly(ctx.scsi(reserve ? CDB_RESERVE10 : CDB_RELEASE10).status);
}
