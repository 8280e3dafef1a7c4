// Sector I/O of the self-encrypting device (band-management.md §2.2 "Encryption", D9): the lock check over
// every band a request touches, then per-sector AES-256-XTS with the key of the band that owns the LBA at
// I/O time. The logical unit calls check() before read()/write() and fails the whole command on a sense,
// so a request touching a locked band moves nothing (scsi-device.md §3.5 steps 5-6).
//
// "Sectors with no stored data read as zeros" (§2.2): the store returns zeros for a never-written sector,
// and a stored ciphertext sector is all zeros only with probability 2^-(8 × sectorSize), so an all-zero
// stored sector is taken as never written and returned as zeros instead of being decrypted into noise.

import type { SenseTriple } from '../scsi';
import type { SectorAccess } from '../sector-access';
import { SENSE } from '../sense-codes';
import type { BlockStore, StoreResult } from '../store';
import { ownerOf } from './band-table';
import type { SecuritySubsystem } from './security-subsystem';
import { decryptSectors, encryptSectors } from './xts';

function allZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

export class EncryptedSectorAccess implements SectorAccess {
  constructor(private readonly store: BlockStore, private readonly security: SecuritySubsystem) {}

  /** D9: DATA PROTECT 7/20h/02h when any band of [lba, lba+count) is locked for this direction. */
  check(lba: bigint, count: number, write: boolean): SenseTriple | undefined {
    // lba + count ≤ sectors < 2^53 (range-checked by the logical unit first): exact as numbers.
    return this.security.lockedBandsIn(Number(lba), count, write).length > 0
      ? SENSE.ACCESS_DENIED_NO_ACCESS_RIGHTS
      : undefined;
  }

  read(lba: bigint, count: number, out: Uint8Array): StoreResult {
    const first = Number(lba);
    const r = this.store.read(first, count, out);
    const view = this.security.ioView();
    if (!r.ok || view.mode === 'none') return r; // `none` stores plaintext (§2.2)
    const ss = this.store.sectorSize;
    for (let i = 0; i < count; i++) {
      const sector = out.subarray(i * ss, (i + 1) * ss);
      if (allZero(sector)) continue; // never written: zeros
      const key = view.table.slots[ownerOf(view.table, first + i)]!.mediaKey;
      sector.set(decryptSectors(key, first + i, ss, sector));
    }
    return r;
  }

  write(lba: bigint, data: Uint8Array): StoreResult {
    const first = Number(lba);
    const view = this.security.ioView();
    if (view.mode === 'none') return this.store.write(first, data);
    const ss = this.store.sectorSize;
    const cipher = new Uint8Array(data.length);
    for (let i = 0; i * ss < data.length; i++) {
      const key = view.table.slots[ownerOf(view.table, first + i)]!.mediaKey;
      cipher.set(encryptSectors(key, first + i, ss, data.subarray(i * ss, (i + 1) * ss)), i * ss);
    }
    return this.store.write(first, cipher);
  }
}
