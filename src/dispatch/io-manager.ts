// The I/O manager (spec/io-manager.md): handles, the IOCTL access check in its order (§2), what a caller
// gets back per status severity (§4), ReadFile/WriteFile (§5), close, process exit, power cycle and reboot
// (§6). It alone turns a handler's {status, information, output} into what the caller sees.

import {
  STATUS_ACCESS_DENIED, STATUS_INVALID_HANDLE, STATUS_INVALID_PARAMETER, STATUS_SUCCESS, ntError, win32Error,
} from '../codecs/ntstatus';
import { FILE_READ_DATA, FILE_WRITE_DATA } from '../codecs/access-rights';
import type { Initiator } from '../device/scsi';
import type { HostDevice, IoctlResult, PathState, PowerOutcome } from './handler';
import { HandleContext } from './handle-context';
import { HandleTable, type HandleSnapshot, type OpenRequest } from './handles';
import { dispatch } from './dispatcher';
import { pathExtensions } from './path-extensions';
import { newPathState, snapshotPath, type PathSnapshot } from './class-driver/path-state';
import { readSectors, writeSectors } from './class-driver/read-write';
import { releaseSecureLocks } from './class-driver/media-removal';

/** What every caller gets (io-manager.md §4). */
export interface IoResult {
  readonly status: number;
  /** 0 for every error status */
  readonly information: number;
  /** the bytes copied back: ≤ outputLength for an IOCTL, the data for a read; empty for errors */
  readonly output: Uint8Array;
  /** RtlNtStatusToDosError(status) (ntstatus.md) */
  readonly win32: number;
}

export interface PathSnapshotWithExtensions extends PathSnapshot {
  /** each registered extension's snapshot, by name (only extensions that define `snapshot`) */
  readonly extensions: Readonly<Record<string, unknown>>;
}

/** Deep, JSON-comparable host state. */
export interface HostSnapshot {
  /** open handles, in the order they were opened */
  readonly handles: readonly HandleSnapshot[];
  /** per-initiator class-driver state, in the order the paths were first used */
  readonly paths: readonly PathSnapshotWithExtensions[];
}

const EMPTY: Uint8Array = new Uint8Array(0);

const BARE = new Map<number, IoResult>();

/** `{status, information: 0, output: empty}`, shared per status: error completions allocate nothing. */
export function bareResult(status: number): IoResult {
  const s = status >>> 0;
  let r = BARE.get(s);
  if (r === undefined) {
    r = Object.freeze({ status: s, information: 0, output: EMPTY, win32: win32Error(s) });
    BARE.set(s, r);
  }
  return r;
}

const INVALID_HANDLE = bareResult(STATUS_INVALID_HANDLE);
const INVALID_PARAMETER = bareResult(STATUS_INVALID_PARAMETER);
const ACCESS_DENIED = bareResult(STATUS_ACCESS_DENIED);
const SUCCESS = bareResult(STATUS_SUCCESS);

/**
 * §4: error → information 0, nothing copied; success, informational and warning → the handler's
 * Information, and the first min(Information, outputLength) bytes the handler wrote (fewer if it wrote
 * fewer: vdisk never hands back bytes nobody wrote). `outputLength` bounds the copy, never an allocation.
 */
function complete(r: IoctlResult, outputLength: number): IoResult {
  const status = r.status >>> 0;
  const information = r.information;
  if (ntError(status) || (information === 0 && r.output === undefined)) return bareResult(status);
  const out = r.output;
  let output = EMPTY;
  if (out !== undefined) {
    const n = Math.min(information, outputLength, out.length);
    if (n > 0) output = n === out.length ? out : out.subarray(0, n);
  }
  return { status, information, output, win32: win32Error(status) };
}

/** A ReadFile/WriteFile result: the same severity rule; a read's data is its output. */
function completeTransfer(r: IoctlResult): IoResult {
  const status = r.status >>> 0;
  if (ntError(status) || (r.information === 0 && r.output === undefined)) return bareResult(status);
  return { status, information: r.information, output: r.output ?? EMPTY, win32: win32Error(status) };
}

function isOutputLength(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

export interface IoManagerOptions {
  /** FILE_REMOVABLE_MEDIA (class-driver.md §1: the INQUIRY RMB bit = disk option `removable`) */
  readonly removable: boolean;
  /** bytes per logical block (disk option `sectorSize`) */
  readonly sectorSize: number;
}

export class IoManager {
  private readonly handles = new HandleTable<HandleContext>();
  /** per-initiator stacks, in the order first used (Map insertion order) */
  private readonly paths = new Map<Initiator, PathState>();

  constructor(readonly device: HostDevice, private readonly options: IoManagerOptions) {}

  /** The path's state, created zeroed (with every registered extension's fresh state) on first use. */
  private path(initiator: Initiator): PathState {
    let p = this.paths.get(initiator);
    if (p === undefined) {
      p = newPathState(initiator);
      for (const ext of pathExtensions()) p.extensions.set(ext.name, ext.create());
      this.paths.set(initiator, p);
    }
    return p;
  }

  /** CreateFile: always succeeds, granted = requested after generic mapping (§2). Arguments validated by Host. */
  open(request: OpenRequest): number {
    const path = this.path(request.initiator);
    const { removable, sectorSize } = this.options;
    return this.handles.open(request, (h) => new HandleContext(h, path, this.device, removable, sectorSize)).handle.id;
  }

  /**
   * DeviceIoControl, in the order of §2:
   *   1. handle open → else STATUS_INVALID_HANDLE;
   *   2. the code must be a 32-bit integer (vdisk: anything else is STATUS_INVALID_PARAMETER — the access bits
   *      cannot even be read);
   *   3. the access check on the code as sent, before any alias remap or buffer look → STATUS_ACCESS_DENIED;
   *   4. vdisk: the buffers must be what DeviceIoControl can express (a Uint8Array; an OutputBufferLength that
   *      is a DWORD) → else STATUS_INVALID_PARAMETER;
   *   5. the dispatcher; then §4 decides what comes back.
   */
  deviceIoControl(handle: number, code: number, input: Uint8Array, outputLength: number): IoResult {
    const ctx = this.handles.get(handle);
    if (ctx === undefined) return INVALID_HANDLE;
    if (typeof code !== 'number' || !Number.isInteger(code) || code < -0x80000000 || code > 0xffffffff) {
      return INVALID_PARAMETER;
    }
    const c = code >>> 0;
    // §2 step 1: (code >> 14) & 3, where FILE_READ_ACCESS (1) is FILE_READ_DATA (1) and FILE_WRITE_ACCESS (2)
    // is FILE_WRITE_DATA (2) — so the bits are the required rights themselves (codecs requiredAccess()).
    const required = (c >>> 14) & 3;
    if ((ctx.handle.access & required) !== required) return ACCESS_DENIED;
    if (!(input instanceof Uint8Array) || !isOutputLength(outputLength)) return INVALID_PARAMETER;
    return complete(dispatch(ctx, c, input, outputLength), outputLength);
  }

  /** ReadFile (§5): handle, FILE_READ_DATA, then the class driver (class-driver.md §9). */
  read(handle: number, lba: number | bigint, sectors: number): IoResult {
    const ctx = this.handles.get(handle);
    if (ctx === undefined) return INVALID_HANDLE;
    if ((ctx.handle.access & FILE_READ_DATA) === 0) return ACCESS_DENIED;
    return completeTransfer(readSectors(ctx, lba, sectors));
  }

  /** WriteFile (§5): handle, FILE_WRITE_DATA, then the class driver (class-driver.md §9). */
  write(handle: number, lba: number | bigint, data: Uint8Array): IoResult {
    const ctx = this.handles.get(handle);
    if (ctx === undefined) return INVALID_HANDLE;
    if ((ctx.handle.access & FILE_WRITE_DATA) === 0) return ACCESS_DENIED;
    return completeTransfer(writeSectors(ctx, lba, data));
  }

  /**
   * CloseHandle (§6): CLEANUP and CLOSE at once; the class driver releases the handle's secure locks (ALLOW
   * when none remain, result ignored) and its MCN disables vanish with it. Always succeeds for an open handle.
   */
  close(handle: number): IoResult {
    const ctx = this.handles.get(handle);
    if (ctx === undefined) return INVALID_HANDLE;
    releaseSecureLocks(ctx);
    this.handles.remove(handle);
    return SUCCESS;
  }

  /** Process exit (§6): its handles are closed in the order they were opened. Simple locks stay. */
  exitProcess(process: string): IoResult {
    if (typeof process !== 'string') return INVALID_PARAMETER;
    for (const ctx of this.handles.ofProcess(process)) this.close(ctx.handle.id);
    return SUCCESS;
  }

  /**
   * The device loses power and comes back; the host keeps running, handles and per-path state stay (§6).
   * Then each path's extensions run their power-cycle step, paths in first-use order (band-management.md D10).
   * A device that fails to come back (its store) reports that, and no extension runs.
   */
  powerCycle(): PowerOutcome {
    const r = this.device.powerCycle();
    if (!r.ok) return r;
    const extensions = pathExtensions();
    for (const path of this.paths.values()) {
      for (const ext of extensions) {
        if (ext.afterPowerCycle !== undefined) ext.afterPowerCycle(path.extensions.get(ext.name), path, this.device);
      }
    }
    return r;
  }

  /**
   * Host and device restart (§6): handles vanish WITHOUT close processing (no ALLOW), all host state is reset
   * (per-path state, extensions included), then the device powers up with its unit attentions consumed.
   */
  reboot(): PowerOutcome {
    this.handles.clear();
    this.paths.clear();
    return this.device.powerUp({ consumeUnitAttentions: true });
  }

  snapshot(): HostSnapshot {
    const extensions = pathExtensions();
    const paths: PathSnapshotWithExtensions[] = [];
    for (const p of this.paths.values()) {
      const ext: Record<string, unknown> = {};
      for (const e of extensions) if (e.snapshot !== undefined) ext[e.name] = e.snapshot(p.extensions.get(e.name));
      paths.push({ ...snapshotPath(p), extensions: ext });
    }
    return { handles: this.handles.snapshot(), paths };
  }
}
