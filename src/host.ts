// The public Host API (spec/io-manager.md; scenario-format.md drives exactly these calls): a Windows host
// with one virtual disk attached, reached by handles opened from named processes through named initiators.
// Synchronous and deterministic; nothing throws for bad input — an unknown handle is STATUS_INVALID_HANDLE,
// malformed arguments are STATUS_INVALID_PARAMETER (docs/decisions/host.md).

import { GENERIC_READ, GENERIC_WRITE, parseAccess, type AccessRightName } from './codecs/access-rights';
import { parseCode } from './codecs/ioctl-codes';
import type { Initiator } from './device/scsi';
import type { HostDevice, PowerOutcome } from './dispatch/handler';
import { IoManager, type HostSnapshot, type IoResult } from './dispatch/io-manager';
import { registerBandSilo } from './dispatch/band-silo';

export type { IoResult, HostSnapshot } from './dispatch/io-manager';

/** What `open` returns when its arguments are malformed: Windows' INVALID_HANDLE_VALUE; every call on it fails. */
export const INVALID_HANDLE_VALUE = -1;

export interface OpenOptions {
  /** owning process (default "p0") */
  readonly process?: string;
  /** initiator port, one I_T nexus (default "host0") */
  readonly initiator?: Initiator;
  /** requested access: a mask, or right names OR-ed together (default GENERIC_READ | GENERIC_WRITE) */
  readonly access?: number | readonly AccessRightName[];
}

/** Geometry and removability the host learns at start-up (disk.sys: INQUIRY RMB, READ CAPACITY). */
export interface HostDiskInfo {
  readonly removable: boolean;
  readonly sectorSize: number;
}

/** A device the Host can drive; `options` (scenario-format.md `disk`) gives removable and sectorSize. */
export type HostDisk = HostDevice & {
  readonly options?: { readonly removable?: boolean; readonly sectorSize?: number };
};

const EMPTY = new Uint8Array(0);
const DEFAULT_ACCESS = (GENERIC_READ | GENERIC_WRITE) >>> 0;

/**
 * Adapter (docs/decisions/host.md): FILE_REMOVABLE_MEDIA and the sector size come from the disk's options
 * (scenario-format.md defaults: removable, 512) rather than from INQUIRY/READ CAPACITY sent at start-up, which
 * could fail with no medium or while the device is off; the answers are the same.
 */
function diskInfo(disk: HostDisk, override?: Partial<HostDiskInfo>): HostDiskInfo {
  const o = disk.options;
  return {
    removable: override?.removable ?? o?.removable ?? true,
    sectorSize: override?.sectorSize ?? o?.sectorSize ?? 512,
  };
}

export class Host {
  private readonly io: IoManager;

  constructor(readonly device: HostDisk, info?: Partial<HostDiskInfo>) {
    // The host's stack is the class driver plus the band-management silo (ARCHITECTURE.md); registering the
    // silo's rows and path state is idempotent, so every Host sees the same complete table.
    registerBandSilo();
    this.io = new IoManager(device, diskInfo(device, info));
  }

  /**
   * CreateFile on the raw disk (io-manager.md §2): always granted the requested access after generic mapping.
   * Returns the handle id, or INVALID_HANDLE_VALUE when `process`/`initiator` is not a string or `access` is
   * not a 32-bit mask or a list of known right names.
   */
  open(options: OpenOptions = {}): number {
    const process = options.process ?? 'p0';
    const initiator = options.initiator ?? 'host0';
    const access = options.access === undefined ? DEFAULT_ACCESS : parseAccess(options.access);
    if (typeof process !== 'string' || typeof initiator !== 'string' || typeof access !== 'number') {
      return INVALID_HANDLE_VALUE;
    }
    return this.io.open({ process, initiator, access });
  }

  /**
   * DeviceIoControl. `code` is a number or anything parseCode accepts (a §3 name, "0x002D4810"); an
   * unparseable code is STATUS_INVALID_PARAMETER after the handle check.
   */
  deviceIoControl(handle: number, code: number | string, input: Uint8Array = EMPTY, outputLength = 0): IoResult {
    const c = typeof code === 'number' ? code : (parseCode(code) ?? Number.NaN);
    return this.io.deviceIoControl(handle, c, input, outputLength);
  }

  /** ReadFile of `sectors` whole sectors at `lba`: the data is `output`. */
  read(handle: number, lba: number | bigint, sectors: number): IoResult {
    return this.io.read(handle, lba, sectors);
  }

  /** WriteFile of `data` (a whole number of sectors) at `lba`. */
  write(handle: number, lba: number | bigint, data: Uint8Array): IoResult {
    return this.io.write(handle, lba, data);
  }

  /** CloseHandle with the class driver's close processing. */
  close(handle: number): IoResult {
    return this.io.close(handle);
  }

  /** Every handle the process holds is closed, in the order opened. */
  exitProcess(process: string): IoResult {
    return this.io.exitProcess(process);
  }

  /** The device power-cycles; the host keeps its handles and state. */
  powerCycle(): PowerOutcome {
    return this.io.powerCycle();
  }

  /** Host and device restart: handles vanish without close processing, host state resets. */
  reboot(): PowerOutcome {
    return this.io.reboot();
  }

  /** Deep, JSON-comparable host state (handles, per-path counts and flags). The device has its own. */
  snapshot(): HostSnapshot {
    return this.io.snapshot();
  }
}
