// Host-side silo state per initiator path (band-management.md §4; io-manager.md §1: every initiator has
// its own device stack, so its own silo): the relinquished flag (§3.9) and the key cache (§4). Kept across
// a power cycle, reset by a reboot (the PathExtension's create() gives a fresh one).

import { STATUS_INVALID_DEVICE_REQUEST } from '../../codecs/ntstatus';
import type { SecuritySubsystem } from '../../device/security/security-subsystem';
import type { HandlerContext, HostDevice, PathExtension, PathState } from '../handler';
import { KeyCache, reunlockAfterPowerCycle } from './key-cache';

export interface SiloState {
  /** RELINQUISH_SILO succeeded on this path; every band IOCTL → STATUS_INVALID_DEVICE_REQUEST until reboot */
  relinquished: boolean;
  readonly keys: KeyCache;
}

export const BAND_SILO = 'band-silo';

/** What the silo needs of the device: the security subsystem's API (src/device/security). */
export type SiloDevice = Pick<SecuritySubsystem,
  | 'hasBandManagement' | 'capabilities' | 'gate' | 'bands' | 'entries' | 'activate' | 'revert'
  | 'prepareCreate' | 'prepareSetLocation' | 'prepareSetSecurity' | 'readMetadata' | 'prepareSetMetadata'
  | 'prepareDelete' | 'prepareErase' | 'eraseAll' | 'relockedBands' | 'reunlock'>;

/**
 * Adapter: handler.ts's HostDevice does not (yet) name the security subsystem. VirtualDisk exposes it as
 * `security`; a device without one (or with `security: "none"`) has no band management (D2 step 2).
 */
export function siloDevice(device: HostDevice): SiloDevice | undefined {
  const s = (device as { security?: unknown }).security;
  if (typeof s !== 'object' || s === null) return undefined;
  return typeof (s as Partial<SiloDevice>).gate === 'function' ? (s as SiloDevice) : undefined;
}

export function newSiloState(): SiloState {
  return { relinquished: false, keys: new KeyCache() };
}

export const BAND_SILO_EXTENSION: PathExtension<SiloState> = {
  name: BAND_SILO,
  create: newSiloState,
  // D10: the host keeps running through a power cycle and re-unlocks with its cached keys.
  afterPowerCycle(state: SiloState, _path: PathState, device: HostDevice): void {
    const d = siloDevice(device);
    if (d !== undefined && d.hasBandManagement()) reunlockAfterPowerCycle(state.keys, d);
  },
  snapshot: (state: SiloState) => ({ relinquished: state.relinquished, cachedBands: state.keys.snapshot() }),
};

/**
 * The path's silo state. The I/O manager creates it with the path when the extension is registered; a
 * path created before registration gets one on first use.
 */
export function siloOf(path: PathState): SiloState {
  let s = path.extensions.get(BAND_SILO) as SiloState | undefined;
  if (s === undefined) {
    s = newSiloState();
    path.extensions.set(BAND_SILO, s);
  }
  return s;
}

export interface Silo {
  readonly device: SiloDevice;
  readonly state: SiloState;
}

/**
 * D2 step 2: a device without band management, or a relinquished silo → STATUS_INVALID_DEVICE_REQUEST.
 * (Step 1, the access check, ran in the I/O manager.)
 */
export function openSilo(ctx: HandlerContext): { ok: true; value: Silo } | { ok: false; status: number } {
  const device = siloDevice(ctx.device);
  if (device === undefined || !device.hasBandManagement()) return { ok: false, status: STATUS_INVALID_DEVICE_REQUEST };
  const state = siloOf(ctx.path);
  if (state.relinquished) return { ok: false, status: STATUS_INVALID_DEVICE_REQUEST };
  return { ok: true, value: { device, state } };
}
