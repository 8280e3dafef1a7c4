// Sector encryption of the self-encrypting device (band-management.md §2.2 "Encryption"): AES-256-XTS with
// the owning band's 64-byte media key, tweak = the absolute LBA as a 128-bit little-endian number.
//
// TOOLCHAIN.md: node:crypto's aes-256-xts takes a 64-byte key of two distinct halves and a 16-byte tweak,
// and a cipher object restarts every update() at its IV — so ONE cipher object per sector, never reused.
//
// Hot path (docs/performance.md §3): node cannot re-key the tweak of a live cipher, so the per-sector
// cipher object is the floor; everything else is kept off the path. One module-level tweak buffer is
// rewritten per sector (createCipheriv copies the IV into the cipher context before it returns), each
// sector's update() output is copied once, straight into the caller's destination, and final() is not
// called: XTS processes a whole data unit in one update() and final() only returns an empty buffer.

import { createCipheriv, createDecipheriv } from 'node:crypto';

export const XTS_KEY_BYTES = 64;
export const XTS_TWEAK_BYTES = 16;

/** The tweak of a sector: its absolute LBA, 128-bit little-endian (the IEEE 1619 data-unit number). */
export function sectorTweak(lba: number): Buffer {
  const t = Buffer.alloc(XTS_TWEAK_BYTES);
  writeTweak(t, lba);
  return t;
}

function writeTweak(t: Buffer, lba: number): void {
  // LBAs stay below 2^53 (BlockStore: sectors × sectorSize < 2^53), so two 32-bit halves hold them exactly;
  // bytes 8..15 stay zero.
  t.writeUInt32LE(lba % 0x1_0000_0000, 0);
  t.writeUInt32LE(Math.floor(lba / 0x1_0000_0000), 4);
}

/** True when `key` is usable by aes-256-xts: 64 bytes whose halves differ (OpenSSL rejects equal halves). */
export function isValidXtsKey(key: Uint8Array): boolean {
  if (key.length !== XTS_KEY_BYTES) return false;
  for (let i = 0; i < 32; i++) if (key[i] !== key[i + 32]) return true;
  return false;
}

/** The one tweak buffer every sector reuses (never escapes: the cipher copies it). Holds no secret. */
const TWEAK = Buffer.alloc(XTS_TWEAK_BYTES);

/**
 * Encrypts (or decrypts) the whole sectors of `src` starting at LBA `firstLba` into `dst` at `dstAt`.
 * `src.length` is a multiple of `sectorSize` (≥ 16). `dst` may be `src` itself (in place): each sector is
 * read whole by update() before its output is copied back.
 */
export function xtsInto(
  encrypt: boolean, key: Uint8Array, firstLba: number, sectorSize: number,
  src: Uint8Array, dst: Uint8Array, dstAt = 0,
): void {
  const n = src.length;
  for (let from = 0, lba = firstLba; from < n; from += sectorSize, lba++) {
    writeTweak(TWEAK, lba);
    const c = encrypt ? createCipheriv('aes-256-xts', key, TWEAK) : createDecipheriv('aes-256-xts', key, TWEAK);
    dst.set(c.update(src.subarray(from, from + sectorSize)), dstAt + from);
  }
}

/**
 * One sector, encrypted (or decrypted) into a new buffer that nobody else holds: update()'s own output,
 * so a one-sector write hands it to the store with no copy at all.
 */
export function xtsSector(encrypt: boolean, key: Uint8Array, lba: number, sector: Uint8Array): Buffer {
  writeTweak(TWEAK, lba);
  const c = encrypt ? createCipheriv('aes-256-xts', key, TWEAK) : createDecipheriv('aes-256-xts', key, TWEAK);
  return c.update(sector);
}

/** Encrypts whole sectors starting at `firstLba`; `data.length` is a multiple of `sectorSize` (≥ 16). */
export function encryptSectors(key: Uint8Array, firstLba: number, sectorSize: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  xtsInto(true, key, firstLba, sectorSize, data, out);
  return out;
}

/** Decrypts whole sectors starting at `firstLba`. */
export function decryptSectors(key: Uint8Array, firstLba: number, sectorSize: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  xtsInto(false, key, firstLba, sectorSize, data, out);
  return out;
}
