// The contract between the I/O manager and every IOCTL handler (class driver, band-management silo):
// what a handler receives, what it returns, and the context it may act through. Other engineers code
// against these types — keep them stable (spec/io-manager.md §3, §4; ARCHITECTURE.md).

import type { Initiator, ScsiTarget } from '../device/scsi';
import type { Layout } from '../codecs/layout';

/**
 * What the host needs of the device: SCSI, plus the power operations the Host API drives
 * (io-manager.md §6). `VirtualDisk` satisfies it; unit tests use small fakes.
 */
export interface HostDevice extends ScsiTarget {
  /** `power-cycle`: a power-on reset after which every initiator has 29h/00h pending (scsi-device.md §6) */
  powerCycle(): PowerOutcome;
  /**
   * A power-on reset; with `consumeUnitAttentions` (the device half of a reboot, io-manager.md §6) no unit
   * attention is pending afterwards — the host's start-up consumed them.
   */
  powerUp(opts: { readonly consumeUnitAttentions: boolean }): PowerOutcome;
  /** deep, JSON-comparable device state */
  snapshot(): unknown;
}

/** What a power operation reports (VirtualDisk's PowerResult: the store may fail to come back). */
export type PowerOutcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** One request as the dispatcher hands it to a handler (METHOD_BUFFERED, io-manager.md §3). */
export interface IoctlRequest {
  /** the code exactly as the caller sent it (unsigned 32-bit); handlers that test it see aliases as such (§8.4) */
  readonly code: number;
  /** the code the dispatcher looked up: `code` itself, or its IOCTL_STORAGE_BASE alias (ioctl-codes.md §4) */
  readonly storageCode: number;
  /** exactly InputBufferLength bytes; handlers never write to it */
  readonly input: Uint8Array;
  /** OutputBufferLength: an integer 0..0xFFFFFFFF; never allocate in proportion to it (io-manager.md §3) */
  readonly outputLength: number;
}

/**
 * What a handler completes the request with. `output` holds the bytes the handler wrote (at most what it
 * means to return); the I/O manager alone decides what the caller sees (io-manager.md §4).
 */
export interface IoctlResult {
  readonly status: number;
  readonly information: number;
  readonly output?: Uint8Array;
}

/** A SCSI command's outcome as the class driver sees it: the interpreted NTSTATUS and any data-in. */
export interface ScsiCompletion {
  /** NTSTATUS after class-driver.md §10 (unit attentions already retried away, §10.1) */
  readonly status: number;
  /** data-in returned by the device (with GOOD, or with a data underrun) */
  readonly dataIn?: Uint8Array;
}

export interface ScsiOptions {
  readonly dataOut?: Uint8Array;
  /** the data-in buffer's size (default 0: no data-in) */
  readonly dataInLength?: number;
}

/** Per-handle state (FILE_OBJECT_EXTENSION, class-driver.md §1), created zeroed at open. */
export interface HandleState {
  readonly id: number;
  readonly process: string;
  readonly initiator: Initiator;
  /** granted access after generic mapping (io-manager.md §2) */
  readonly access: number;
  /** secure (EJECTION_CONTROL) locks this handle holds */
  lockCount: number;
  /** MCN_CONTROL disables this handle holds */
  mcnDisableCount: number;
}

/** Per-initiator class-driver state (class-driver.md §1): reset by reboot, kept across a power cycle. */
export interface PathState {
  readonly initiator: Initiator;
  /** simple (MEDIA_REMOVAL) locks, ULONG */
  lockCount: number;
  /** secure (EJECTION_CONTROL) locks, sum over this path's handles, ULONG */
  protectedLockCount: number;
  /** ULONG, incremented for every unit attention this path's commands meet (§10.1) */
  mediaChangeCount: number;
  /** FDO_HACK_NO_RESERVE6: set once the device rejected RESERVE(6)/RELEASE(6) (§3) */
  noReserve6: boolean;
  /** state of registered path extensions (the band silo's key cache, …), by extension name */
  readonly extensions: Map<string, unknown>;
}

/** Everything a handler may act through. One context per handle, reused for every call on it. */
export interface HandlerContext {
  readonly handle: HandleState;
  readonly path: PathState;
  readonly device: HostDevice;
  /** FILE_REMOVABLE_MEDIA of the disk (class-driver.md §1) */
  readonly removable: boolean;
  /** bytes per logical block */
  readonly sectorSize: number;
  /** send one command on this handle's path, applying §10 and the unit-attention rule of §10.1 */
  scsi(cdb: Uint8Array, options?: ScsiOptions): ScsiCompletion;
}

/** An IOCTL handler: validation in the spec's order, then one final state change (STYLE.md). */
export type IoctlHandler = (ctx: HandlerContext, request: IoctlRequest) => IoctlResult;

/** One row of the dispatch table (STYLE.md "The dispatch table"). */
export interface IoctlEntry {
  readonly handler: IoctlHandler;
  /** the structure the input buffer holds, for the CLI, the scenario parser and the fuzzer */
  readonly input?: Layout<unknown>;
  /** the structure of the output, likewise */
  readonly output?: Layout<unknown>;
}

/**
 * Per-path state owned by a plug-in (the band silo, band-management.md §4). `create` gives the state of a
 * fresh path (at first use and after a reboot); `afterPowerCycle` runs once per path, in the order the paths
 * were first used, after the device came back (D10); `snapshot` gives its JSON-comparable state.
 */
export interface PathExtension<S> {
  readonly name: string;
  create(): S;
  afterPowerCycle?(state: S, path: PathState, device: HostDevice): void;
  snapshot?(state: S): unknown;
}

const STATUS_ONLY = new Map<number, IoctlResult>();

/**
 * `{status, information: 0}` without allocating: one frozen object per status, shared. Class-driver statuses
 * complete with Information 0 unless the spec says otherwise (class-driver.md preamble).
 */
export function statusOnly(status: number): IoctlResult {
  const s = status >>> 0;
  let r = STATUS_ONLY.get(s);
  if (r === undefined) {
    r = Object.freeze({ status: s, information: 0 });
    STATUS_ONLY.set(s, r);
  }
  return r;
}
