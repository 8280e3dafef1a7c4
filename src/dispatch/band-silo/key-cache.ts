// The silo's key cache (band-management.md §4, D10): at most one key per band, per initiator path. Used
// only by the re-unlock after a power cycle — no request ever authenticates with a cached key (D4).
//
// Keys are never held in the clear: each entry is the key encrypted with AES-256-CTR under a key drawn
// once per process from the OS (a per-process random mask, never persisted, never seeded — so it changes
// nothing a replay can observe), with a fresh random IV per entry. A heap snapshot, a serialised silo
// state or the host snapshot therefore never contains the plain key bytes; snapshot() gives band ids only.

import { createCipheriv, randomBytes } from 'node:crypto';

const PROCESS_MASK_KEY = randomBytes(32);
const IV_BYTES = 16;

function mask(key: Uint8Array, iv: Uint8Array): Uint8Array {
  // CTR is its own inverse: the same call masks and unmasks.
  const c = createCipheriv('aes-256-ctr', PROCESS_MASK_KEY, iv);
  return new Uint8Array(Buffer.concat([c.update(key), c.final()]));
}

interface Entry {
  readonly iv: Uint8Array;
  readonly masked: Uint8Array;
}

export class KeyCache {
  private readonly entries = new Map<number, Entry>();

  /** Stores the band's key as it stands after the request (empty = the default key, D4). */
  set(bandId: number, key: Uint8Array): void {
    const iv = randomBytes(IV_BYTES);
    this.entries.set(bandId, { iv, masked: mask(key, iv) });
  }

  delete(bandId: number): void {
    this.entries.delete(bandId);
  }

  clear(): void {
    this.entries.clear();
  }

  has(bandId: number): boolean {
    return this.entries.has(bandId);
  }

  /** The plain key, for the one moment the re-unlock presents it to the device (D10). */
  reveal(bandId: number): Uint8Array | undefined {
    const e = this.entries.get(bandId);
    return e === undefined ? undefined : mask(e.masked, e.iv);
  }

  /** Cached band ids, ascending (D10 re-unlocks in ascending band id). */
  bands(): number[] {
    return [...this.entries.keys()].sort((a, b) => a - b);
  }

  /** JSON-comparable and key-free: which bands have a cached key. */
  snapshot(): number[] {
    return this.bands();
  }
}

/** The device side of D10 the re-unlock needs. */
export interface ReunlockDevice {
  relockedBands(): number[];
  reunlock(bandId: number, key: Uint8Array): { readonly ok: boolean };
}

/**
 * D10: after a power cycle, for each cached band in ascending id whose NONPERSISTENT_UNLOCK locks the power
 * cycle relocked, authenticate with the cached key and restore them. A stale key fails like any wrong key
 * (it counts, D3) and the band stays locked; bands with nothing to restore are not touched. The caller runs
 * this per path, paths in the order they were first used.
 */
export function reunlockAfterPowerCycle(cache: KeyCache, device: ReunlockDevice): void {
  for (const bandId of cache.bands()) {
    if (!device.relockedBands().includes(bandId)) continue;
    const key = cache.reveal(bandId);
    if (key !== undefined) device.reunlock(bandId, key);
  }
}
