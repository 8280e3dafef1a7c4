// Sector encryption of the self-encrypting device (band-management.md §2.2 "Encryption"): AES-256-XTS with
// the owning band's 64-byte media key, tweak = the absolute LBA as a 128-bit little-endian number.
//
// TOOLCHAIN.md: node:crypto's aes-256-xts takes a 64-byte key of two distinct halves and a 16-byte tweak,
// and a cipher object restarts every update() at its IV — so ONE cipher object per sector, never reused.

import { createCipheriv, createDecipheriv } from 'node:crypto';

export const XTS_KEY_BYTES = 64;
export const XTS_TWEAK_BYTES = 16;

/** The tweak of a sector: its absolute LBA, 128-bit little-endian (the IEEE 1619 data-unit number). */
export function sectorTweak(lba: number): Buffer {
  const t = Buffer.alloc(XTS_TWEAK_BYTES);
  // LBAs stay below 2^53 (BlockStore: sectors × sectorSize < 2^53), so two 32-bit halves hold them exactly.
  t.writeUInt32LE(lba % 0x1_0000_0000, 0);
  t.writeUInt32LE(Math.floor(lba / 0x1_0000_0000), 4);
  return t;
}

/** True when `key` is usable by aes-256-xts: 64 bytes whose halves differ (OpenSSL rejects equal halves). */
export function isValidXtsKey(key: Uint8Array): boolean {
  if (key.length !== XTS_KEY_BYTES) return false;
  for (let i = 0; i < 32; i++) if (key[i] !== key[i + 32]) return true;
  return false;
}

function run(encrypt: boolean, key: Uint8Array, firstLba: number, sectorSize: number, data: Uint8Array, out: Uint8Array): void {
  for (let s = 0; s * sectorSize < data.length; s++) {
    const from = s * sectorSize;
    const make = encrypt ? createCipheriv : createDecipheriv;
    const c = make('aes-256-xts', key, sectorTweak(firstLba + s)); // one object per sector (TOOLCHAIN.md)
    const part = c.update(data.subarray(from, from + sectorSize));
    out.set(part, from);
    c.final();
  }
}

/** Encrypts whole sectors starting at `firstLba`; `data.length` is a multiple of `sectorSize` (≥ 16). */
export function encryptSectors(key: Uint8Array, firstLba: number, sectorSize: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  run(true, key, firstLba, sectorSize, data, out);
  return out;
}

/** Decrypts whole sectors starting at `firstLba`. */
export function decryptSectors(key: Uint8Array, firstLba: number, sectorSize: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  run(false, key, firstLba, sectorSize, data, out);
  return out;
}
