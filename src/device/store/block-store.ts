// The device's persistent store: the bottom of the stack (ARCHITECTURE.md, "store"). It knows nothing about
// SCSI or Windows: it keeps sectors and one opaque metadata record that the device commits atomically
// (band-management.md §2.2 "Commit", D2 step 11; persistent-reservations.md §8 for APTPL state).
//
// Errors are values (STYLE.md "Errors flow as values"): nothing here throws on a bad argument, a failed
// system call or a lost power supply.

/** The two sector sizes the device supports (scsi-device.md §1, scenario-format.md `disk`). */
export type SectorSize = 512 | 4096;

export const SECTOR_SIZES: readonly SectorSize[] = [512, 4096];

export function isSectorSize(n: number): n is SectorSize {
  return n === 512 || n === 4096;
}

/**
 * Why a store operation failed.
 * - `power-lost`: an injected power loss fired (scenario-format.md `inject`), or the store is still off;
 *   the device answers nothing until powerOn() (scsi-device.md §6, io-manager.md §7).
 * - `io-error`: the backing file refused an operation, or the store was closed.
 * - `out-of-range`: the sector range is not inside [0, sectors).
 * - `invalid-argument`: a buffer whose length does not match, a metadata record above the store's
 *   limit, a non-integer count.
 */
export type StoreFailureReason = 'power-lost' | 'io-error' | 'out-of-range' | 'invalid-argument';

export interface StoreFailure {
  readonly ok: false;
  readonly reason: StoreFailureReason;
  readonly message: string;
}

export type StoreResult = { readonly ok: true } | StoreFailure;

/** powerOn() re-reads the committed state and reports what it had to skip (a torn slot after a loss). */
export type PowerOnResult = { readonly ok: true; readonly warnings: readonly string[] } | StoreFailure;

export const STORE_OK: StoreResult = Object.freeze({ ok: true as const });

export function storeFailure(reason: StoreFailureReason, message: string): StoreFailure {
  return { ok: false, reason, message };
}

/**
 * A sector store with one atomically committed metadata record.
 *
 * Write steps (the unit of `armPowerLoss`): every sector of a `write` is one step, so a multi-sector
 * write can tear at a sector boundary as a real disk's can; a `commitMetadata` is exactly
 * `commitWriteSteps` steps whatever the record's length. `flush`, reads and `loadMetadata` take no steps.
 */
export interface BlockStore {
  readonly sectorSize: SectorSize;
  /** capacity in sectors; sectors × sectorSize stays below 2^53 so every byte offset is an exact number */
  readonly sectors: number;
  /** largest record commitMetadata accepts */
  readonly maxMetadataBytes: number;
  /** write steps of one commitMetadata, whatever the record length: a test injects a loss at each */
  readonly commitWriteSteps: number;
  /** generation of the committed record: 0 if none was ever committed, then 1, 2, … per commit */
  readonly metadataGeneration: number;
  /** true from the moment an injected power loss fires until powerOn() */
  readonly poweredOff: boolean;

  /** sectors [lba, lba+count) into `out` (count × sectorSize bytes); never-written sectors read as zeros */
  read(lba: number, count: number, out: Uint8Array): StoreResult;
  /** whole sectors from lba; data.length is a multiple of sectorSize (one write step per sector) */
  write(lba: number, data: Uint8Array): StoreResult;
  /** makes every earlier sector write durable (fsync for an image); takes no write step */
  flush(): StoreResult;

  /**
   * A copy of the last committed record, or null if none was ever committed. While the store is off it
   * is the record known before the loss; after powerOn() it is what the medium holds: the whole old or
   * the whole new record of a commit the loss interrupted (band-management.md D2 step 11).
   */
  loadMetadata(): Uint8Array | null;
  /**
   * Atomically replaces the record. Complete (and durable) only when it returns ok; a loss at any step
   * leaves the old record in place for the next power-up.
   */
  commitMetadata(record: Uint8Array): StoreResult;

  /**
   * scenario-format.md `inject {fault:"power-loss", afterWrites}`: `afterWrites` more write steps reach
   * the medium, then the next one fails with `power-lost` and the store is off until powerOn().
   * Rearming replaces an unfired loss.
   */
  armPowerLoss(afterWrites: number): StoreResult;
  disarmPowerLoss(): void;
  /**
   * Power comes back (or a power cycle happens): an unfired loss is disarmed (scsi-device.md §6), the
   * committed state is read again from the medium (an image is re-opened as a restart would), and the
   * off flag clears.
   */
  powerOn(): PowerOnResult;
  /** flushes and releases the medium; every later call fails with `io-error` */
  close(): StoreResult;
}

/** Why an image (or a memory store) could not be created or opened. */
export type OpenErrorCode =
  | 'invalid-geometry'     // sectorSize / sectors / maxMetadataBytes out of range
  | 'exists'               // createImage never overwrites a file
  | 'truncated'            // shorter than its own header
  | 'bad-magic'            // not a vdisk image
  | 'unsupported-version'  // a format this code does not know
  | 'header-corrupt'       // header checksum mismatch
  | 'inconsistent-header'  // fields that contradict each other or exceed the limits
  | 'metadata-corrupt'     // both metadata slots hold something and neither is valid
  | 'io-error';

export interface OpenError {
  readonly code: OpenErrorCode;
  readonly message: string;
}

export type OpenResult<S> =
  | { readonly ok: true; readonly store: S; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: OpenError };

export interface StoreGeometry {
  readonly sectorSize: number;
  readonly sectors: number;
  /** default MAX_METADATA_BYTES */
  readonly maxMetadataBytes?: number;
}
