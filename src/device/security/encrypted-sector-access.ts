// Sector I/O of the self-encrypting device (band-management.md §2.2 "Encryption", D9): the lock check over
// every band a request touches, then per-sector AES-256-XTS with the key of the band that owns the LBA at
// I/O time. The logical unit calls check() before read()/write() and fails the whole command on a sense,
// so a request touching a locked band moves nothing (scsi-device.md §3.5 steps 5-6).
//
// "Sectors with no stored data read as zeros" (§2.2): the store returns zeros for a never-written sector,
// and a stored ciphertext sector is all zeros only with probability 2^-(8 × sectorSize), so an all-zero
// stored sector is taken as never written and returned as zeros instead of being decrypted into noise.
//
// Hot path (docs/performance.md §3): the owning band is looked up once per run of sectors it owns, not per
// sector; a write encrypts each sector straight into one uninitialised output buffer handed to the store
// (a one-sector write hands over the cipher's own output buffer); a read decrypts each written sector in
// place in the caller's buffer.

import type { SenseTriple } from '../scsi';
import type { SectorAccess } from '../sector-access';
import { SENSE } from '../sense-codes';
import type { BlockStore, StoreResult } from '../store';
import { ownerOf, ownerRunEnd } from './band-table';
import type { SecuritySubsystem } from './security-subsystem';
import { xtsInto, xtsSector } from './xts';

function allZero(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}

export class EncryptedSectorAccess implements SectorAccess {
  constructor(private readonly store: BlockStore, private readonly security: SecuritySubsystem) {}

  /** D9: DATA PROTECT 7/20h/02h when any band of [lba, lba+count) is locked for this direction. */
  check(lba: bigint, count: number, write: boolean): SenseTriple | undefined {
    // lba + count ≤ sectors < 2^53 (range-checked by the logical unit first): exact as numbers.
    return this.security.anyBandLockedIn(Number(lba), count, write)
      ? SENSE.ACCESS_DENIED_NO_ACCESS_RIGHTS
      : undefined;
  }

  read(lba: bigint, count: number, out: Uint8Array): StoreResult {
    const first = Number(lba);
    const r = this.store.read(first, count, out);
    if (!r.ok || this.security.options.mode === 'none') return r; // `none` stores plaintext (§2.2)
    const table = this.security.ioTable();
    const ss = this.store.sectorSize;
    if (count === 1 && out.length === ss) {
      if (!allZero(out, 0, ss)) out.set(xtsSector(false, table.slots[ownerOf(table, first)]!.mediaKey, first, out));
      return r;
    }
    const end = first + count;
    for (let runStart = first; runStart < end;) {
      const owner = ownerOf(table, runStart);
      const runEnd = ownerRunEnd(table, runStart, end, owner);
      const key = table.slots[owner]!.mediaKey;
      for (let l = runStart; l < runEnd; l++) {
        const at = (l - first) * ss;
        if (allZero(out, at, at + ss)) continue; // never written: zeros
        const sector = out.subarray(at, at + ss);
        xtsInto(false, key, l, ss, sector, sector); // in place
      }
      runStart = runEnd;
    }
    return r;
  }

  write(lba: bigint, data: Uint8Array): StoreResult {
    const first = Number(lba);
    if (this.security.options.mode === 'none') return this.store.write(first, data);
    const table = this.security.ioTable();
    const ss = this.store.sectorSize;
    // One sector (every 4 KiB write on a 4096-byte-sector disk): the cipher's own output goes to the store.
    if (data.length === ss) return this.store.write(first, xtsSector(true, table.slots[ownerOf(table, first)]!.mediaKey, first, data));
    // Every byte is overwritten below (data.length is whole sectors), so no zero-fill is needed; a new
    // buffer per write because the store may keep the one it is given.
    const cipher = Buffer.allocUnsafe(data.length);
    const end = first + Math.ceil(data.length / ss);
    for (let runStart = first; runStart < end;) {
      const owner = ownerOf(table, runStart);
      const runEnd = ownerRunEnd(table, runStart, end, owner);
      const from = (runStart - first) * ss;
      const to = (runEnd - first) * ss;
      xtsInto(true, table.slots[owner]!.mediaKey, runStart, ss, data.subarray(from, to), cipher, from);
      runStart = runEnd;
    }
    return this.store.write(first, cipher);
  }
}
