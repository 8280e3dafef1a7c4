// IOCTL_EHSTOR_BANDMGMT_ACTIVATE (band-management.md §3.2, D5): ACTIVATE_REVERT_PARAMETERS (12) + AUTH_KEY.

import { STATUS_SUCCESS } from '../../codecs/ntstatus';
import { ACTIVATE_DISABLE_SID, ACTIVATE_IGNORE_POLICY } from '../../codecs/windows/constants';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { checkFixed, checkParts, keyOf, statusOf, u32 } from './parts';
import { openSilo } from './silo-state';

export const ACTIVATE_REVERT_PARAMETERS_SIZE = 12;

export function activate(ctx: HandlerContext, req: IoctlRequest): IoctlResult {
  const input = req.input;
  // 2. no band management / relinquished
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  const { device } = silo.value;
  // 3-4. sizeof 12, StructSize, Flags ⊆ ACTIVATE_DISABLE_SID | ACTIVATE_IGNORE_POLICY
  const fixed = checkFixed(input, { size: ACTIVATE_REVERT_PARAMETERS_SIZE, flagsAt: 4, allowedFlags: ACTIVATE_DISABLE_SID | ACTIVATE_IGNORE_POLICY });
  if (!fixed.ok) return statusOnly(fixed.status);
  // 5. AuthKeyOffset @8 → AUTH_KEY
  const parts = checkParts(input, ACTIVATE_REVERT_PARAMETERS_SIZE,
    [{ field: 'AuthKeyOffset', kind: 'authKey', offset: u32(input, 8) }], device.capabilities());
  if (!parts.ok) return statusOnly(parts.status);
  // 6. an activated device → STATUS_INVALID_DEVICE_STATE (off → STATUS_IO_DEVICE_ERROR)
  const gate = device.gate(true);
  if (!gate.ok) return statusOnly(statusOf(gate.error));
  // 8 + 11. SID authentication, then the commit. ACTIVATE_IGNORE_POLICY changes nothing (no Group Policy).
  const r = device.activate(keyOf(parts.value, 'AuthKeyOffset'), (fixed.value & ACTIVATE_DISABLE_SID) !== 0);
  return statusOnly(r.ok ? STATUS_SUCCESS : statusOf(r.error));
}
