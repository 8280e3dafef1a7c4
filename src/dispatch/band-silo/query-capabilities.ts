// IOCTL_EHSTOR_BANDMGMT_QUERY_CAPABILITIES (band-management.md §3.1): no input structure, no step 6 — it
// answers in every activation state and, from the values the silo has read, even while the device is off
// (§3 rules for steps 6+). Output BAND_MANAGEMENT_CAPABILITIES (layouts.md §2, 40 bytes).

import { STATUS_SUCCESS } from '../../codecs/ntstatus';
import type { Capabilities } from '../../device/security/security-subsystem';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { sizeQuery } from './parts';
import { openSilo } from './silo-state';

export const BAND_MANAGEMENT_CAPABILITIES_SIZE = 40;

/** BAND_MANAGEMENT_CAPABILITIES (layouts.md §2): offsets 0, 4, 8 (ULONGLONG), 16, 20, 24, 28, 32; 36-39 padding. */
export function encodeCapabilities(c: Capabilities): Uint8Array {
  const b = Buffer.alloc(BAND_MANAGEMENT_CAPABILITIES_SIZE);
  b.writeUInt32LE(BAND_MANAGEMENT_CAPABILITIES_SIZE, 0);
  b.writeUInt32LE(c.capabilities >>> 0, 4);
  b.writeBigUInt64LE(BigInt(c.keyProtectionMechanism), 8);
  b.writeUInt32LE(c.minAuthKeyLength >>> 0, 16);
  b.writeUInt32LE(c.maxAuthKeyLength >>> 0, 20);
  b.writeUInt32LE(c.maxBandCount >>> 0, 24);
  b.writeUInt32LE(c.maxSimultaneousReencryptionCount, 28);
  b.writeUInt32LE(c.bandMetadataSize >>> 0, 32);
  return b;
}

export function queryCapabilities(ctx: HandlerContext, req: IoctlRequest): IoctlResult {
  // 2. no band management / relinquished → STATUS_INVALID_DEVICE_REQUEST
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  // 3-9. no input structure (its input buffer is ignored), no activation gate, no selection.
  // 10. size query
  const early = sizeQuery(req.outputLength, BAND_MANAGEMENT_CAPABILITIES_SIZE);
  if (early) return early;
  return {
    status: STATUS_SUCCESS,
    information: BAND_MANAGEMENT_CAPABILITIES_SIZE,
    output: encodeCapabilities(silo.value.device.capabilities()),
  };
}
