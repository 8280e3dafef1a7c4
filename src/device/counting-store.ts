// A BlockStore (src/device/store) seen through a counter of the sector write steps that reached it:
// the snapshot's cheap stand-in for a digest of the sector contents (a failing command writes nothing,
// so an unchanged count is what "nothing changed" means for the sectors). Everything else passes through;
// the store itself does the power-loss gating and atomic commits.

import type { BlockStore, PowerOnResult, SectorSize, StoreResult } from './store';

export class CountingStore implements BlockStore {
  readonly inner: BlockStore;
  /** sectors written through this store since the device was created (torn writes: the whole request) */
  sectorWrites = 0;

  constructor(inner: BlockStore) {
    this.inner = inner;
  }

  get sectorSize(): SectorSize { return this.inner.sectorSize; }
  get sectors(): number { return this.inner.sectors; }
  get maxMetadataBytes(): number { return this.inner.maxMetadataBytes; }
  get commitWriteSteps(): number { return this.inner.commitWriteSteps; }
  get metadataGeneration(): number { return this.inner.metadataGeneration; }
  get poweredOff(): boolean { return this.inner.poweredOff; }

  read(lba: number, count: number, out: Uint8Array): StoreResult {
    return this.inner.read(lba, count, out);
  }

  write(lba: number, data: Uint8Array): StoreResult {
    const r = this.inner.write(lba, data);
    // A torn write counts whole: the count only has to change whenever sectors may have changed.
    if (r.ok || r.reason === 'power-lost') this.sectorWrites += Math.floor(data.length / this.inner.sectorSize);
    return r;
  }

  flush(): StoreResult { return this.inner.flush(); }
  loadMetadata(): Uint8Array | null { return this.inner.loadMetadata(); }
  commitMetadata(record: Uint8Array): StoreResult { return this.inner.commitMetadata(record); }
  armPowerLoss(afterWrites: number): StoreResult { return this.inner.armPowerLoss(afterWrites); }
  disarmPowerLoss(): void { this.inner.disarmPowerLoss(); }
  powerOn(): PowerOnResult { return this.inner.powerOn(); }
  close(): StoreResult { return this.inner.close(); }
}
