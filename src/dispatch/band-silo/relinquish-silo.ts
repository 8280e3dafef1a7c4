// IOCTL_EHSTOR_TCGDRV_RELINQUISH_SILO (band-management.md §3.9): not a BANDMGMT code, so only D2 steps 1-2
// apply. Works in every activation state and while the device is off; changes nothing on the device.

import { STATUS_SUCCESS } from '../../codecs/ntstatus';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { openSilo } from './silo-state';

export function relinquishSilo(ctx: HandlerContext, _req: IoctlRequest): IoctlResult {
  // 2. no band management, or this path's silo already relinquished → STATUS_INVALID_DEVICE_REQUEST
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  // relinquished until the next reboot (a power cycle does not restart the host's device stack)
  silo.value.state.relinquished = true;
  return statusOnly(STATUS_SUCCESS);
}
