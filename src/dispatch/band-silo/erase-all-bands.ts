// IOCTL_EHSTOR_BANDMGMT_ERASE_ALL_BANDS (band-management.md §3.8, D8): no input, no output. Every
// configured band, ascending, each its own erase and commit; returns the first failing band's status.

import { STATUS_SUCCESS } from '../../codecs/ntstatus';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { statusOf } from './parts';
import { openSilo } from './silo-state';

export function eraseAllBands(ctx: HandlerContext, _req: IoctlRequest): IoctlResult {
  // 2.
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  const { device, state } = silo.value;
  // 3-5. no input structure (its input buffer is ignored)
  // 6.
  const gate = device.gate(false);
  if (!gate.ok) return statusOnly(statusOf(gate.error));
  // 8-11 per band (D8): continue after a failure, report the first
  let first: number | undefined;
  for (const { bandId, result } of device.eraseAll()) {
    if (result.ok) state.keys.delete(bandId); // §4: each erased band's entry goes
    else first ??= statusOf(result.error);
  }
  return statusOnly(first ?? STATUS_SUCCESS);
}
