// IOCTL_EHSTOR_BANDMGMT_REVERT (band-management.md §3.2, D5): ACTIVATE_REVERT_PARAMETERS (12) + AUTH_KEY.

import { STATUS_SUCCESS } from '../../codecs/ntstatus';
import { REVERT_PSID_AUTHKEY } from '../../codecs/windows/constants';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { ACTIVATE_REVERT_PARAMETERS_SIZE } from './activate';
import { checkFixed, checkParts, keyOf, statusOf, u32 } from './parts';
import { openSilo } from './silo-state';

export function revert(ctx: HandlerContext, req: IoctlRequest): IoctlResult {
  const input = req.input;
  // 2.
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  const { device, state } = silo.value;
  // 3-4. sizeof 12, StructSize, Flags ⊆ REVERT_PSID_AUTHKEY
  const fixed = checkFixed(input, { size: ACTIVATE_REVERT_PARAMETERS_SIZE, flagsAt: 4, allowedFlags: REVERT_PSID_AUTHKEY });
  if (!fixed.ok) return statusOnly(fixed.status);
  // 5. AuthKeyOffset @8
  const parts = checkParts(input, ACTIVATE_REVERT_PARAMETERS_SIZE,
    [{ field: 'AuthKeyOffset', kind: 'authKey', offset: u32(input, 8) }], device.capabilities());
  if (!parts.ok) return statusOnly(parts.status);
  // 6. not activated → STATUS_INVALID_DEVICE_STATE
  const gate = device.gate(false);
  if (!gate.ok) return statusOnly(statusOf(gate.error));
  // 8 + 11. SID, or PSID with REVERT_PSID_AUTHKEY; crypto-erase everything
  const r = device.revert(keyOf(parts.value, 'AuthKeyOffset'), (fixed.value & REVERT_PSID_AUTHKEY) !== 0);
  if (!r.ok) return statusOnly(statusOf(r.error));
  state.keys.clear(); // §3.2, §4: REVERT drops the issuing path's cache (every band)
  return statusOnly(STATUS_SUCCESS);
}
