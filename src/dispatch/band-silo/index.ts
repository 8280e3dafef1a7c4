// The band-management silo's rows of the dispatch table (ARCHITECTURE.md "band silo"), its per-path
// state, and — as data the fuzz oracle reads — the statuses each code may return (band-management.md D12).

import type { IoctlName } from '../../codecs/ioctl-codes';
import type { Layout } from '../../codecs/layout';
import { layouts } from '../../codecs/layouts';
import type { NtStatusName } from '../../codecs/ntstatus';
import { registerIoctls, type RegisterResult } from '../dispatcher';
import type { IoctlEntry } from '../handler';
import { registerPathExtension } from '../path-extensions';
import { activate } from './activate';
import { createBand } from './create-band';
import { deleteBand } from './delete-band';
import { enumerateBands } from './enumerate-bands';
import { eraseAllBands } from './erase-all-bands';
import { eraseBand } from './erase-band';
import { getBandMetadata } from './get-band-metadata';
import { queryCapabilities } from './query-capabilities';
import { relinquishSilo } from './relinquish-silo';
import { revert } from './revert';
import { setBandLocation } from './set-band-location';
import { setBandMetadata } from './set-band-metadata';
import { setBandSecurity } from './set-band-security';
import { BAND_SILO_EXTENSION } from './silo-state';

export type BandCodeName =
  | 'IOCTL_EHSTOR_BANDMGMT_QUERY_CAPABILITIES' | 'IOCTL_EHSTOR_BANDMGMT_ACTIVATE' | 'IOCTL_EHSTOR_BANDMGMT_REVERT'
  | 'IOCTL_EHSTOR_BANDMGMT_ENUMERATE_BANDS' | 'IOCTL_EHSTOR_BANDMGMT_CREATE_BAND'
  | 'IOCTL_EHSTOR_BANDMGMT_SET_BAND_LOCATION' | 'IOCTL_EHSTOR_BANDMGMT_SET_BAND_SECURITY'
  | 'IOCTL_EHSTOR_BANDMGMT_GET_BAND_METADATA' | 'IOCTL_EHSTOR_BANDMGMT_SET_BAND_METADATA'
  | 'IOCTL_EHSTOR_BANDMGMT_DELETE_BAND' | 'IOCTL_EHSTOR_BANDMGMT_ERASE_BAND'
  | 'IOCTL_EHSTOR_BANDMGMT_ERASE_ALL_BANDS' | 'IOCTL_EHSTOR_TCGDRV_RELINQUISH_SILO';

// The `input`/`output` columns name the structures for the CLI, scenario parser and fuzzer; the handlers read
// their few header fields directly at the layouts.md offsets (parts.ts) so the D2 order stays explicit.
const L = (l: unknown): Layout<unknown> => l as Layout<unknown>;
export const BAND_IOCTLS = Object.freeze({
  IOCTL_EHSTOR_BANDMGMT_QUERY_CAPABILITIES: { handler: queryCapabilities, output: L(layouts.BAND_MANAGEMENT_CAPABILITIES) },
  IOCTL_EHSTOR_BANDMGMT_ACTIVATE:           { handler: activate,          input: L(layouts.ACTIVATE_REVERT_PARAMETERS) },
  IOCTL_EHSTOR_BANDMGMT_REVERT:             { handler: revert,            input: L(layouts.ACTIVATE_REVERT_PARAMETERS) },
  IOCTL_EHSTOR_BANDMGMT_ENUMERATE_BANDS:    { handler: enumerateBands,    input: L(layouts.ENUMERATE_BANDS_PARAMETERS), output: L(layouts.BAND_TABLE) },
  IOCTL_EHSTOR_BANDMGMT_CREATE_BAND:        { handler: createBand,        input: L(layouts.CREATE_BAND_PARAMETERS) },
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_LOCATION:  { handler: setBandLocation,   input: L(layouts.SET_BAND_LOCATION_PARAMETERS) },
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_SECURITY:  { handler: setBandSecurity,   input: L(layouts.SET_BAND_SECURITY_PARAMETERS) },
  IOCTL_EHSTOR_BANDMGMT_GET_BAND_METADATA:  { handler: getBandMetadata,   input: L(layouts.GET_BAND_METADATA_PARAMETERS) },
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_METADATA:  { handler: setBandMetadata,   input: L(layouts.SET_BAND_METADATA_PARAMETERS) },
  IOCTL_EHSTOR_BANDMGMT_DELETE_BAND:        { handler: deleteBand,        input: L(layouts.DELETE_BAND_PARAMETERS) },
  IOCTL_EHSTOR_BANDMGMT_ERASE_BAND:         { handler: eraseBand,         input: L(layouts.ERASE_BAND_PARAMETERS) },
  IOCTL_EHSTOR_BANDMGMT_ERASE_ALL_BANDS:    { handler: eraseAllBands },
  IOCTL_EHSTOR_TCGDRV_RELINQUISH_SILO:      { handler: relinquishSilo },
} satisfies Record<BandCodeName, IoctlEntry> & Partial<Record<IoctlName, IoctlEntry>>);

// D12: the page's documented statuses (§1.3) ∪ the statuses D2 names for the code ∪ STATUS_ACCESS_DENIED
// (I/O manager) ∪ STATUS_INVALID_DEVICE_STATE (step 6) ∪ STATUS_IO_DEVICE_ERROR (device off).
const COMMON: readonly NtStatusName[] = ['STATUS_ACCESS_DENIED', 'STATUS_INVALID_DEVICE_STATE', 'STATUS_IO_DEVICE_ERROR'];
const PARAMS: readonly NtStatusName[] = [
  'STATUS_SUCCESS', 'STATUS_INVALID_DEVICE_REQUEST', 'STATUS_INVALID_BUFFER_SIZE', 'STATUS_INVALID_PARAMETER',
];
const set = (...xs: (readonly NtStatusName[] | NtStatusName)[]): NtStatusName[] => [...new Set(xs.flat())];

export const BAND_STATUSES: Readonly<Record<BandCodeName, readonly NtStatusName[]>> = Object.freeze({
  // D12 lists IO_DEVICE_ERROR for QUERY_CAPABILITIES too, although §3's rules let it answer while off.
  IOCTL_EHSTOR_BANDMGMT_QUERY_CAPABILITIES: set('STATUS_SUCCESS', 'STATUS_INVALID_DEVICE_REQUEST',
    'STATUS_BUFFER_OVERFLOW', 'STATUS_BUFFER_TOO_SMALL', COMMON),
  IOCTL_EHSTOR_BANDMGMT_ACTIVATE: set(PARAMS, 'STATUS_DEVICE_CONFIGURATION_ERROR', 'STATUS_NOT_SUPPORTED', COMMON),
  IOCTL_EHSTOR_BANDMGMT_REVERT: set(PARAMS, 'STATUS_DEVICE_CONFIGURATION_ERROR', COMMON),
  IOCTL_EHSTOR_BANDMGMT_ENUMERATE_BANDS: set(PARAMS, 'STATUS_NOT_FOUND', 'STATUS_BUFFER_OVERFLOW', 'STATUS_BUFFER_TOO_SMALL', COMMON),
  IOCTL_EHSTOR_BANDMGMT_CREATE_BAND: set(PARAMS, 'STATUS_CONFLICTING_ADDRESSES', 'STATUS_INSUFFICIENT_RESOURCES', COMMON),
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_LOCATION: set(PARAMS, 'STATUS_NOT_FOUND', 'STATUS_CONFLICTING_ADDRESSES', COMMON),
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_SECURITY: set(PARAMS, 'STATUS_NOT_FOUND', COMMON),
  IOCTL_EHSTOR_BANDMGMT_GET_BAND_METADATA: set(PARAMS, 'STATUS_NOT_FOUND', COMMON),
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_METADATA: set(PARAMS, 'STATUS_NOT_FOUND', COMMON),
  IOCTL_EHSTOR_BANDMGMT_DELETE_BAND: set(PARAMS, 'STATUS_NOT_FOUND', COMMON),
  IOCTL_EHSTOR_BANDMGMT_ERASE_BAND: set(PARAMS, 'STATUS_NOT_FOUND', COMMON),
  // D8: the first failing band's status — ACCESS_DENIED (erase credential) or IO_DEVICE_ERROR.
  IOCTL_EHSTOR_BANDMGMT_ERASE_ALL_BANDS: set('STATUS_SUCCESS', 'STATUS_INVALID_DEVICE_REQUEST', COMMON),
  IOCTL_EHSTOR_TCGDRV_RELINQUISH_SILO: set('STATUS_SUCCESS', 'STATUS_INVALID_DEVICE_REQUEST', 'STATUS_ACCESS_DENIED'),
});

let registered: RegisterResult | undefined;

/**
 * Plugs the silo into the host: its 13 rows into the dispatch table and its per-path state into the I/O
 * manager. Idempotent (the first result is returned again), never throws.
 */
export function registerBandSilo(): RegisterResult {
  if (registered === undefined) {
    const rows = registerIoctls(BAND_IOCTLS);
    registered = rows.ok ? registerPathExtension(BAND_SILO_EXTENSION) : rows;
  }
  return registered;
}

export { BAND_SILO_EXTENSION, siloOf, type SiloState } from './silo-state';
export { KeyCache, reunlockAfterPowerCycle } from './key-cache';
