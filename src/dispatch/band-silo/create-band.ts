// IOCTL_EHSTOR_BANDMGMT_CREATE_BAND (band-management.md §3.4, D6): CREATE_BAND_PARAMETERS (20) +
// BAND_LOCATION_INFO (required) + BAND_SECURITY_INFO + AUTH_KEY (the new band's key). Output: the new band
// id as a ULONG when OutputBufferLength ≥ 4.

import { STATUS_INVALID_BUFFER_SIZE, STATUS_SUCCESS } from '../../codecs/ntstatus';
import { CREATEBAND_AUTHKEY_CACHING_ENABLED } from '../../codecs/windows/constants';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { checkFixed, checkParts, keyOf, statusOf, u32, type LocationPart, type SecurityPart } from './parts';
import { openSilo } from './silo-state';

export const CREATE_BAND_PARAMETERS_SIZE = 20;

export function createBand(ctx: HandlerContext, req: IoctlRequest): IoctlResult {
  const input = req.input;
  // 2.
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  const { device, state } = silo.value;
  // 3-4. sizeof 20, StructSize, Flags ⊆ CREATEBAND_AUTHKEY_CACHING_ENABLED
  const fixed = checkFixed(input, { size: CREATE_BAND_PARAMETERS_SIZE, flagsAt: 4, allowedFlags: CREATEBAND_AUTHKEY_CACHING_ENABLED });
  if (!fixed.ok) return statusOnly(fixed.status);
  // 5. BandLocationInfoOffset @8 (required), BandSecurityInfoOffset @12, AuthKeyOffset @16
  const parts = checkParts(input, CREATE_BAND_PARAMETERS_SIZE, [
    { field: 'BandLocationInfoOffset', kind: 'location', offset: u32(input, 8), required: true },
    { field: 'BandSecurityInfoOffset', kind: 'security', offset: u32(input, 12) },
    { field: 'AuthKeyOffset', kind: 'authKey', offset: u32(input, 16) },
  ], device.capabilities());
  if (!parts.ok) return statusOnly(parts.status);
  // 6.
  const gate = device.gate(false);
  if (!gate.ok) return statusOnly(statusOf(gate.error));
  // 7-8. no selection; no current key (D6)
  // 9. overlap, table full, geometry
  const loc = parts.value['BandLocationInfoOffset'] as LocationPart;
  const sec = parts.value['BandSecurityInfoOffset'] as SecurityPart | undefined;
  const key = keyOf(parts.value, 'AuthKeyOffset');
  const pending = device.prepareCreate(loc, sec, key);
  if (!pending.ok) return statusOnly(statusOf(pending.error));
  // 10. an output buffer of 1..3 bytes cannot hold the band id
  if (req.outputLength > 0 && req.outputLength < 4) return statusOnly(STATUS_INVALID_BUFFER_SIZE);
  // 11. the atomic commit
  const done = pending.value.commit();
  if (!done.ok) return statusOnly(statusOf(done.error));
  // §4: cache the new band's key when asked and the band is not locked for both reading and writing
  const { bandId, lockedForReadAndWrite } = done.value;
  if ((fixed.value & CREATEBAND_AUTHKEY_CACHING_ENABLED) !== 0 && !lockedForReadAndWrite) {
    state.keys.set(bandId, key ?? new Uint8Array(0));
  } else {
    state.keys.delete(bandId);
  }
  if (req.outputLength === 0) return statusOnly(STATUS_SUCCESS);
  const out = Buffer.alloc(4);
  out.writeUInt32LE(bandId, 0);
  return { status: STATUS_SUCCESS, information: 4, output: out };
}
