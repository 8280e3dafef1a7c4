// IOCTL_EHSTOR_BANDMGMT_ERASE_BAND (band-management.md §3.8, D7): ERASE_BAND_PARAMETERS (32) + AUTH_KEY
// (the band's key after the erase).

import { STATUS_SUCCESS } from '../../codecs/ntstatus';
import { ERASEBAND_AUTHKEY_CACHING_ENABLED } from '../../codecs/windows/constants';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { checkFixed, checkParts, i64, keyOf, statusOf, u32 } from './parts';
import { selectBand } from './selection';
import { openSilo } from './silo-state';

export const ERASE_BAND_PARAMETERS_SIZE = 32;

export function eraseBand(ctx: HandlerContext, req: IoctlRequest): IoctlResult {
  const input = req.input;
  // 2.
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  const { device, state } = silo.value;
  // 3-4. sizeof 32, StructSize, Flags ⊆ ERASEBAND_AUTHKEY_CACHING_ENABLED
  const fixed = checkFixed(input, { size: ERASE_BAND_PARAMETERS_SIZE, flagsAt: 4, allowedFlags: ERASEBAND_AUTHKEY_CACHING_ENABLED });
  if (!fixed.ok) return statusOnly(fixed.status);
  // 5. NewAuthKeyOffset @24
  const caps = device.capabilities();
  const parts = checkParts(input, ERASE_BAND_PARAMETERS_SIZE,
    [{ field: 'NewAuthKeyOffset', kind: 'authKey', offset: u32(input, 24) }], caps);
  if (!parts.ok) return statusOnly(parts.status);
  // 6.
  const gate = device.gate(false);
  if (!gate.ok) return statusOnly(statusOf(gate.error));
  // 7. BandId @12, BandStart @16 (the global band may be erased)
  const sel = selectBand(device.bands(), { bandId: u32(input, 12), bandStart: i64(input, 16) },
    { maxBandCount: caps.maxBandCount, sectorSize: ctx.sectorSize });
  if (!sel.ok) return statusOnly(sel.status);
  // 8. the erase credential with the default key (D7)
  const newKey = keyOf(parts.value, 'NewAuthKeyOffset');
  const pending = device.prepareErase(sel.value, newKey);
  if (!pending.ok) return statusOnly(statusOf(pending.error));
  // 11.
  const done = pending.value.commit();
  if (!done.ok) return statusOnly(statusOf(done.error));
  // §4: the erased band is PERSISTENT_UNLOCK, so with the flag its new key is cached; without, the key changed
  if ((fixed.value & ERASEBAND_AUTHKEY_CACHING_ENABLED) !== 0) state.keys.set(sel.value, newKey ?? new Uint8Array(0));
  else state.keys.delete(sel.value);
  return statusOnly(STATUS_SUCCESS);
}
