// IOCTL_EHSTOR_BANDMGMT_DELETE_BAND (band-management.md §3.8, D11): DELETE_BAND_PARAMETERS (32) + AUTH_KEY.

import { STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../codecs/ntstatus';
import { DELBAND_ERASE_BEFORE_DELETE } from '../../codecs/windows/constants';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { checkFixed, checkParts, i64, keyOf, statusOf, u32 } from './parts';
import { selectBand } from './selection';
import { openSilo } from './silo-state';

export const DELETE_BAND_PARAMETERS_SIZE = 32;

export function deleteBand(ctx: HandlerContext, req: IoctlRequest): IoctlResult {
  const input = req.input;
  // 2.
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  const { device, state } = silo.value;
  // 3-4. sizeof 32, StructSize, Flags ⊆ DELBAND_ERASE_BEFORE_DELETE; with that flag AuthKeyOffset must be 0
  const fixed = checkFixed(input, { size: DELETE_BAND_PARAMETERS_SIZE, flagsAt: 4, allowedFlags: DELBAND_ERASE_BEFORE_DELETE });
  if (!fixed.ok) return statusOnly(fixed.status);
  const eraseFirst = (fixed.value & DELBAND_ERASE_BEFORE_DELETE) !== 0;
  const authKeyOffset = u32(input, 24);
  if (eraseFirst && authKeyOffset !== 0) return statusOnly(STATUS_INVALID_PARAMETER);
  // 5. AuthKeyOffset @24
  const caps = device.capabilities();
  const parts = checkParts(input, DELETE_BAND_PARAMETERS_SIZE,
    [{ field: 'AuthKeyOffset', kind: 'authKey', offset: authKeyOffset }], caps);
  if (!parts.ok) return statusOnly(parts.status);
  // 6.
  const gate = device.gate(false);
  if (!gate.ok) return statusOnly(statusOf(gate.error));
  // 7. BandId @12, BandStart @16
  const sel = selectBand(device.bands(), { bandId: u32(input, 12), bandStart: i64(input, 16) },
    { maxBandCount: caps.maxBandCount, sectorSize: ctx.sectorSize });
  if (!sel.ok) return statusOnly(sel.status);
  // 8-9. the band's key (or the erase credential, D11); the global band; a write-locked band
  const pending = device.prepareDelete(sel.value, keyOf(parts.value, 'AuthKeyOffset'), eraseFirst);
  if (!pending.ok) return statusOnly(statusOf(pending.error));
  // 11.
  const done = pending.value.commit();
  if (!done.ok) return statusOnly(statusOf(done.error));
  state.keys.delete(sel.value); // §4
  return statusOnly(STATUS_SUCCESS);
}
