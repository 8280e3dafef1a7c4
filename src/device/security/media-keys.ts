// Media (data-encryption) keys and the device's seeded randomness (band-management.md §2.2 "Encryption";
// ARCHITECTURE.md "Randomness … come in through the device's options").
//
// Every random choice the security subsystem makes — media keys, verifier salts, the default key, the
// PSID — is drawn from the disk `seed` through HMAC-SHA256 in counter mode, with a label naming what the
// bytes are for and a counter that the committed record carries. So a replay of the same scenario gives
// byte-identical keys, and a key is never drawn twice: the counter only grows and is committed with the
// record that uses the key (a power-up resumes after the last committed draw, never before it).

import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { isValidXtsKey, XTS_KEY_BYTES } from './xts';

/** HMAC-SHA256(seedKey, label ‖ counter ‖ block) — a deterministic byte source keyed by the disk seed. */
export class SeededRandom {
  private readonly seedKey: Buffer;

  constructor(seed: number | string) {
    this.seedKey = createHmac('sha256', 'vdisk seed').update(String(seed)).digest();
  }

  /** `n` bytes for (`label`, `counter`); the same arguments always give the same bytes. */
  bytes(label: string, counter: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let block = 0, at = 0; at < n; block++) {
      const h = createHmac('sha256', this.seedKey).update(label).update(`:${counter}:${block}`).digest();
      out.set(h.subarray(0, Math.min(h.length, n - at)), at);
      at += h.length;
    }
    return out;
  }
}

/**
 * A fresh AES-256-XTS media key: 64 bytes with distinct halves (TOOLCHAIN.md: OpenSSL rejects equal
 * halves). `counter` is the subsystem's committed draw counter, so every key is drawn once.
 */
export function newMediaKey(rng: SeededRandom, counter: number): Uint8Array {
  for (let attempt = 0; ; attempt++) {
    const k = rng.bytes(`media-key/${attempt}`, counter, XTS_KEY_BYTES);
    if (isValidXtsKey(k)) return k; // equal halves: probability 2^-256, but the rule is the cipher's
  }
}

/**
 * Media keys never appear in the committed record in the clear (band-management.md §2.2 "Commit":
 * "wrapped media keys"): they are wrapped with RFC 3394 AES key wrap under a device root key derived from
 * the seed — the stand-in for a drive's fused hardware key. Only the device (which knows the seed) unwraps.
 */
export class KeyWrapper {
  private readonly kek: Buffer;

  constructor(rng: SeededRandom) {
    this.kek = Buffer.from(rng.bytes('root-key-encryption-key', 0, 32));
  }

  /** 64-byte key → 72 wrapped bytes. */
  wrap(key: Uint8Array): Uint8Array {
    const c = createCipheriv('id-aes256-wrap', this.kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
    return Buffer.concat([c.update(key), c.final()]);
  }

  /** 72 wrapped bytes → the key, or undefined when the integrity check fails (a corrupt record). */
  unwrap(wrapped: Uint8Array): Uint8Array | undefined {
    if (wrapped.length !== XTS_KEY_BYTES + 8) return undefined;
    const d = createDecipheriv('id-aes256-wrap', this.kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
    // OpenSSL signals a failed integrity check by throwing from final(); this is the one place where a
    // library reports a bad value only by exception, and the input is our own committed record.
    try {
      const k = Buffer.concat([d.update(wrapped), d.final()]);
      return isValidXtsKey(k) ? new Uint8Array(k) : undefined;
    } catch {
      return undefined;
    }
  }
}

export const WRAPPED_MEDIA_KEY_BYTES = XTS_KEY_BYTES + 8;
