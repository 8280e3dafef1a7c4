// Sector I/O as the logical unit sees it (scsi-device.md §3.5 steps 5-6): a band-lock check over the
// whole range before anything moves, then the transfer. The security engineer's implementation encrypts
// per band (band-management.md §2.2) and answers DATA PROTECT for locked bands (D9); PlainSectorAccess is
// the one for `security: "none"` (plaintext, nothing ever locked).

import type { BlockStore, StoreResult } from './store';
import type { SenseTriple } from './scsi';

export interface SectorAccess {
  /**
   * §3.5 step 5 (band-management.md D9): the sense that fails the whole command when any block of
   * [lba, lba + count) belongs to a band locked for this direction — DATA PROTECT 7/20h/02h — else
   * undefined. Called only after the range check passed, with count ≥ 1. Never changes state.
   */
  check(lba: bigint, count: number, write: boolean): SenseTriple | undefined;
  /** Reads `count` sectors into `out` (out.length === count × sectorSize); unwritten sectors are zeros. */
  read(lba: bigint, count: number, out: Uint8Array): StoreResult;
  /**
   * Writes data.length / sectorSize sectors. A power loss during the write ends it early with
   * `power-lost`: the sectors before the loss landed, the device is off (io-manager.md §7).
   */
  write(lba: bigint, data: Uint8Array): StoreResult;
}

export class PlainSectorAccess implements SectorAccess {
  private readonly store: BlockStore;

  constructor(store: BlockStore) {
    this.store = store;
  }

  check(_lba: bigint, _count: number, _write: boolean): SenseTriple | undefined {
    return undefined;
  }

  read(lba: bigint, count: number, out: Uint8Array): StoreResult {
    // lba + count ≤ sectors < 2^53 (range-checked by the caller): exact as a number
    return this.store.read(Number(lba), count, out);
  }

  write(lba: bigint, data: Uint8Array): StoreResult {
    return this.store.write(Number(lba), data);
  }
}
