// IOCTL_EHSTOR_BANDMGMT_SET_BAND_SECURITY (band-management.md §3.6, D4, D10): SET_BAND_SECURITY_PARAMETERS
// (40) + current AUTH_KEY + new AUTH_KEY + BAND_SECURITY_INFO, all optional.

import { STATUS_SUCCESS } from '../../codecs/ntstatus';
import { SETBANDSEC_AUTHKEY_CACHING_ENABLED } from '../../codecs/windows/constants';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { checkFixed, checkParts, i64, keyOf, statusOf, u32, type SecurityPart } from './parts';
import { selectBand } from './selection';
import { openSilo } from './silo-state';

export const SET_BAND_SECURITY_PARAMETERS_SIZE = 40;

export function setBandSecurity(ctx: HandlerContext, req: IoctlRequest): IoctlResult {
  const input = req.input;
  // 2.
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  const { device, state } = silo.value;
  // 3-4. sizeof 40, StructSize, Flags ⊆ SETBANDSEC_AUTHKEY_CACHING_ENABLED
  const fixed = checkFixed(input, { size: SET_BAND_SECURITY_PARAMETERS_SIZE, flagsAt: 4, allowedFlags: SETBANDSEC_AUTHKEY_CACHING_ENABLED });
  if (!fixed.ok) return statusOnly(fixed.status);
  // 5. CurrentAuthKeyOffset @24, NewAuthKeyOffset @28 (may equal the current one), BandSecurityInfoOffset @32
  const caps = device.capabilities();
  const currentOffset = u32(input, 24);
  const newOffset = u32(input, 28);
  const parts = checkParts(input, SET_BAND_SECURITY_PARAMETERS_SIZE, [
    { field: 'CurrentAuthKeyOffset', kind: 'authKey', offset: currentOffset },
    { field: 'NewAuthKeyOffset', kind: 'authKey', offset: newOffset },
    { field: 'BandSecurityInfoOffset', kind: 'security', offset: u32(input, 32) },
  ], caps, ['CurrentAuthKeyOffset', 'NewAuthKeyOffset']);
  if (!parts.ok) return statusOnly(parts.status);
  // 6.
  const gate = device.gate(false);
  if (!gate.ok) return statusOnly(statusOf(gate.error));
  // 7. BandId @12, BandStart @16
  const sel = selectBand(device.bands(), { bandId: u32(input, 12), bandStart: i64(input, 16) },
    { maxBandCount: caps.maxBandCount, sectorSize: ctx.sectorSize });
  if (!sel.ok) return statusOnly(sel.status);
  // 8. the current key (0 = the default key, D4). A new key only when NewAuthKeyOffset is neither 0 (no
  // change, D4) nor CurrentAuthKeyOffset (the "notify" case, D10); KeySize 0 there = back to the default.
  const currentKey = keyOf(parts.value, 'CurrentAuthKeyOffset');
  const changesKey = newOffset !== 0 && newOffset !== currentOffset;
  const newKey = changesKey ? keyOf(parts.value, 'NewAuthKeyOffset') : undefined;
  const pending = device.prepareSetSecurity(sel.value, currentKey, changesKey ? { key: newKey } : undefined,
    parts.value['BandSecurityInfoOffset'] as SecurityPart | undefined);
  if (!pending.ok) return statusOnly(statusOf(pending.error));
  // 9-10. nothing more. 11. the atomic commit
  const done = pending.value.commit();
  if (!done.ok) return statusOnly(statusOf(done.error));
  // §4: with the flag, cache the key as it stands now (unless locked for reading and writing); without
  // it, a changed key invalidates the entry; the notify case without the flag only authenticated (D10).
  const { bandId, lockedForReadAndWrite } = done.value;
  const standing = (changesKey ? newKey : currentKey) ?? new Uint8Array(0);
  if ((fixed.value & SETBANDSEC_AUTHKEY_CACHING_ENABLED) !== 0) {
    if (lockedForReadAndWrite) state.keys.delete(bandId);
    else state.keys.set(bandId, standing);
  } else if (changesKey) {
    state.keys.delete(bandId);
  }
  return statusOnly(STATUS_SUCCESS);
}
