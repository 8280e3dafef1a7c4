// IOCTL_STORAGE_FIND_NEW_DEVICES (spec/class-driver.md §6): asks PnP to re-enumerate the bus; buffers
// ignored; vdisk has nothing to enumerate, so STATUS_SUCCESS, Information 0, no effect, no SCSI command.

import { STATUS_SUCCESS } from '../../codecs/ntstatus';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';

const SUCCESS = statusOnly(STATUS_SUCCESS);

export function findNewDevices(_ctx: HandlerContext, _request: IoctlRequest): IoctlResult {
  return SUCCESS;
}
