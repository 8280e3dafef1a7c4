// The context a handler acts through (handler.ts HandlerContext): one per handle, built when the handle is
// opened and reused for every request on it, so dispatch allocates nothing for it (io-manager.md §1: a
// handle reaches the device through one initiator, whose path state it shares with that path's handles).

import type {
  HandleState, HandlerContext, HostDevice, PathState, ScsiCompletion, ScsiOptions,
} from './handler';
import { sendCommand } from './class-driver/scsi-port';

export class HandleContext implements HandlerContext {
  constructor(
    readonly handle: HandleState,
    readonly path: PathState,
    readonly device: HostDevice,
    readonly removable: boolean,
    readonly sectorSize: number,
  ) {}

  scsi(cdb: Uint8Array, options?: ScsiOptions): ScsiCompletion {
    return sendCommand(this.device, this.path, cdb, options?.dataOut, options?.dataInLength ?? 0);
  }
}
