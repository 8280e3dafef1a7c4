// IOCTL_EHSTOR_BANDMGMT_GET_BAND_METADATA (band-management.md §3.7, §1.4 item 4): GET_BAND_METADATA_PARAMETERS
// (24) in; MetadataSize bytes of the band's metadata store out, Information = MetadataSize.

import { STATUS_INVALID_BUFFER_SIZE, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../codecs/ntstatus';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { checkFixed, i64, statusOf, u32 } from './parts';
import { selectBand } from './selection';
import { openSilo } from './silo-state';

export const GET_BAND_METADATA_PARAMETERS_SIZE = 24;

export function getBandMetadata(ctx: HandlerContext, req: IoctlRequest): IoctlResult {
  const input = req.input;
  // 2.
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  const { device } = silo.value;
  // 3-4. sizeof 24, StructSize (no Flags member); 5. no variable parts (MetadataOffset is not a buffer offset)
  const fixed = checkFixed(input, { size: GET_BAND_METADATA_PARAMETERS_SIZE });
  if (!fixed.ok) return statusOnly(fixed.status);
  // 6.
  const gate = device.gate(false);
  if (!gate.ok) return statusOnly(statusOf(gate.error));
  // 7. BandId @4, BandStart @8
  const caps = device.capabilities();
  const sel = selectBand(device.bands(), { bandId: u32(input, 4), bandStart: i64(input, 8) },
    { maxBandCount: caps.maxBandCount, sectorSize: ctx.sectorSize });
  if (!sel.ok) return statusOnly(sel.status);
  // 8-9. no authentication
  // 10. the output must hold MetadataSize bytes; MetadataOffset + MetadataSize must fit the store (exact sum)
  const metadataOffset = u32(input, 16);
  const metadataSize = u32(input, 20);
  if (req.outputLength < metadataSize) return statusOnly(STATUS_INVALID_BUFFER_SIZE);
  if (metadataOffset + metadataSize > caps.bandMetadataSize) return statusOnly(STATUS_INVALID_PARAMETER);
  if (metadataSize === 0) return statusOnly(STATUS_SUCCESS);
  // reading the band reaches it at the device (a band failure → STATUS_IO_DEVICE_ERROR)
  const data = device.readMetadata(sel.value, metadataOffset, metadataSize);
  if (!data.ok) return statusOnly(statusOf(data.error));
  return { status: STATUS_SUCCESS, information: metadataSize, output: data.value };
}
