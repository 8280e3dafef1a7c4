// IOCTL_EHSTOR_BANDMGMT_SET_BAND_METADATA (band-management.md §3.7): SET_BAND_METADATA_PARAMETERS (32) +
// MetadataSize bytes at BufferOffset (required when MetadataSize > 0) + AUTH_KEY (the band's key).

import { STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../codecs/ntstatus';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { checkFixed, checkParts, i64, keyOf, statusOf, u32, type BytesPart } from './parts';
import { selectBand } from './selection';
import { openSilo } from './silo-state';

export const SET_BAND_METADATA_PARAMETERS_SIZE = 32;

export function setBandMetadata(ctx: HandlerContext, req: IoctlRequest): IoctlResult {
  const input = req.input;
  // 2.
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  const { device } = silo.value;
  // 3-4. sizeof 32, StructSize (no Flags member)
  const fixed = checkFixed(input, { size: SET_BAND_METADATA_PARAMETERS_SIZE });
  if (!fixed.ok) return statusOnly(fixed.status);
  // 5. BufferOffset @24 → MetadataSize @20 bytes (required when MetadataSize > 0), AuthKeyOffset @28
  const caps = device.capabilities();
  const metadataOffset = u32(input, 16);
  const metadataSize = u32(input, 20);
  const parts = checkParts(input, SET_BAND_METADATA_PARAMETERS_SIZE, [
    { field: 'BufferOffset', kind: 'bytes', offset: u32(input, 24), length: metadataSize, required: metadataSize > 0 },
    { field: 'AuthKeyOffset', kind: 'authKey', offset: u32(input, 28) },
  ], caps);
  if (!parts.ok) return statusOnly(parts.status);
  // 6.
  const gate = device.gate(false);
  if (!gate.ok) return statusOnly(statusOf(gate.error));
  // 7. BandId @4, BandStart @8
  const sel = selectBand(device.bands(), { bandId: u32(input, 4), bandStart: i64(input, 8) },
    { maxBandCount: caps.maxBandCount, sectorSize: ctx.sectorSize });
  if (!sel.ok) return statusOnly(sel.status);
  const data = (parts.value['BufferOffset'] as BytesPart | undefined)?.bytes ?? new Uint8Array(0);
  // 8. the band's key (§1.4 item 8: ACCESS_DENIED though the page lists none). The device checks the store
  // range (step 10) after authenticating and refuses to prepare a write outside it; the silo states it too.
  const pending = device.prepareSetMetadata(sel.value, keyOf(parts.value, 'AuthKeyOffset'), metadataOffset, data);
  if (!pending.ok) return statusOnly(statusOf(pending.error));
  // 10. MetadataOffset + MetadataSize > BandMetadataSize → STATUS_INVALID_PARAMETER (exact sum)
  if (metadataOffset + metadataSize > caps.bandMetadataSize) return statusOnly(STATUS_INVALID_PARAMETER);
  // 11.
  const done = pending.value.commit();
  return statusOnly(done.ok ? STATUS_SUCCESS : statusOf(done.error));
}
