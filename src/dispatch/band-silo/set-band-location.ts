// IOCTL_EHSTOR_BANDMGMT_SET_BAND_LOCATION (band-management.md §3.5): SET_BAND_LOCATION_PARAMETERS (24) +
// AUTH_KEY (the band's key) + BAND_LOCATION_INFO (required).

import { STATUS_SUCCESS } from '../../codecs/ntstatus';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { checkFixed, checkParts, i64, keyOf, statusOf, u32, type LocationPart } from './parts';
import { selectBand } from './selection';
import { openSilo } from './silo-state';

export const SET_BAND_LOCATION_PARAMETERS_SIZE = 24;

export function setBandLocation(ctx: HandlerContext, req: IoctlRequest): IoctlResult {
  const input = req.input;
  // 2.
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  const { device } = silo.value;
  // 3-4. sizeof 24, StructSize (no Flags member)
  const fixed = checkFixed(input, { size: SET_BAND_LOCATION_PARAMETERS_SIZE });
  if (!fixed.ok) return statusOnly(fixed.status);
  // 5. AuthKeyOffset @16, BandLocationInfoOffset @20 (required)
  const caps = device.capabilities();
  const parts = checkParts(input, SET_BAND_LOCATION_PARAMETERS_SIZE, [
    { field: 'AuthKeyOffset', kind: 'authKey', offset: u32(input, 16) },
    { field: 'BandLocationInfoOffset', kind: 'location', offset: u32(input, 20), required: true },
  ], caps);
  if (!parts.ok) return statusOnly(parts.status);
  // 6.
  const gate = device.gate(false);
  if (!gate.ok) return statusOnly(statusOf(gate.error));
  // 7. BandId @4, BandStart @8
  const sel = selectBand(device.bands(), { bandId: u32(input, 4), bandStart: i64(input, 8) },
    { maxBandCount: caps.maxBandCount, sectorSize: ctx.sectorSize });
  if (!sel.ok) return statusOnly(sel.status);
  // 8-9. the band's key; overlap, geometry, the global band's (0, −1)
  const pending = device.prepareSetLocation(sel.value, keyOf(parts.value, 'AuthKeyOffset'),
    parts.value['BandLocationInfoOffset'] as LocationPart);
  if (!pending.ok) return statusOnly(statusOf(pending.error));
  // 10. no output. 11. the atomic commit
  const done = pending.value.commit();
  return statusOnly(done.ok ? STATUS_SUCCESS : statusOf(done.error));
}
